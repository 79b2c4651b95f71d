"""Running `make run` / `make serve` (scripts/run.sh, scripts/serve.sh) as a user does: in a
session of its own, and finding every process it started, to prove they all stop."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from tests.notifications.processes import ROOT, free_port, wait_until


def processes_of(session_ids: set[int]) -> list[str]:
    """Every live process whose session is one of these (the run's own, and the worker's)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        state, session = fields[0], int(fields[3])
        if session in session_ids and state != "Z":
            found.append(f"{entry.name} {cmdline}")
    return found


def sessions_started_by(pid: int) -> set[int]:
    sessions = {pid}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) != pid and int(fields[1]) in _family(pid):
                sessions.add(int(fields[3]))
    return sessions


def _family(pid: int) -> set[int]:
    """The pids of this process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    family, todo = set(), [pid]
    while todo:
        current = todo.pop()
        family.add(current)
        todo.extend(children.get(current, []))
    return family


def serving(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def started(script: str, env: dict, log_path: Path) -> Iterator[subprocess.Popen]:
    """The script in a session of its own (as a terminal gives `make run`), killed at the end
    with everything it started whatever the test found."""
    env = dict(env)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            ["bash", script],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            for session in sessions_started_by(process.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(session, signal.SIGKILL)


def stops_within(process: subprocess.Popen, sig: signal.Signals, *, port: int) -> None:
    """Send `sig` to the script's process group; every process it started is gone in 10 s."""
    sessions = sessions_started_by(process.pid)
    os.killpg(process.pid, sig)
    started_at = time.monotonic()
    while processes_of(sessions) and time.monotonic() - started_at < 10:
        time.sleep(0.1)
    left = processes_of(sessions)
    assert not left, f"still running 10 s after {sig.name}: {left}"
    assert not serving(port)


__all__ = [
    "ROOT",
    "free_port",
    "processes_of",
    "serving",
    "sessions_started_by",
    "started",
    "stops_within",
    "wait_until",
]

"""`make run` (scripts/run.sh) stops cleanly: Ctrl-C or SIGTERM to its process group stops the
web server and the django-q2 worker, every process of both, within 10 seconds."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.notifications.processes import free_port, wait_until

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _processes_of(session_ids: set[int]) -> list[str]:
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


def _sessions_started_by(pid: int) -> set[int]:
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


def _serving(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("`make run` uses the embedded default: tested in the SQLite pass.")
    return f"sqlite:///{tmp_path_factory.mktemp('run') / 'run.sqlite3'}"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_make_run_stops_the_server_and_the_worker_within_ten_seconds(database, sig, tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database, "RUN_ADDRESS": f"127.0.0.1:{port}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = (tmp_path / "run.log").open("w")
    # A session of its own, as a terminal gives `make run`; Ctrl-C is SIGINT to its group.
    run = subprocess.Popen(
        ["bash", "scripts/run.sh"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until(lambda: _serving(port), timeout=120, what="the web server of scripts/run.sh")
        wait_until(
            lambda: any("qcluster" in p for p in _processes_of(_sessions_started_by(run.pid))),
            timeout=30,
            what="the django-q2 worker",
        )
        sessions = _sessions_started_by(run.pid)
        assert len(_processes_of(sessions)) >= 3  # the script, the server, the worker

        os.killpg(run.pid, sig)
        started = time.monotonic()
        while _processes_of(sessions) and time.monotonic() - started < 10:
            time.sleep(0.1)

        left = _processes_of(sessions)
        assert not left, f"still running 10 s after {sig.name}: {left}"
        assert not _serving(port)
        assert run.wait(timeout=1) is not None
    finally:
        for session in _sessions_started_by(run.pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(session, signal.SIGKILL)
        log.close()

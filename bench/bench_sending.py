"""Benchmark the sender against plain smtplib over one connection, in the same run.

    .venv/bin/python bench/bench_sending.py --database sqlite
    .venv/bin/python bench/bench_sending.py \\
        --database postgres://postgres@127.0.0.1:5432/sending_bench

Queues `--messages` notifications (default 2,000: reminders and escalations, each a
plain-text and HTML e-mail; `tests.notifications.processes seed --plan`) and starts a local
SMTP server (aiosmtpd on 127.0.0.1, in this process; it keeps every message it receives).
Then, `--rounds` times (default 3), each in a fresh child process:

- the sender: `notifications.sender.send_outstanding` delivers every planned row (its wall
  time, queries and peak memory), then the ledger is put back to planned for the next round;
- the floor: plain `smtplib.SMTP.sendmail` over one connection to the same server, sending
  the very bytes the server received from the sender (same sizes, same envelopes), nothing
  else: no database, no rendering.

The best round of each is reported, and the ratio sender / floor (the aim: at most 1.5).
Every round checks exactly once: each row is `sent` and its Message-ID arrived once.

`--database sqlite` (the default) uses a file under /tmp/tracker-bench; a PostgreSQL URL names
a database that is dropped and created.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import closing
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

from tests.notifications.processes import SmtpRecorder  # noqa: E402


class KeepingRecorder(SmtpRecorder):
    """The tests' recording server, also keeping each message's envelope and bytes."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: list[tuple[str, list[str], bytes]] = []
        self.keep = True

    async def handle_DATA(self, server, session, envelope):
        if self.keep:
            with self.lock:
                self.kept.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return await super().handle_DATA(server, session, envelope)

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()


# --- The database ----------------------------------------------------------------------------


def database_url(option: str, data: Path) -> str:
    if option == "sqlite":
        data.mkdir(parents=True, exist_ok=True)
        path = data / "sending_bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    url = urlsplit(option)
    name = url.path.lstrip("/") or "sending_bench"
    admin = urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(url._replace(path=f"/{name}"))


def query(url: str, sql: str) -> list[tuple]:
    if url.startswith("sqlite:"):
        path = "/" + url.removeprefix("sqlite:///").lstrip("/")
        with closing(sqlite3.connect(path, isolation_level=None, timeout=60)) as db:
            return db.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        cursor = db.execute(sql)
        return cursor.fetchall() if cursor.description else []


def replan(url: str) -> None:
    """Put every row back to planned, as the sweep left them, for the next round."""
    query(
        url,
        "UPDATE notifications_notification SET state = 'planned', attempts = 0,"
        " claim_token = NULL, lease_until = NULL, handed_over_at = NULL, sent_at = NULL,"
        " last_error = ''",
    )
    if url.startswith("postgres"):
        query(url, "VACUUM ANALYZE notifications_notification")


def child_env(url: str, smtp_port: int) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tracker.settings",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DATABASE_URL=url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        SITE_URL="https://tracker.example.gov.uk",
        TRACKER_TASK_RUNNER="django_q",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def run(args: list[str], env: dict, stdin: bytes | None = None) -> dict:
    done = subprocess.run(
        args, cwd=ROOT, env=env, input=stdin, capture_output=True, timeout=3600, check=False
    )
    if done.returncode != 0:
        output = f"{done.stdout.decode()}\n{done.stderr.decode()}"
        raise SystemExit(f"{' '.join(args)} failed:\n{output}")
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


# --- The children --------------------------------------------------------------------------------


def peak_memory_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child_sender() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from notifications.sender import send_outstanding

    connection.ensure_connection()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        report = send_outstanding(today=timezone.localdate())
        seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "sent": report.sent,
                "other": report.as_dict(),
                "queries": len(queries),
                "rss_mb": peak_memory_mb(),
            }
        )
    )


def child_floor(port: int, build: bool) -> None:
    """Plain smtplib over one connection (the messages come as JSON on stdin).

    build: each e-mail is built with the standard library (an EmailMessage with the same
    headers, plain-text body and HTML alternative) and sent with `send_message`, what a
    plain smtplib program does. Otherwise the very bytes the server received are sent
    again with `sendmail`: the wire alone."""
    import email
    import email.message
    import email.policy
    import smtplib

    messages = [
        (mail_from, rcpt_tos, content.encode("latin-1"))
        for mail_from, rcpt_tos, content in json.loads(sys.stdin.buffer.read())
    ]
    parts = []
    if build:  # read what to send before the clock starts
        for _, _, content in messages:
            parsed = email.message_from_bytes(content, policy=email.policy.default)
            headers = [
                (k, str(v)) for k, v in parsed.items() if not k.startswith(("Content", "MIME"))
            ]
            bodies = {p.get_content_type(): p.get_content() for p in parsed.iter_parts()}
            parts.append((headers, bodies["text/plain"], bodies["text/html"]))
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for n, (mail_from, rcpt_tos, content) in enumerate(messages):
            if not build:
                smtp.sendmail(mail_from, rcpt_tos, content)
                continue
            headers, text, html = parts[n]
            message = email.message.EmailMessage()
            for name, value in headers:
                message[name] = value
            message.set_content(text)
            message.add_alternative(html, subtype="html")
            smtp.send_message(message, mail_from, rcpt_tos)
    print(json.dumps({"seconds": time.perf_counter() - started, "sent": len(messages)}))


# --- The run --------------------------------------------------------------------------------


def check_exactly_once(url: str, smtp: KeepingRecorder, planned: int) -> None:
    states = Counter(
        dict(query(url, "SELECT state, COUNT(*) FROM notifications_notification GROUP BY 1"))
    )
    assert states == Counter({"sent": planned}), states
    copies = smtp.by_message_id()
    assert len(copies) == planned and set(copies.values()) == {1}, Counter(copies.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite", help="sqlite, or a PostgreSQL URL")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--data", default=str(Path(tempfile.gettempdir()) / "tracker-bench"), help="SQLite files"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child == "sender":
        child_sender()
        return
    if options.child in ("floor", "built"):
        child_floor(options.port, build=options.child == "built")
        return

    url = database_url(options.database, Path(options.data))
    smtp = KeepingRecorder().start()
    try:
        env = child_env(url, smtp.port)
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
        )
        overdue = options.messages // 8  # 4 recipients each
        due_soon = (options.messages - overdue * 4) // 2  # 2 recipients each
        seeded = run(
            [
                *[PYTHON, "-m", "tests.notifications.processes", "seed"],
                *["--overdue", str(overdue), "--due-soon", str(due_soon), "--plan"],
            ],
            env,
        )
        planned = seeded["planned"]
        me = [PYTHON, str(Path(__file__).resolve())]
        senders, floors, builts = [], [], []
        for round_ in range(options.rounds):
            if round_:
                replan(url)
            smtp.reset()
            smtp.keep = round_ == 0
            senders.append(run([*me, "--child", "sender"], env))
            assert senders[-1]["sent"] == planned, senders[-1]
            check_exactly_once(url, smtp, planned)
            kept = json.dumps([(f, t, c.decode("latin-1")) for f, t, c in smtp.kept]).encode()
            floors.append(run([*me, "--child", "floor", "--port", str(smtp.port)], env, kept))
            builts.append(run([*me, "--child", "built", "--port", str(smtp.port)], env, kept))
            print(
                f"round {round_ + 1}: sender {planned / senders[-1]['seconds']:.0f}/s,"
                f" smtplib building the e-mails {planned / builts[-1]['seconds']:.0f}/s,"
                f" smtplib sending built bytes {planned / floors[-1]['seconds']:.0f}/s",
                flush=True,
            )
    finally:
        smtp.stop()
    sender = min(senders, key=lambda r: r["seconds"])
    floor = min(floors, key=lambda r: r["seconds"])
    built = min(builts, key=lambda r: r["seconds"])
    size = sum(len(content) for _, _, content in smtp.kept) / len(smtp.kept)
    result = {
        "database": "sqlite" if url.startswith("sqlite") else "postgresql",
        "messages": planned,
        "average_bytes": round(size),
        "sender_s": sender["seconds"],
        "sender_per_s": planned / sender["seconds"],
        "smtplib_s": floor["seconds"],
        "smtplib_per_s": planned / floor["seconds"],
        "ratio_to_bytes": sender["seconds"] / floor["seconds"],
        "smtplib_building_s": built["seconds"],
        "smtplib_building_per_s": planned / built["seconds"],
        "ratio": sender["seconds"] / built["seconds"],
        # Each round's sender against that round's floors: on a busy machine the best of
        # each can pair a floor from a quiet moment with a sender from a busy one.
        "round_ratios_to_bytes": [
            a["seconds"] / b["seconds"] for a, b in zip(senders, floors, strict=True)
        ],
        "round_ratios": [a["seconds"] / b["seconds"] for a, b in zip(senders, builts, strict=True)],
        "queries": sender["queries"],
        "queries_per_message": sender["queries"] / planned,
        "sender_rss_mb": sender["rss_mb"],
        "rounds": options.rounds,
        "load_average": os.getloadavg(),
    }
    print()
    print(
        f"{result['database']}, {date.today().isoformat()}, Python {platform.python_version()},"
        f" {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; best of {options.rounds}"
    )
    print(
        "| database | e-mails | sender | plain smtplib, building the e-mails | sender / that"
        " | smtplib, bytes already built | sender / that | queries | memory |"
    )
    print("|---" * 9 + "|")
    print(
        f"| {result['database']} | {planned:,} ({result['average_bytes']:,} bytes each)"
        f" | {result['sender_s']:.2f} s = {result['sender_per_s']:.0f}/s"
        f" | {result['smtplib_building_s']:.2f} s = {result['smtplib_building_per_s']:.0f}/s"
        f" | **{result['ratio']:.2f}x**"
        f" | {result['smtplib_s']:.2f} s = {result['smtplib_per_s']:.0f}/s"
        f" | {result['ratio_to_bytes']:.2f}x | {result['queries']:,}"
        f" ({result['queries_per_message']:.2f} per e-mail) | {result['sender_rss_mb']:.0f} MB |"
    )
    print(
        "each round, sender / smtplib sending built bytes: "
        + ", ".join(f"{r:.2f}x" for r in result["round_ratios_to_bytes"])
        + "; sender / smtplib building the e-mails: "
        + ", ".join(f"{r:.2f}x" for r in result["round_ratios"])
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()

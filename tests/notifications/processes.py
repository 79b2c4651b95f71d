"""Helpers for the tests that run the notification engine in real processes.

The crash, concurrency and restart tests (`test_crash_*.py`, `test_concurrency*.py`) start
`qcluster`, Celery workers, `send_reminders` and a Redis server as separate processes, each
in its own process group, against a database those processes can share: a PostgreSQL
database made for the test (cloned from a migrated template), or a SQLite file. They talk to
a real SMTP server (aiosmtpd, in a thread of the test process) that records every message.

Run as a module, this file is also the child side's small command line (Django set up from
the environment, DATABASE_URL naming the test's database):

    python -m tests.notifications.processes seed --overdue 250 --due-soon 500 [--plan]
    python -m tests.notifications.processes enqueue send|run
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import email.parser
import email.policy
import itertools
import json
import logging
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
LEASE_SECONDS = 5  # short, so that rows abandoned by a killed sender come back quickly
MESSAGE_ID_DOMAIN = "processes.test"
SPARE_REDIS_DB = 13  # on the machine's Redis; each test also has a queue of its own
MESSAGE_ID = re.compile(r"<notification-(\d+)-[0-9a-f]+@")


# --- Services: required in CI, skipped with a reason elsewhere --------------------------------


def require(ok: bool, reason: str) -> None:
    """Skip with a clear reason, or fail when running in CI (`CI` set), where the
    PostgreSQL and Redis services are part of the machine and these tests must run."""
    import pytest

    if ok:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; it is required in CI.", pytrace=False)
    pytest.skip(reason)


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def real_clock_env(env: dict | None = None) -> dict:
    """The environment without libfaketime, for third-party servers (Redis) whose clock
    the tests do not depend on: the suite may run under `faketime` to move the date, and
    libfaketime's preload hangs redis-cli."""
    env = dict(os.environ if env is None else env)
    preload = [p for p in env.get("LD_PRELOAD", "").split(":") if p and "faketime" not in p]
    env["LD_PRELOAD"] = ":".join(preload)
    for name in ("FAKETIME", "FAKETIME_NO_CACHE", "DONT_FAKE_MONOTONIC"):
        env.pop(name, None)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check: Callable[[], object], *, timeout: float, what: str, every: float = 0.1):
    """Poll `check` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {what}.")
        time.sleep(every)


# --- The SMTP server --------------------------------------------------------------------------


class SmtpRecorder:
    """A real SMTP server on 127.0.0.1 that records (Message-ID, recipient) of every message.

    `on_message(count, message_id)` runs after a message is recorded and before the server
    replies 250: a test can kill the sender there, when the server holds the message but the
    sender cannot yet know it was accepted (the worst moment for exactly-once).
    """

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.on_message: Callable[[int, str], None] | None = None
        self.port = free_port()
        self._parser = email.parser.BytesHeaderParser(policy=email.policy.default)
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        headers = self._parser.parsebytes(envelope.content)
        message_id = str(headers["Message-ID"]).strip()
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.messages.append((message_id, recipient))
            count = len(self.messages)
        if self.on_message is not None:
            self.on_message(count, message_id)
        return "250 Message accepted for delivery"

    def start(self) -> SmtpRecorder:
        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # one line per SMTP command
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def by_message_id(self) -> Counter:
        with self.lock:
            return Counter(message_id for message_id, _ in self.messages)

    def wait_for(self, count: int, *, timeout: float) -> None:
        wait_until(
            lambda: self.count >= count,
            timeout=timeout,
            what=f"{count} messages at the SMTP server (got {self.count})",
        )

    def wait_quiet(self, *, seconds: float, timeout: float) -> None:
        """Wait until no message has arrived for `seconds` (senders are idle)."""
        state = {"count": -1, "since": time.monotonic()}

        def quiet():
            count = self.count
            if count != state["count"]:
                state.update(count=count, since=time.monotonic())
            return time.monotonic() - state["since"] >= seconds

        wait_until(quiet, timeout=timeout, what="the SMTP server to go quiet")


# --- Processes ----------------------------------------------------------------------------------


class Group:
    """A command in its own session and process group, so that a kill reaches every process
    it started (django-q2's sentinel, pusher, monitor and workers; Celery's pool)."""

    def __init__(self, name: str, args: list[str], *, env: dict, logs: Path) -> None:
        self.name = name
        self.args = args
        self.env = env
        self.log_path = logs / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> Group:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            self.args,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)

    def kill(self) -> None:
        """SIGKILL the whole group: nothing gets to clean up or to record anything."""
        if self.proc is None:
            return
        self.signal_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)

    def terminate(self) -> None:
        """Ask the main process to stop (SIGTERM to it alone, like systemd's KillMode=mixed:
        qcluster does not stop when every process of its group gets SIGTERM)."""
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGTERM)

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM, then SIGKILL what is left; safe to call on a dead group."""
        if self.proc is None:
            return
        self.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=timeout)
        self.kill()  # stragglers, and a main process that did not stop in time

    def children(self) -> list[int]:
        return children_of(self.pid)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log().splitlines()[-lines:])


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may contain spaces and parentheses: ppid follows the last ')'.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


def stop_all(running: Iterable[Group], timeout: float = 20) -> None:
    """Stop several groups at once (each waits for its own tasks to finish)."""
    running = list(running)
    for group in running:
        group.terminate()
    for group in running:
        group.stop(timeout=timeout)


def child_env(database_url: str, smtp_port: int, **extra: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tracker.settings",
        DATABASE_URL=database_url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        EMAIL_TIMEOUT="3",
        SITE_URL="https://tracker.example.gov.uk",
        NOTIFICATIONS_MESSAGE_ID_DOMAIN=MESSAGE_ID_DOMAIN,
        NOTIFICATIONS_LEASE_SECONDS=str(LEASE_SECONDS),
        NOTIFICATIONS_START_HOUR="0",  # scheduled runs plan at any hour of the test
        DATABASE_CONN_MAX_AGE="0",
        TRACKER_TASK_RUNNER="django_q",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def manage(env: dict, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return run_checked([PYTHON, "manage.py", *args], env=env, timeout=timeout)


def cli(env: dict, *args: str, timeout: float = 120) -> dict:
    """Run this module's command line in a child process and return its JSON output."""
    done = run_checked([PYTHON, "-m", "tests.notifications.processes", *args], env, timeout)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_checked(args: list[str], env: dict, timeout: float) -> subprocess.CompletedProcess:
    done = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited with {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
    return done


def qcluster(name: str, env: dict, logs: Path) -> Group:
    return Group(name, [PYTHON, "manage.py", "qcluster"], env=env, logs=logs)


def celery_worker(name: str, env: dict, logs: Path, *, queue: str, concurrency: int = 1) -> Group:
    celery = str(Path(PYTHON).with_name("celery"))
    args = [
        celery,
        "-A",
        "tracker",
        "worker",
        "--pool",
        "prefork",
        "--concurrency",
        str(concurrency),
        "--queues",
        queue,
        "--hostname",
        f"{name}-{os.getpid()}@localhost",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel",
        "INFO",
    ]
    return Group(name, args, env={**env, "TRACKER_TASK_RUNNER": "celery"}, logs=logs)


def celery_send(broker_url: str, task: str, *, queue: str, args: Iterable = ()) -> None:
    """Put a task on the queue, as beat (or an event after commit) does."""
    from celery import Celery

    producer = Celery("processes-test", broker=broker_url)
    try:
        producer.send_task(task, args=list(args), queue=queue)
    finally:
        producer.close()


def forget_queue(host: str, port: int, db: int, queue: str) -> None:
    """Remove what a test's queue left in a shared Redis: the queue, kombu's bindings, and
    the unacknowledged copy of a task whose worker was killed (which Redis would otherwise
    restore to a queue nobody reads an hour later)."""
    import redis

    client = redis.Redis(host=host, port=port, db=db)
    try:
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        for tag, payload in client.hscan_iter("unacked"):
            if queue.encode() in payload:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    finally:
        client.close()


# --- Databases the processes share --------------------------------------------------------------


@dataclass
class Database:
    url: str

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite:")

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.is_sqlite:
            path = self.url.removeprefix("sqlite:///")
            with contextlib.closing(
                sqlite3.connect("/" + path.lstrip("/"), timeout=30, isolation_level=None)
            ) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as db:
            cursor = db.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def ledger(self) -> list[Row]:
        return [
            Row(*values)
            for values in self.query(
                "SELECT id, recipient_id, item_id, kind, key, state, attempts,"
                " handed_over_at IS NOT NULL FROM notifications_notification ORDER BY id"
            )
        ]

    def states(self) -> Counter:
        return Counter(
            dict(self.query("SELECT state, COUNT(*) FROM notifications_notification GROUP BY 1"))
        )

    def pause_schedules(self) -> None:
        """Keep django-q2's scheduled sweep from running during the test."""
        self.query("UPDATE django_q_schedule SET next_run = %s", ("2999-01-01 00:00:00+00:00",))

    def outstanding(self) -> int:
        return self.query(
            "SELECT COUNT(*) FROM notifications_notification WHERE state IN ('planned', 'sending')"
        )[0][0]


def postgres_server() -> PostgresServer:
    """The PostgreSQL server of the suite's DATABASE_URL; these tests run in the PostgreSQL
    pass of the suite (`make test-postgres`, as CI does) and skip in the SQLite pass."""
    import pytest
    from django.conf import settings

    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        pytest.skip(
            "Real-process tests on PostgreSQL run in the PostgreSQL pass of the suite "
            "(DATABASE_URL=postgres://postgres@127.0.0.1:5432/test, `make test-postgres`)."
        )
    server = PostgresServer.from_settings(db)
    require(
        reachable(server.host, server.port),
        f"PostgreSQL is not reachable at {server.host}:{server.port} (DATABASE_URL)",
    )
    return server


def redis_address() -> tuple[str, int]:
    """The machine's Redis (host and port of CELERY_BROKER_URL); required in CI."""
    from django.conf import settings

    url = urlsplit(settings.CELERY_BROKER_URL)
    host, port = url.hostname or "127.0.0.1", url.port or 6379
    require(reachable(host, port), f"Redis is not reachable at {host}:{port} (CELERY_BROKER_URL)")
    return host, port


_counter = itertools.count(1)
_templates: dict[str, str] = {}


@contextlib.contextmanager
def postgres_database(server: PostgresServer):
    """A fresh, migrated database for one test, dropped afterwards (even with connections
    left by killed processes)."""
    key = server.url("")
    if key not in _templates:
        template = f"tracker_processes_template_{os.getpid()}"
        db = server.create(template)
        atexit.register(server.drop, template)
        manage(child_env(db.url, 25), "migrate", "--no-input", "-v0", timeout=300)
        _templates[key] = template
    name = f"tracker_processes_{os.getpid()}_{next(_counter)}"
    db = server.create(name, template=_templates[key])
    try:
        yield db
    finally:
        server.drop(name)


@contextlib.contextmanager
def sqlite_database(folder: Path):
    """A migrated SQLite file, as in the embedded default set-up."""
    db = Database(f"sqlite:///{folder / 'tracker.sqlite3'}")
    manage(child_env(db.url, 25), "migrate", "--no-input", "-v0", timeout=300)
    yield db


class PostgresServer:
    """Makes one database per test, cloned from a template migrated once per session."""

    def __init__(self, host: str, port: int, user: str, password: str) -> None:
        self.host, self.port, self.user, self.password = host, port, user, password
        self.template: str | None = None

    @classmethod
    def from_settings(cls, db: dict) -> PostgresServer:
        return cls(
            db.get("HOST") or "127.0.0.1",
            int(db.get("PORT") or 5432),
            db.get("USER") or "postgres",
            db.get("PASSWORD") or "",
        )

    def url(self, name: str) -> str:
        auth = self.user + (f":{self.password}" if self.password else "")
        return f"postgres://{auth}@{self.host}:{self.port}/{name}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as db:
            db.execute(sql)

    def create(self, name: str, *, template: str | None = None) -> Database:
        self.drop(name)
        self.admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return Database(self.url(name))

    def drop(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- What the tests assert about the ledger and the SMTP server ----------------------------------


@dataclass
class Row:
    id: int
    recipient_id: int
    item_id: int | None
    kind: str
    key: str
    state: str
    attempts: int
    handed_over: bool


@dataclass
class Outcome:
    rows: int
    received: int
    duplicates: dict[int, int] = field(default_factory=dict)  # row id: extra copies
    unknown: list[int] = field(default_factory=list)
    states: Counter = field(default_factory=Counter)


def expected_message_id(row: Row) -> str:
    """The Message-ID the sender must have used, computed here from the ledger key."""
    from django.test import override_settings

    from notifications.emails import message_id
    from notifications.models import Notification

    unsaved = Notification(
        pk=row.id, recipient_id=row.recipient_id, item_id=row.item_id, kind=row.kind, key=row.key
    )
    with override_settings(NOTIFICATIONS_MESSAGE_ID_DOMAIN=MESSAGE_ID_DOMAIN):
        return message_id(unsaved)


def check_exactly_once(db: Database, smtp: SmtpRecorder, *, kills: int) -> Outcome:
    """Every planned row reached the SMTP server, or (routine kinds only) is `unknown` after
    a sender died between handing it over and recording it; escalations were never lost;
    duplicates are at most the number of kills, and only of escalations."""
    rows = db.ledger()
    received = smtp.by_message_id()
    outcome = Outcome(rows=len(rows), received=sum(received.values()))
    outcome.states = Counter(row.state for row in rows)
    known = set()
    for row in rows:
        mid = expected_message_id(row)
        known.add(mid)
        copies = received.get(mid, 0)
        if row.state == "sent":
            assert copies >= 1, f"row {row.id} ({row.kind}) is recorded sent but never arrived"
        elif row.state == "unknown":
            assert row.kind != "overdue", f"escalation {row.id} left unknown: must be resent"
            assert row.handed_over, f"row {row.id} is unknown but was never handed over"
            outcome.unknown.append(row.id)
        else:
            raise AssertionError(f"row {row.id} ({row.kind}) ended {row.state!r}")
        if copies > 1:
            assert row.kind == "overdue", f"routine row {row.id} arrived {copies} times"
            outcome.duplicates[row.id] = copies - 1
    strangers = set(received) - known
    assert not strangers, f"messages the ledger does not know: {sorted(strangers)[:5]}"
    assert sum(outcome.duplicates.values()) <= kills, outcome
    assert len(outcome.unknown) <= kills, outcome
    return outcome


def row_id(message_id: str) -> int:
    match = MESSAGE_ID.match(message_id)
    assert match, message_id
    return int(match.group(1))


# --- The child side: seed data, enqueue tasks --------------------------------------------------


def _seed(options) -> dict:
    from django.utils import timezone

    from accounts.models import Role, User
    from notifications.models import Notification
    from notifications.sweep import sweep
    from notifications.working_days import is_working_day
    from recommendations.deadlines import DeadlineRule
    from recommendations.models import Force, Inspection, Item, ItemKind, Status

    day = date.fromisoformat(options.day) if options.day else timezone.localdate()
    force = Force.objects.create(name="Processhire Police", slug="processhire")
    inspection = Inspection.objects.create(
        force=force, title="PEEL 2025", published_on=day - timedelta(days=400)
    )

    def person(username: str, role: str, **extra) -> User:
        user = User(username=username, email=f"{username}@example.gov.uk", role=role, **extra)
        user.set_unusable_password()
        user.save()
        return user

    person("lead", Role.FORCE_LEAD, force=force)
    person("sponsor", Role.EXECUTIVE_SPONSOR, force=force)
    person("inspector", Role.INSPECTOR).inspected_forces.add(force)
    owners = [person(f"owner{n}", Role.ACTION_OWNER, force=force) for n in range(5)]

    # Overdue by 40 days: the ladder's day-37 repeat, to owner, lead, sponsor and inspector.
    # Due in 5 days: the 7-day reminder, to owner and lead.
    due_dates = [day - timedelta(days=40)] * options.overdue + [day + timedelta(days=5)] * (
        options.due_soon
    )
    Item.objects.bulk_create(
        [
            Item(
                kind=ItemKind.RECOMMENDATION,
                inspection=inspection,
                force=force,
                reference=f"P{n}",
                display_reference=f"P{n}",
                position=n % 30000,
                text="The force should review its crime recording.",
                deadline_rule=DeadlineRule.ABSOLUTE,
                due_on=due,
                original_due_on=due,
                status=Status.BEING_PROGRESSED,
                owner=owners[n % len(owners)],
            )
            for n, due in enumerate(due_dates)
        ],
        batch_size=500,
    )
    planned = 0
    if options.plan or (options.plan_unless_working_day and not is_working_day(day)):
        planned = sweep(today=day).planned
    return {
        "day": day.isoformat(),
        "working_day": is_working_day(day),
        "planned": planned,
        "expected": options.overdue * 4 + options.due_soon * 2,
        "ids": list(Notification.objects.order_by("pk").values_list("pk", flat=True)),
    }


def _enqueue(options) -> dict:
    from django_q.tasks import async_task

    from notifications.models import Notification, State
    from notifications.runners import enqueue_send
    from notifications.scheduling import PERIODIC_JOBS

    if options.task == "send":
        ids = list(
            Notification.objects.filter(state__in=[State.PLANNED, State.SENDING])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        enqueue_send(ids)
        return {"ids": len(ids)}
    for _ in range(options.times):
        async_task(PERIODIC_JOBS[0].django_q_func)
    return {"runs": options.times}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="processes")
    commands = parser.add_subparsers(dest="command", required=True)
    seed = commands.add_parser("seed", help="a force, its people and open items")
    seed.add_argument("--overdue", type=int, default=0)
    seed.add_argument("--due-soon", type=int, default=0)
    seed.add_argument("--day", help="YYYY-MM-DD (default: today, London)")
    seed.add_argument("--plan", action="store_true", help="run the sweep for the day")
    seed.add_argument("--plan-unless-working-day", action="store_true")
    enqueue = commands.add_parser("enqueue", help="hand work to django-q2 (the ORM queue)")
    enqueue.add_argument("task", choices=["send", "run"])
    enqueue.add_argument("--times", type=int, default=1)
    options = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    result = _seed(options) if options.command == "seed" else _enqueue(options)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

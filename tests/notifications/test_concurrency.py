"""Concurrency: two sweeps and two schedulers at once (real processes).

The ledger's unique constraints, the sweep's single `INSERT ... SELECT` per level and the
sender's compare-and-set claim must together make every notification planned once and
e-mailed once, however many runs overlap:

- three `send_reminders` processes started at the same moment for the same day (cron and
  an administrator, say), on the database of the pass (PostgreSQL or a SQLite file);
- two django-q2 clusters with the sweep's schedule due, plus the sweep delivered twice
  (django-q2's duplicate-delivery trap), on PostgreSQL;
- two Celery workers given beat's task twice at once (two beats), with Redis.

The machinery is in tests/notifications/processes.py.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import subprocess
import time

import pytest
from django.conf import settings

from tests.notifications.processes import (
    PYTHON,
    ROOT,
    SPARE_REDIS_DB,
    SmtpRecorder,
    celery_send,
    celery_worker,
    check_exactly_once,
    child_env,
    cli,
    forget_queue,
    postgres_database,
    postgres_server,
    qcluster,
    redis_address,
    sqlite_database,
    stop_all,
    wait_until,
)

pytestmark = pytest.mark.slow

SWEEP_SCHEDULE = "notifications: reminders sweep"
SWEEP_FUNC = "notifications.tasks.run_reminders"
# Items due relative to today, as scheduled runs see it. On a working day the runs plan
# them; on other days they only send, so the seed plans them instead.
SEED_FOR_TODAY = ["seed", "--overdue", "100", "--due-soon", "100", "--plan-unless-working-day"]
_queues = itertools.count(1)


@pytest.fixture
def smtp():
    recorder = SmtpRecorder().start()
    yield recorder
    recorder.stop()


@contextlib.contextmanager
def forgotten(host: str, port: int, queue: str):
    try:
        yield
    finally:
        forget_queue(host, port, SPARE_REDIS_DB, queue)


@pytest.fixture
def shared_database(tmp_path):
    """A database the processes share: PostgreSQL in the PostgreSQL pass of the suite, a
    SQLite file (the embedded default) in the SQLite pass."""
    if "sqlite" in settings.DATABASES["default"]["ENGINE"]:
        with sqlite_database(tmp_path) as db:
            yield db
    else:
        with postgres_database(postgres_server()) as db:
            yield db


def test_three_sweeps_at_once_plan_and_send_each_notification_once(shared_database, smtp, tmp_path):
    db = shared_database
    env = child_env(db.url, smtp.port)
    day = "2026-11-23"  # a Monday, a working day in England and Wales
    seeded = cli(env, "seed", "--overdue", "100", "--due-soon", "200", "--day", day)
    expected = seeded["expected"]
    assert (expected, seeded["planned"]) == (800, 0)

    command = [PYTHON, "manage.py", "send_reminders", "--as-of", day, "--json"]
    runs = []
    try:
        for n in range(3):
            with (tmp_path / f"send_reminders-{n}.log").open("wb") as log:
                runs.append(
                    subprocess.Popen(
                        command,
                        cwd=ROOT,
                        env=env,
                        stdout=subprocess.PIPE,
                        stderr=log,
                        start_new_session=True,
                    )
                )
        outputs = [run.communicate(timeout=180)[0] for run in runs]
    finally:
        for run in runs:
            if run.poll() is None:
                os.killpg(run.pid, 9)
                run.wait(timeout=10)
    assert [run.returncode for run in runs] == [0, 0, 0]
    reports = [json.loads(output.decode().strip().splitlines()[-1]) for output in outputs]

    assert [report["errors"] for report in reports] == [[], [], []]
    assert sum(report["planned"] for report in reports) == expected  # each row planned once
    assert sum(report["sent"] for report in reports) == expected  # and sent by one of them
    outcome = check_exactly_once(db, smtp, kills=0)
    assert (outcome.rows, outcome.received) == (expected, expected)
    assert outcome.states == {"sent": expected}


@pytest.mark.postgres
def test_two_qclusters_with_the_sweep_due_send_each_notification_once(smtp, tmp_path):
    """Both clusters' schedulers find the sweep due (django-q2 locks the schedule row, so
    one of them creates the task); on top of that the sweep is delivered twice more, as
    if the queue handed one task out twice. Three runs, four workers, one e-mail each."""
    with postgres_database(postgres_server()) as db:
        env = child_env(db.url, smtp.port)
        seeded = cli(env, *SEED_FOR_TODAY)
        expected = seeded["expected"]
        clusters = [qcluster(f"qcluster-{n}", env, tmp_path).start() for n in (1, 2)]
        try:
            cli(env, "enqueue", "run", "--times", "2")
            # The schedulers look every 30 s; the schedule's next run is already past.
            wait_until(
                lambda: db.query(
                    'SELECT COUNT(*) FROM django_q_task WHERE "group" = %s', (SWEEP_SCHEDULE,)
                )[0][0],
                timeout=120,
                what="a scheduler to run the sweep",
            )
            wait_until(
                lambda: (
                    db.query(
                        "SELECT COUNT(*) FROM django_q_task WHERE func = %s AND success",
                        (SWEEP_FUNC,),
                    )[0][0]
                    >= 3
                ),
                timeout=120,
                what="three sweeps to finish\n" + clusters[0].log_tail(),
            )
            time.sleep(2)  # the other scheduler has looked by now (both started together)
        finally:
            stop_all(clusters)
        scheduled = db.query(
            'SELECT COUNT(*) FROM django_q_task WHERE "group" = %s', (SWEEP_SCHEDULE,)
        )[0][0]
        assert scheduled == 1  # two schedulers, one run
        runs = db.query("SELECT COUNT(*) FROM django_q_task WHERE func = %s", (SWEEP_FUNC,))
        assert runs == [(3,)]
        outcome = check_exactly_once(db, smtp, kills=0)
        assert (outcome.rows, outcome.received) == (expected, expected)
        assert outcome.states == {"sent": expected}


@pytest.mark.postgres
def test_two_celery_workers_given_the_beat_task_at_once_send_each_notification_once(smtp, tmp_path):
    """Two beats (or a redelivery) put the sweep on the queue twice; two workers run it at
    the same moment."""
    host, port = redis_address()
    broker = f"redis://{host}:{port}/{SPARE_REDIS_DB}"
    queue = f"tracker-processes-{os.getpid()}-concurrency-{next(_queues)}"
    with postgres_database(postgres_server()) as db, forgotten(host, port, queue):
        env = child_env(db.url, smtp.port, CELERY_BROKER_URL=broker)
        seeded = cli(env, *SEED_FOR_TODAY)
        expected = seeded["expected"]
        workers = [celery_worker(f"celery-{n}", env, tmp_path, queue=queue).start() for n in (1, 2)]
        try:
            for worker in workers:
                wait_until(
                    lambda worker=worker: " ready." in worker.log(),
                    timeout=60,
                    what=f"{worker.name} to start\n{worker.log_tail()}",
                )
            celery_send(broker, "notifications.run_reminders", queue=queue)
            celery_send(broker, "notifications.run_reminders", queue=queue)
            wait_until(
                lambda: sum(w.log().count("succeeded in") for w in workers) >= 2,
                timeout=120,
                what="both runs to finish",
            )
        finally:
            stop_all(workers)
        # Each worker ran one (prefetch 1): the two runs overlapped.
        assert [w.log().count("succeeded in") for w in workers] == [1, 1]
        outcome = check_exactly_once(db, smtp, kills=0)
        assert (outcome.rows, outcome.received) == (expected, expected)
        assert outcome.states == {"sent": expected}

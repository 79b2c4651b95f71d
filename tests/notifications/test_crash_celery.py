"""Crash and broker restart: the Celery runner with Redis (real processes, PostgreSQL).

The scale-out set-up: `celery -A tracker worker` (TRACKER_TASK_RUNNER=celery) with Redis as
the broker and PostgreSQL as the database, sending to a real SMTP server that records every
message. The ledger in the database is the source of truth: whatever happens to the worker
or to Redis, every planned notification reaches the server, or (routine kinds only) is
marked `unknown` when a sender died after handing it over; escalations are never lost, and
duplicates are at most one per kill. The machinery is in tests/notifications/processes.py.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
import time

import pytest

from tests.notifications.processes import (
    LEASE_SECONDS,
    SPARE_REDIS_DB,
    Group,
    SmtpRecorder,
    celery_send,
    celery_worker,
    check_exactly_once,
    child_env,
    children_of,
    cli,
    forget_queue,
    free_port,
    manage,
    postgres_database,
    postgres_server,
    real_clock_env,
    redis_address,
    require,
    row_id,
    stop_all,
    wait_until,
)

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

SEND = "notifications.send_notifications"  # what an event's commit hands over
RUN = "notifications.run_reminders"  # what beat sends every 5 minutes
_queues = itertools.count(1)


@pytest.fixture
def smtp():
    recorder = SmtpRecorder().start()
    yield recorder
    recorder.stop()


@pytest.fixture
def queue():
    """A queue of this test's own, so a shared Redis never mixes two runs' tasks."""
    return f"tracker-processes-{os.getpid()}-{next(_queues)}"


@pytest.fixture
def machine_redis(queue):
    """The machine's Redis (required in CI), left as it was found."""
    host, port = redis_address()
    yield f"redis://{host}:{port}/{SPARE_REDIS_DB}"
    forget_queue(host, port, SPARE_REDIS_DB, queue)


def send_reminders(env: dict) -> dict:
    return json.loads(manage(env, "send_reminders", "--json").stdout.strip().splitlines()[-1])


def catch_up_after_the_lease(env: dict, since: float) -> None:
    """What the next scheduled run does once the dead sender's lease has run out; a run
    after that finds nothing left."""
    time.sleep(max(0.0, since + LEASE_SECONDS + 0.5 - time.monotonic()))
    send_reminders(env)
    again = send_reminders(env)
    assert (again["planned"], again["sent"]) == (0, 0)


def test_celery_worker_killed_while_sending_loses_nothing(smtp, tmp_path, queue, machine_redis):
    """Kill 1: SIGKILL of the pool process running the task, when the server holds the
    600th message (a reminder) but has not answered: the worker rejects the task
    (acks_late, reject_on_worker_lost) and Redis redelivers it at once. Kill 2: SIGKILL
    of the whole worker (every process) at an arbitrary moment during the escalations;
    its task stays unacknowledged in Redis, so after a restart the next beat run sends
    what is left."""
    broker = machine_redis
    with postgres_database(postgres_server()) as db:
        env = child_env(db.url, smtp.port, CELERY_BROKER_URL=broker)
        seeded = cli(env, "seed", "--overdue", "250", "--due-soon", "500", "--plan")
        assert seeded["planned"] == 2000

        workers: list[Group] = []
        killed: list[str] = []

        def kill_the_pool_process(count: int, message_id: str) -> None:
            if count == 600:
                for pid in children_of(workers[-1].pid):
                    os.kill(pid, signal.SIGKILL)
                killed.append(message_id)

        smtp.on_message = kill_the_pool_process
        try:
            workers.append(celery_worker("celery-1", env, tmp_path, queue=queue).start())
            celery_send(broker, SEND, queue=queue, args=[seeded["ids"]])
            # The redelivered task carries on after the pool process died at 600.
            smtp.wait_for(1300, timeout=180)
            assert killed, "the pool process was not killed"
            workers[-1].kill()
            killed_at = time.monotonic()
            assert not workers[-1].alive()

            workers.append(celery_worker("celery-2", env, tmp_path, queue=queue).start())
            celery_send(broker, RUN, queue=queue)
            wait_until(
                lambda: db.states()["planned"] == 0,
                timeout=180,
                what=f"the restarted worker to send the rest\n{workers[-1].log_tail()}",
            )
            smtp.wait_quiet(seconds=1.5, timeout=60)
        finally:
            stop_all(workers)
        assert "WorkerLostError" in workers[0].log()

        catch_up_after_the_lease(env, killed_at)
        outcome = check_exactly_once(db, smtp, kills=2)
        assert row_id(killed[0]) in outcome.unknown  # the reminder killed at the server
        assert outcome.states["sent"] + outcome.states["unknown"] == 2000


@pytest.fixture
def redis_server(tmp_path):
    """A Redis server of the test's own, without persistence, so it can be restarted
    empty: everything queued in it is lost, as after a crash of an unpersisted Redis."""
    binary = shutil.which("redis-server")
    require(
        binary is not None and shutil.which("redis-cli") is not None,
        "redis-server and redis-cli are not installed (the Redis restart test starts its own)",
    )
    port = free_port()
    args = [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly"]
    args += ["no", "--dir", str(tmp_path)]

    class Server:
        def __init__(self):
            self.port = port
            self.group: Group | None = None

        def start(self) -> None:
            self.group = Group(f"redis-{port}", args, env=real_clock_env(), logs=tmp_path)
            self.group.start()
            wait_until(self.ping, timeout=20, what=f"Redis on port {port}")

        def ping(self) -> bool:
            return self.cli("ping").stdout.strip() == "PONG"

        def cli(self, *command: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                ["redis-cli", "-p", str(port), *command],
                env=real_clock_env(),
                capture_output=True,
                text=True,
                timeout=10,
                check=False,
            )

        def shutdown(self) -> None:
            self.cli("shutdown", "nosave")
            assert self.group is not None
            self.group.proc.wait(timeout=20)

    server = Server()
    server.start()
    try:
        yield server
    finally:
        if server.group is not None:
            server.group.stop()


def test_a_redis_restart_during_a_celery_run_loses_nothing(smtp, tmp_path, queue, redis_server):
    """Redis stops (`shutdown nosave`) while a worker sends 1,000 notifications and comes
    back empty: the task in flight is gone from the broker, but the rows are in the ledger,
    and the next beat run sends every one of them."""
    broker = f"redis://127.0.0.1:{redis_server.port}/0"
    with postgres_database(postgres_server()) as db:
        env = child_env(db.url, smtp.port, CELERY_BROKER_URL=broker)
        seeded = cli(env, "seed", "--overdue", "125", "--due-soon", "250", "--plan")
        assert seeded["planned"] == 1000
        worker = celery_worker("celery", env, tmp_path, queue=queue).start()
        try:
            celery_send(broker, SEND, queue=queue, args=[seeded["ids"]])
            smtp.wait_for(300, timeout=120)
            redis_server.shutdown()
            stopped_at = time.monotonic()
            time.sleep(2)
            redis_server.start()
            # Nothing of the task survived: not in the queue, not among the unacknowledged.
            for command in (["llen", queue], ["hlen", "unacked"]):
                assert redis_server.cli(*command).stdout.strip() == "0"
            # The worker reconnects by itself; beat's next run is sent to the new Redis.
            wait_until(
                lambda: worker.log().count("Connected to redis") >= 2,
                timeout=60,
                what=f"the worker to reconnect\n{worker.log_tail()}",
            )
            time.sleep(max(0.0, stopped_at + LEASE_SECONDS + 0.5 - time.monotonic()))
            celery_send(broker, RUN, queue=queue)
            wait_until(
                lambda: db.outstanding() == 0,
                timeout=180,
                what=f"the worker to send everything\n{worker.log_tail()}",
            )
            smtp.wait_quiet(seconds=1.0, timeout=60)
        finally:
            worker.stop()
        # The worker saw Redis go (and, with acks_late, terminated the task it was running).
        assert "Connection to broker lost" in worker.log()
        outcome = check_exactly_once(db, smtp, kills=1)
        assert outcome.states["sent"] + outcome.states["unknown"] == 1000

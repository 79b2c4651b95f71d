"""`make run` (scripts/run.sh) stops cleanly: Ctrl-C or SIGTERM to its process group stops the
web server and the django-q2 worker, every process of both, within 10 seconds."""

from __future__ import annotations

import os
import signal

import pytest
from django.conf import settings

from tests.tracker.demo_scripts import (
    free_port,
    processes_of,
    serving,
    sessions_started_by,
    started,
    stops_within,
    wait_until,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("`make run` uses the embedded default: tested in the SQLite pass.")
    return f"sqlite:///{tmp_path_factory.mktemp('run') / 'run.sqlite3'}"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_make_run_stops_the_server_and_the_worker_within_ten_seconds(database, sig, tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database, "RUN_ADDRESS": f"127.0.0.1:{port}"}
    with started("scripts/run.sh", env, tmp_path / "run.log") as run:
        wait_until(lambda: serving(port), timeout=120, what="the web server of scripts/run.sh")
        wait_until(
            lambda: any("qcluster" in p for p in processes_of(sessions_started_by(run.pid))),
            timeout=30,
            what="the django-q2 worker",
        )
        # the script, the server, the worker
        assert len(processes_of(sessions_started_by(run.pid))) >= 3

        stops_within(run, sig, port=port)
        assert run.wait(timeout=1) is not None

"""`make serve` (scripts/serve.sh) runs gunicorn with production settings over plain http and
stops cleanly: SIGTERM to its process group stops gunicorn, its workers and the worker."""

from __future__ import annotations

import os
import signal
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from tests.tracker.demo_scripts import (
    ROOT,
    free_port,
    processes_of,
    serving,
    sessions_started_by,
    started,
    stops_within,
    wait_until,
)

pytestmark = pytest.mark.slow


def _get(url: str):
    try:
        return urllib.request.urlopen(url, timeout=10)  # noqa: S310 (http on loopback)
    except urllib.error.HTTPError as error:
        return error


def test_make_serve_runs_gunicorn_with_production_settings_and_stops(tmp_path):
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("`make serve` is tried on the embedded default: tested in the SQLite pass.")
    if not (ROOT / "static" / "build" / "tracker.css").exists():
        pytest.skip("static/build/tracker.css is missing (make setup builds it)")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SERVE_ADDRESS": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }
    with started("scripts/serve.sh", env, tmp_path / "serve.log") as serve:
        wait_until(lambda: serving(port), timeout=120, what="gunicorn of scripts/serve.sh")
        wait_until(
            lambda: len(processes_of(sessions_started_by(serve.pid))) >= 5,
            timeout=30,
            what="gunicorn's workers and the django-q2 worker",
        )
        login = _get(f"http://127.0.0.1:{port}/accounts/login/")
        assert login.status == 200  # over http: no redirect to https locally
        missing = _get(f"http://127.0.0.1:{port}/no-such-page/")
        assert missing.status == 404
        assert "URLconf" not in missing.read().decode()  # no debug page: production
        assert "Using worker: gthread" in (tmp_path / "serve.log").read_text()

        stops_within(serve, signal.SIGTERM, port=port)

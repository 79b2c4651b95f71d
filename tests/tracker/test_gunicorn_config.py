"""tracker/gunicorn.conf.py sizes the web server for the machine and takes the operator's
overrides from the environment (docs/operations.md)."""

import os
import runpy

import pytest

from tests.notifications.processes import ROOT

CONFIG = str(ROOT / "tracker" / "gunicorn.conf.py")


@pytest.fixture
def cores(monkeypatch):
    for name in list(os.environ):
        if name.startswith("GUNICORN_") or name in {"WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"}:
            monkeypatch.delenv(name)

    def machine_with(count: int) -> None:
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(count)))

    return machine_with


def load() -> dict:
    return runpy.run_path(CONFIG)


def test_workers_are_two_per_core_plus_one_capped(cores, monkeypatch):
    cores(2)
    assert load()["workers"] == 5
    cores(16)
    assert load()["workers"] == 8  # the default cap
    monkeypatch.setenv("GUNICORN_MAX_WORKERS", "3")
    cores(2)
    assert load()["workers"] == 3


def test_web_concurrency_sets_the_workers_exactly(cores, monkeypatch):
    cores(16)
    monkeypatch.setenv("WEB_CONCURRENCY", "12")
    assert load()["workers"] == 12


def test_production_defaults(cores):
    cores(2)
    config = load()
    assert config["wsgi_app"] == "tracker.wsgi:application"
    assert config["bind"] == ["127.0.0.1:8000"]  # behind the proxy, never on every address
    assert config["threads"] > 1
    assert config["graceful_timeout"] < config["timeout"]
    assert 0 < config["max_requests_jitter"] < config["max_requests"]
    assert config["accesslog"] == "-"  # stdout, to the journal
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"
    # No control socket in $HOME unless asked for: two servers on a host would share it.
    assert config["control_socket_disable"] is True


def test_a_control_socket_when_asked_for(cores, monkeypatch, tmp_path):
    cores(2)
    monkeypatch.setenv("GUNICORN_CONTROL_SOCKET", str(tmp_path / "gunicorn.ctl"))
    config = load()
    assert config["control_socket_disable"] is False
    assert config["control_socket"] == str(tmp_path / "gunicorn.ctl")

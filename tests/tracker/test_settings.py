"""Production settings: `check --deploy` must be clean, and a missing secret key is caught."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_SECRET_KEY": "x9!k2Lr7$pQ4zW8mN3vB6cT1yH5jF0sD-production-like-secret-value",
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "tracker.example.gov.uk",
    "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
    "EMAIL_URL": "smtp+tls://user:pass@smtp.example.gov.uk:587",
    "SITE_URL": "https://tracker.example.gov.uk",
}


def _check_deploy(**overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(PRODUCTION, **overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_with_production_values():
    result = _check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_rejects_the_development_secret_key():
    env = {"DJANGO_SECRET_KEY": "django-insecure-development-only-key-never-use-in-production"}
    result = _check_deploy(**env)
    assert result.returncode != 0
    # Refused before any check runs: the application does not start on that key at all.
    assert "DJANGO_SECRET_KEY must be set to a long random value" in result.stderr


def test_sqlite_file_database_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    """The web server and the worker write at once without "database is locked"."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'wal.sqlite3'}"
    env["DJANGO_SECRET_KEY"] = PRODUCTION["DJANGO_SECRET_KEY"]
    code = (
        "from django.db import connection as c, transaction; cur = c.cursor();"
        "cur.execute('PRAGMA journal_mode'); print(cur.fetchone()[0]);"
        "print(c.settings_dict['OPTIONS']['transaction_mode'])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split()[-2:] == ["wal", "IMMEDIATE"]


def _import_settings(**environment: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    # Empty rather than absent, so that a developer's .env cannot supply a key here.
    env.update({"DJANGO_SECRET_KEY": "", **environment})
    return subprocess.run(
        [sys.executable, "-c", "import tracker.settings as s; print(s.DEBUG)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "key",
    [
        "",
        "django-insecure-development-only-key-never-use-in-production",
        "django-insecure-" + "k" * 60,
        "too-short-a-key",
        "ab" * 40,
    ],
    ids=["missing", "development key", "insecure prefix", "short", "few characters"],
)
@pytest.mark.parametrize("debug", ["0", "false", None])
def test_production_settings_refuse_to_start_without_a_real_secret_key(key, debug):
    environment = {"DJANGO_SECRET_KEY": key}
    if debug is not None:
        environment["DJANGO_DEBUG"] = debug

    result = _import_settings(**environment)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY must be set to a long random value" in result.stderr


def test_production_settings_start_with_a_real_secret_key():
    result = _import_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=PRODUCTION["DJANGO_SECRET_KEY"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False"]


def test_a_local_run_with_debug_on_needs_no_key():
    """`make run` (scripts/run.sh) sets DJANGO_DEBUG=true and no key."""
    result = _import_settings(DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"]


@pytest.mark.django_db
def test_postgresql_connections_plan_for_solid_state_disks():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)

"""Production settings: `check --deploy` must be clean, and a missing secret key is caught."""

import os
import subprocess
import sys
from pathlib import Path

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
    assert "security.W009" in result.stdout + result.stderr


def test_sqlite_file_database_runs_in_wal_mode_with_immediate_transactions(tmp_path):
    """The web server and the worker write at once without "database is locked"."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'wal.sqlite3'}"
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

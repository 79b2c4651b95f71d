import os
import socket

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from tests import factories


def _postgres_reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, a missing server fails the run in CI and skips it elsewhere."""
    db = django_settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        return
    host, port = db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)
    if _postgres_reachable(host, port):
        return
    reason = f"PostgreSQL is not reachable at {host}:{port} (DATABASE_URL)"
    if os.environ.get("CI"):
        raise pytest.UsageError(f"{reason}; it is required in CI.")
    skip = pytest.mark.skip(reason=f"{reason}; start it to run the PostgreSQL suite.")
    for item in items:
        item.add_marker(skip)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Production settings, less what needs a proxy or collectstatic; uploads in tmp;
    a fast hasher keeps user creation cheap."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The process-local cache outlives each test's database: start every test with none.
    cache.clear()
    # No API rate limit (its counts would outlive a test); tests/api/test_throttling.py sets one.
    settings.API_THROTTLE_RATE = None


@pytest.fixture
def force():
    return factories.ForceFactory(name="Cleveland Police")


@pytest.fixture
def other_force():
    return factories.ForceFactory(name="Northshire Police (demo)")


@pytest.fixture
def lead(force):
    return factories.ForceLeadFactory(force=force, username="lead")


@pytest.fixture
def owner(force):
    return factories.ActionOwnerFactory(force=force, username="owner")


@pytest.fixture
def sponsor(force):
    return factories.SponsorFactory(force=force, username="sponsor")


@pytest.fixture
def inspector(force):
    return factories.InspectorFactory(username="inspector", forces=[force])


@pytest.fixture
def other_lead(other_force):
    return factories.ForceLeadFactory(force=other_force, username="other-lead")


@pytest.fixture
def other_inspector(other_force):
    return factories.InspectorFactory(username="other-inspector", forces=[other_force])


@pytest.fixture
def administrator():
    return factories.AdministratorFactory(username="administrator")


@pytest.fixture
def item(force):
    return factories.ItemFactory(inspection__force=force)

import itertools
from pathlib import Path

import pytest

from recommendations.importing import limits
from tests.cpu_time import assert_doubling_is_linear, cpu_seconds

__all__ = ["assert_doubling_is_linear", "cpu_seconds", "read_fixture"]

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "publications"


def read_fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def register_text() -> str:
    return read_fixture("register_cleveland_2018_9207.txt")


@pytest.fixture
def peel_text() -> str:
    return read_fixture("peel_cleveland_2021_22.txt")


@pytest.fixture
def slow_clock(monkeypatch, settings):
    """Each reading of the import clock is a second after the last: every step of an import
    runs out of time after a few checks, whatever the machine's own speed or date. The limit
    is the server's default (2 s; tests/settings.py raises it for the other tests)."""
    settings.TRACKER_IMPORT_TIME_LIMIT = 2.0
    ticks = itertools.count()
    monkeypatch.setattr(limits, "_clock", lambda: float(next(ticks)))

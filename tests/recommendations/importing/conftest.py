import itertools
import time
from pathlib import Path

import pytest

from recommendations.importing import limits

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


def cpu_seconds(function, *args, runs: int = 1) -> float:
    """The least processor time (of this thread) ``function(*args)`` took in ``runs`` runs.

    Processor time, not wall-clock time: the machine is shared, and a parse that went
    quadratic again costs processor time whatever else is running.
    """
    times = []
    for _ in range(runs):
        started = time.thread_time()
        function(*args)
        times.append(time.thread_time() - started)
    return min(times)


def assert_doubling_is_linear(function, small_input, large_input, *, factor: int = 2) -> None:
    """`factor` times the input takes not much more than `factor` times the time (quadratic
    would be factor squared). A larger factor leaves more room for a busy machine's noise."""
    small = cpu_seconds(function, small_input, runs=3)
    large = cpu_seconds(function, large_input, runs=3)
    allowed = 2.5 if factor == 2 else factor * 2
    assert large <= allowed * small + 0.05, (small, large)

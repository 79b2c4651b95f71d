"""Processor-time checks that a parse stays linear in its input.

Processor time, not wall-clock time: the machine is shared, and a parse that went quadratic
again costs processor time whatever else is running. A busy machine still slows a run now and
then (caches, frequency), so the small and large inputs are timed in turn, and a comparison that
fails is tried again: a quadratic parse fails every try, a moment of noise does not.
"""

import time
from collections.abc import Callable
from typing import Any


def cpu_seconds(function: Callable[..., Any], *args: Any, runs: int = 1) -> float:
    """The least processor time (of this thread) ``function(*args)`` took in ``runs`` runs."""
    times = []
    for _ in range(runs):
        started = time.thread_time()
        function(*args)
        times.append(time.thread_time() - started)
    return min(times)


def assert_doubling_is_linear(
    function: Callable[[Any], Any],
    small_input: Any,
    large_input: Any,
    *,
    factor: int = 2,
    tries: int = 3,
) -> None:
    """`factor` times the input takes not much more than `factor` times the time (quadratic
    would be factor squared). A larger factor leaves more room for a busy machine's noise."""
    allowed = 2.5 if factor == 2 else factor * 2
    measured = []
    for _ in range(tries):
        small = large = float("inf")
        for _ in range(3):  # in turn, so a busy moment slows both sizes alike
            small = min(small, cpu_seconds(function, small_input))
            large = min(large, cpu_seconds(function, large_input))
        if large <= allowed * small + 0.05:
            return
        measured.append((round(small, 4), round(large, 4)))
    raise AssertionError(f"{factor}x the input took more than {allowed}x the time: {measured}")

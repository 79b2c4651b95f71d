import pytest

from tests.cpu_time import assert_doubling_is_linear


def _quadratic(items: list[int]) -> int:
    return sum(1 for a in items for b in items if a == b)


def test_the_linear_time_check_refuses_a_quadratic_function():
    with pytest.raises(AssertionError, match=r"more than 2\.5x the time"):
        assert_doubling_is_linear(_quadratic, list(range(3_000)), list(range(6_000)), tries=1)


def test_the_linear_time_check_accepts_a_linear_function():
    assert_doubling_is_linear(str.upper, "ab" * 2_000_000, "ab" * 4_000_000)

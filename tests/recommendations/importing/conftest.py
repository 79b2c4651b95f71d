from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "publications"


def read_fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def register_text() -> str:
    return read_fixture("register_cleveland_2018_9207.txt")


@pytest.fixture
def peel_text() -> str:
    return read_fixture("peel_cleveland_2021_22.txt")

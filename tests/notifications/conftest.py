"""Shared helpers for the notification tests: frozen days and running the command."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


@pytest.fixture
def clock(time_machine):
    """Freeze time at a London hour on a day: clock(date(2026, 11, 23))."""

    def move_to(day: date, hour: int = 9) -> None:
        time_machine.move_to(at(day, hour), tick=False)

    return move_to


def run_reminders(day: date | None = None, *extra: str) -> dict:
    """`manage.py send_reminders --json [--as-of day]`, parsed."""
    out = io.StringIO()
    args = ["--json", *extra]
    if day is not None:
        args += ["--as-of", day.isoformat()]
    call_command("send_reminders", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def run(clock):
    """Move the clock to 09:00 on `day` and run the command for that day."""

    def run_on(day: date, *extra: str) -> dict:
        clock(day)
        return run_reminders(day, *extra)

    return run_on

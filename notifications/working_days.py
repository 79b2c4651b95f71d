"""Working days in England and Wales: not a weekend, not a bank holiday.

Bank holidays come from the data shipped with `govuk-bank-holidays`, never the network, so
the answer is the same on every host and in tests. Past the end of the shipped data only
weekends count, which errs towards sending a reminder rather than holding it back.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from govuk_bank_holidays.bank_holidays import BankHolidays

DIVISION = BankHolidays.ENGLAND_AND_WALES


@lru_cache(maxsize=1)
def bank_holidays() -> frozenset[date]:
    calendar = BankHolidays(use_cached_holidays=True)
    return frozenset(h["date"] for h in calendar.get_holidays(division=DIVISION))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays()


def next_working_day(day: date) -> date:
    """The day itself when it is a working day, otherwise the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day

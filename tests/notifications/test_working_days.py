from datetime import date

from notifications.working_days import is_working_day, next_working_day


def test_weekends_are_not_working_days():
    assert is_working_day(date(2026, 11, 27))  # Friday
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert not is_working_day(date(2026, 11, 29))  # Sunday
    assert next_working_day(date(2026, 11, 28)) == date(2026, 11, 30)


def test_christmas_2026_and_its_substitute_day():
    # Christmas Day is a Friday; Boxing Day, a Saturday, is substituted on Monday 28th.
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 28))
    assert next_working_day(date(2026, 12, 25)) == date(2026, 12, 29)


def test_england_and_wales_only():
    # St Andrew's Day (Scotland) and 12 July (Northern Ireland) are working days here.
    assert is_working_day(date(2026, 11, 30))
    assert is_working_day(date(2027, 7, 12))
    assert not is_working_day(date(2027, 8, 30))  # summer bank holiday, England and Wales


def test_shipped_data_not_the_network(monkeypatch):
    import requests

    def no_network(*args, **kwargs):
        raise AssertionError("the bank holiday data must never be downloaded")

    monkeypatch.setattr(requests, "get", no_network)
    from notifications import working_days

    working_days.bank_holidays.cache_clear()
    assert not working_days.is_working_day(date(2027, 12, 27))

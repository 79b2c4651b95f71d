"""The demo run forward day by day: exactly the e-mails a force lead would expect."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

R2 = "Cleveland Police, recommendation 9207/2"  # extended by the inspector to today + 12 days
R3 = "Cleveland Police, recommendation 9207/3"  # due 7 February 2019, awaiting review
PEEL = "Cleveland Police, recommendation PEEL 2021/22 R{}"  # the pages' reference
P1, P2 = PEEL.format(1), PEEL.format(2)  # immediate, due 17 March 2023

# Loaded on Monday 23 November 2026; 9207/2 is then due on Saturday 5 December 2026.
# Overdue items repeat every 7 days after day 30: 9207/3's steps fall on Saturdays, the PEEL
# items' on Sundays, so both reach the lead on Mondays. Weekends plan nothing.
EXPECTED_FOR_CLEVELAND_LEAD = {
    date(2026, 11, 23): [
        f"Due in 12 days: {R2}",
        f"Extension approved: now due 5 December 2026: {R2}",  # the lead asked, the inspector
        f"Overdue by 2,846 days: {R3}",
        f"Overdue by 1,347 days: {P1}",
        f"Overdue by 1,347 days: {P2}",
    ],
    date(2026, 11, 30): [
        f"Due in 5 days: {R2}",  # the 7-day reminder fell on Saturday 28th
        f"Overdue by 2,853 days: {R3}",
        f"Overdue by 1,354 days: {P1}",
        f"Overdue by 1,354 days: {P2}",
    ],
    date(2026, 12, 4): [f"Due tomorrow: {R2}"],
    # The due day is a Saturday: by Monday the item is overdue, and the day-1 escalation
    # supersedes the on-the-day reminder.
    date(2026, 12, 7): [
        f"Overdue by 2 days: {R2}",
        f"Overdue by 2,860 days: {R3}",
        f"Overdue by 1,361 days: {P1}",
        f"Overdue by 1,361 days: {P2}",
    ],
}


def test_demo_run_forward_day_by_day(clock, run, mailoutbox):
    clock(date(2026, 11, 23))
    call_command("seed_demo", stdout=None)
    received: dict[date, list[str]] = {}
    northshire_subjects = []
    for n in range(15):
        day = date(2026, 11, 23) + timedelta(days=n)
        report = run(day)
        assert report["failed"] == 0 and report["unknown"] == 0
        for message in mailoutbox:
            if message.to == ["cleveland-lead@example.com"]:
                received.setdefault(day, []).append(message.subject)
            if message.to == ["northshire-lead@example.com"]:
                northshire_subjects.append(message.subject)
        mailoutbox.clear()

    assert {day: sorted(s) for day, s in received.items()} == {
        day: sorted(s) for day, s in EXPECTED_FOR_CLEVELAND_LEAD.items()
    }
    assert northshire_subjects  # Northshire's own overdue recommendation
    assert all("Northshire Police (demo)" in s for s in northshire_subjects)
    assert not any("Cleveland" in s for s in northshire_subjects)


def test_running_the_same_days_again_sends_nothing(clock, run, mailoutbox):
    clock(date(2026, 11, 23))
    call_command("seed_demo", stdout=None)
    for n in range(8):
        run(date(2026, 11, 23) + timedelta(days=n))
    mailoutbox.clear()
    for n in range(8):
        report = run(date(2026, 11, 23) + timedelta(days=n))
        assert report["planned"] == 0
        assert report["sent"] == 0
    assert mailoutbox == []

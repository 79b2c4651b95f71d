"""The dashboard's history chart reads each force's daily snapshot, which the periodic job
records and `snapshot_backfill` rebuilds once from the timeline."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from recommendations import selectors, services, tasks
from recommendations.models import ForceSnapshot, Status, TimelineKind
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2024, 6, 20)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2024, 6, 20, 18, tzinfo=UTC), tick=False):
        yield


def test_the_job_records_each_forces_counts_once_a_day(force, other_force):
    factories.ItemFactory(inspection__force=force, due_on=date(2024, 6, 1))  # overdue
    factories.ItemFactory(inspection__force=force, due_on=date(2024, 7, 1))  # due soon
    factories.ItemFactory(
        inspection__force=force, status=Status.BEING_PROGRESSED, due_on=date(2025, 1, 1)
    )
    factories.ItemFactory(inspection__force=force, status=Status.COMPLETE)

    assert tasks.record_snapshots() == 2
    factories.ItemFactory(inspection__force=force, status=Status.NO_FURTHER_ACTION_NEEDED)
    tasks.record_snapshots()  # later the same day: the day's row brought up to date

    mine = ForceSnapshot.objects.get(force=force)
    assert (mine.on, mine.open_count, mine.overdue_count, mine.due_soon_count) == (
        TODAY,
        3,
        1,
        1,
    )
    assert (
        mine.awaiting_review_count,
        mine.being_progressed_count,
        mine.complete_count,
        mine.no_further_action_count,
    ) == (2, 1, 1, 1)
    empty = ForceSnapshot.objects.get(force=other_force)
    assert (empty.open_count, empty.overdue_count) == (0, 0)


def test_the_chart_reads_the_snapshots_and_todays_counts(force, other_force):
    for on, open_count, overdue in [
        (date(2024, 5, 31), 7, 2),
        (date(2024, 5, 15), 99, 99),  # earlier in May: the month's last one counts
        (date(2024, 3, 31), 5, 1),
        (date(2023, 6, 30), 1, 0),
    ]:
        ForceSnapshot.objects.create(
            force=force, on=on, open_count=open_count, overdue_count=overdue
        )
    ForceSnapshot.objects.create(force=other_force, on=date(2024, 5, 31), open_count=50)
    now = {"new": 1, "awaiting_review": 2, "being_progressed": 3, "overdue": 4}

    series = selectors.open_and_overdue_series(force, today=TODAY, now=now)

    points = {p["on"]: (p["open"], p["overdue"]) for p in series}
    assert len(series) == 13
    assert points[date(2024, 5, 31)] == (7, 2)
    assert points[date(2024, 4, 30)] == (0, 0)  # nothing recorded that month
    assert points[date(2024, 3, 31)] == (5, 1)
    assert points[date(2023, 6, 30)] == (1, 0)
    assert points[TODAY] == (6, 4)


def test_the_dashboard_shows_the_snapshots(client, force, lead):
    factories.ItemFactory(inspection__force=force, due_on=date(2024, 6, 1))
    ForceSnapshot.objects.create(force=force, on=date(2024, 5, 31), open_count=4321)
    client.force_login(lead)

    response = client.get(reverse("recommendations:force-dashboard", args=[force.slug]))

    assert response.status_code == 200
    assert b"4321" in response.content
    trend = response.context["trend_chart"]["series"]
    assert (trend[-1]["open"], trend[-1]["overdue"]) == (1, 1)


def test_backfill_rebuilds_month_ends_from_the_timeline(force):
    item = factories.ItemFactory(inspection__force=force, due_on=date(2024, 4, 15))
    for occurred_at, status_to in [
        (datetime(2024, 1, 10, tzinfo=UTC), Status.AWAITING_REVIEW),
        (datetime(2024, 3, 5, tzinfo=UTC), Status.COMPLETE),
        (datetime(2024, 5, 2, tzinfo=UTC), Status.BEING_PROGRESSED),
    ]:
        factories.TimelineEntryFactory(
            item=item,
            kind=TimelineKind.STATUS_CHANGED,
            occurred_at=occurred_at,
            status_to=status_to,
            due_to=date(2024, 4, 15) if status_to == Status.AWAITING_REVIEW else None,
        )
    ForceSnapshot.objects.create(force=force, on=date(2024, 5, 31), open_count=77)

    call_command("snapshot_backfill", months=12)

    rows = {
        s.on: (s.open_count, s.overdue_count, s.complete_count)
        for s in ForceSnapshot.objects.filter(force=force)
    }
    assert rows[date(2023, 12, 31)] == (0, 0, 0)
    assert rows[date(2024, 1, 31)] == (1, 0, 0)
    assert rows[date(2024, 3, 31)] == (0, 0, 1)
    assert rows[date(2024, 5, 31)] == (77, 0, 0)  # recorded by the job: kept
    assert rows[TODAY] == (1, 1, 0)  # today's, as the items stand
    assert len(rows) == 13
    assert services.snapshot_backfill(today=TODAY) == 0  # nothing left to rebuild

"""The sweep with time frozen: windows, catch-up, working days, stopping and resetting."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications import sweep
from notifications.models import EscalationStep, Kind, Notification, State
from recommendations import services
from recommendations.models import Status
from tests import factories

pytestmark = pytest.mark.django_db


def days(start: date, end: date):
    while start <= end:
        yield start
        start += timedelta(days=1)


def received(mailoutbox, user) -> list[str]:
    return [m.subject for m in mailoutbox if m.to == [user.email]]


def run_days(run, mailoutbox, user, start: date, end: date) -> dict[date, list[str]]:
    """Run every day from start to end; what `user` received, by day."""
    by_day = {}
    for day in days(start, end):
        run(day)
        if subjects := received(mailoutbox, user):
            by_day[day] = subjects
        mailoutbox.clear()
    return by_day


@pytest.fixture
def open_item(force, owner):
    def make(due_on: date, **extra):
        extra.setdefault("owner", owner)
        return factories.ItemFactory(
            inspection__force=force,
            reference=extra.pop("reference", "9207/2"),
            due_on=due_on,
            status=Status.BEING_PROGRESSED,
            **extra,
        )

    return make


def test_a_second_run_sends_nothing(run, mailoutbox, open_item, lead, owner):
    open_item(date(2026, 11, 30))
    first = run(date(2026, 11, 23))
    assert first["planned"] == 2 and first["sent"] == 2
    assert sorted(m.to[0] for m in mailoutbox) == [lead.email, owner.email]
    assert {m.subject for m in mailoutbox} == {
        "Due in 7 days: Cleveland Police, recommendation 9207/2"
    }
    mailoutbox.clear()
    second = run(date(2026, 11, 23))
    assert (second["planned"], second["sent"]) == (0, 0)
    assert mailoutbox == []
    assert Notification.objects.count() == 2


def test_reminders_at_30_7_1_days_and_on_the_day(run, mailoutbox, open_item, lead):
    open_item(date(2027, 1, 20))  # a Wednesday; Christmas falls in between
    assert run_days(run, mailoutbox, lead, date(2026, 12, 15), date(2027, 1, 20)) == {
        date(2026, 12, 21): ["Due in 30 days: Cleveland Police, recommendation 9207/2"],
        date(2027, 1, 13): ["Due in 7 days: Cleveland Police, recommendation 9207/2"],
        date(2027, 1, 19): ["Due tomorrow: Cleveland Police, recommendation 9207/2"],
        date(2027, 1, 20): ["Due today: Cleveland Police, recommendation 9207/2"],
    }


def test_lead_times_are_a_setting(settings, run, mailoutbox, open_item, lead):
    settings.NOTIFICATIONS_REMINDER_DAYS = [14, 3]
    open_item(date(2027, 1, 20))
    assert list(run_days(run, mailoutbox, lead, date(2027, 1, 1), date(2027, 1, 20))) == [
        date(2027, 1, 6),
        date(2027, 1, 18),  # 3 days before is Sunday the 17th
    ]


def test_after_an_outage_the_latest_reminder_is_sent_once(run, mailoutbox, open_item, lead):
    """No runs for weeks: the 30-day reminder is not sent late, the 7-day band catches up."""
    open_item(date(2026, 12, 10))
    assert run_days(run, mailoutbox, lead, date(2026, 12, 7), date(2026, 12, 10)) == {
        date(2026, 12, 7): ["Due in 3 days: Cleveland Police, recommendation 9207/2"],
        date(2026, 12, 9): ["Due tomorrow: Cleveland Police, recommendation 9207/2"],
        date(2026, 12, 10): ["Due today: Cleveland Police, recommendation 9207/2"],
    }


def test_after_an_outage_an_overdue_item_gets_its_latest_step_once(
    run, mailoutbox, open_item, lead, owner, sponsor, inspector
):
    """Steps 1, 14, 30, 37, 44 and 51 were all missed: one e-mail each, at step 51, to the
    whole audience so far, instead of six e-mails each."""
    open_item(date(2026, 10, 1))
    report = run(date(2026, 11, 23))  # 53 days overdue
    assert report["planned_by_kind"] == {"due-reminder": 0, "overdue": 4, "digest": 0}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        u.email for u in (lead, owner, sponsor, inspector)
    )
    assert {m.subject for m in mailoutbox} == {
        "Overdue by 53 days: Cleveland Police, recommendation 9207/2"
    }
    assert set(Notification.objects.values_list("key", flat=True)) == {"day-51@2026-10-01"}


def test_the_ladder_day_by_day(run, mailoutbox, open_item, lead, sponsor, inspector):
    open_item(date(2027, 3, 1))  # a Monday
    lead_mail = run_days(run, mailoutbox, lead, date(2027, 3, 1), date(2027, 4, 20))
    assert {day: s[0].split(":")[0] for day, s in lead_mail.items()} == {
        date(2027, 3, 1): "Due today",
        date(2027, 3, 2): "Overdue by 1 day",
        date(2027, 3, 15): "Overdue by 14 days",
        date(2027, 3, 31): "Overdue by 30 days",
        date(2027, 4, 7): "Overdue by 37 days",
        date(2027, 4, 14): "Overdue by 44 days",
    }
    keys = Notification.objects.filter(recipient=sponsor).values_list("key", flat=True)
    assert sorted(keys) == [f"day-{n}@2027-03-01" for n in (14, 30, 37, 44)]
    assert Notification.objects.filter(recipient=inspector, level__lt=30).count() == 0


def test_month_ends_and_a_leap_day(run, mailoutbox, open_item, lead):
    open_item(date(2028, 2, 28))  # Monday; 2028 is a leap year
    lead_mail = run_days(run, mailoutbox, lead, date(2028, 2, 28), date(2028, 3, 31))
    assert {day: s[0].split(":")[0] for day, s in lead_mail.items()} == {
        date(2028, 2, 28): "Due today",
        date(2028, 2, 29): "Overdue by 1 day",
        date(2028, 3, 13): "Overdue by 14 days",
        date(2028, 3, 29): "Overdue by 30 days",
    }


def test_a_weekend_moves_reminders_to_monday(run, mailoutbox, open_item, lead):
    open_item(date(2027, 3, 1))  # Monday: 30 days before is Saturday 30 January
    lead_mail = run_days(run, mailoutbox, lead, date(2027, 1, 25), date(2027, 3, 1))
    assert lead_mail == {
        date(2027, 2, 1): ["Due in 28 days: Cleveland Police, recommendation 9207/2"],
        date(2027, 2, 22): ["Due in 7 days: Cleveland Police, recommendation 9207/2"],
        # 1 day before is Sunday 28 February: the day itself catches up.
        date(2027, 3, 1): ["Due today: Cleveland Police, recommendation 9207/2"],
    }


def test_bank_holidays_plan_nothing_and_the_next_working_day_catches_up(
    run, mailoutbox, open_item, lead
):
    open_item(date(2026, 12, 24))  # day 1 overdue is Christmas Day
    open_item(date(2026, 12, 29), reference="9207/3")  # 1 day before is Monday 28th, a holiday
    for day in days(date(2026, 12, 25), date(2026, 12, 28)):
        report = run(day)
        assert report["working_day"] is False
        assert report["planned"] == 0
    assert received(mailoutbox, lead) == []
    run(date(2026, 12, 29))
    assert sorted(received(mailoutbox, lead)) == [
        "Due today: Cleveland Police, recommendation 9207/3",
        "Overdue by 5 days: Cleveland Police, recommendation 9207/2",
    ]


def test_a_status_change_stops_the_ladder_at_once(run, mailoutbox, open_item, lead, inspector):
    item = open_item(date(2026, 11, 20))
    run(date(2026, 11, 23))
    assert received(mailoutbox, lead)
    mailoutbox.clear()
    # Planned for the 14th day, then closed before the sender gets to it: cancelled.
    sweep.sweep(today=date(2026, 12, 4))
    planned = Notification.objects.filter(state=State.PLANNED, kind=Kind.OVERDUE)
    assert planned.exists()
    services.item_transition(transition="submit_for_review", item=item, user=lead)
    services.item_transition(transition="complete", item=item, user=inspector, comment="Done.")
    mailoutbox.clear()
    report = run(date(2026, 12, 4))
    assert report["cancelled"] >= 1
    assert not [m for m in mailoutbox if "Overdue" in m.subject]
    for day in days(date(2026, 12, 5), date(2027, 1, 31)):
        assert run(day)["planned_by_kind"].get("overdue", 0) == 0


def test_a_new_due_date_resets_the_ladder(run, mailoutbox, open_item, lead, owner):
    item = open_item(date(2026, 11, 9))
    run(date(2026, 11, 23))  # 14 days overdue
    assert received(mailoutbox, lead) == [
        "Overdue by 14 days: Cleveland Police, recommendation 9207/2"
    ]
    mailoutbox.clear()
    inspector = factories.InspectorFactory(username="inspector", forces=[item.force])
    services.item_change_due_date(
        item=item, user=inspector, due_on=date(2026, 12, 3), reason="Agreed"
    )
    lead_mail = run_days(run, mailoutbox, lead, date(2026, 11, 24), date(2026, 12, 4))
    assert lead_mail == {
        date(2026, 11, 24): ["Due in 9 days: Cleveland Police, recommendation 9207/2"],
        date(2026, 11, 26): ["Due in 7 days: Cleveland Police, recommendation 9207/2"],
        date(2026, 12, 2): ["Due tomorrow: Cleveland Police, recommendation 9207/2"],
        date(2026, 12, 3): ["Due today: Cleveland Police, recommendation 9207/2"],
        date(2026, 12, 4): ["Overdue by 1 day: Cleveland Police, recommendation 9207/2"],
    }


def test_nobody_hears_about_another_forces_items(
    run,
    mailoutbox,
    force,
    other_force,
    lead,
    owner,
    sponsor,
    inspector,
    other_lead,
    other_inspector,
):
    mine = factories.ItemFactory(inspection__force=force, due_on=date(2026, 9, 1), owner=owner)
    theirs = factories.ItemFactory(inspection__force=other_force, due_on=date(2026, 9, 1))
    # An owner from another force, as bad data might have it, is not told either.
    factories.ItemFactory(inspection__force=other_force, due_on=date(2026, 9, 1), owner=owner)
    factories.ActionFactory(item=theirs, owner=lead)
    run(date(2026, 11, 23))
    by_recipient = {}
    for message in mailoutbox:
        by_recipient.setdefault(message.to[0], []).append(message.subject)
    for user in (lead, owner, sponsor, inspector):
        assert by_recipient[user.email]
        assert all("Cleveland Police" in s for s in by_recipient[user.email])
    for user in (other_lead, other_inspector):
        assert all("Northshire" in s for s in by_recipient[user.email])
    assert Notification.objects.filter(item=mine, recipient=other_inspector).count() == 0
    assert Notification.objects.filter(item=theirs, recipient=inspector).count() == 0


def test_editing_the_ladder_does_not_move_what_was_sent(run, mailoutbox, open_item, sponsor):
    item = open_item(date(2026, 11, 6))
    run(date(2026, 11, 20))  # day 14
    sent = list(Notification.objects.values_list("pk", "key", "state", "sent_at"))
    EscalationStep.objects.filter(day=14).update(day=10)
    EscalationStep.objects.filter(day=30).update(day=20)
    run(date(2026, 11, 23))  # day 17: step "10" is behind what was sent, nothing new
    assert list(Notification.objects.values_list("pk", "key", "state", "sent_at")) == sent
    mailoutbox.clear()
    run(date(2026, 11, 26))  # day 20: the new step applies from now on
    assert received(mailoutbox, sponsor) == [
        "Overdue by 20 days: Cleveland Police, recommendation 9207/2"
    ]
    assert Notification.objects.filter(item=item, key="day-20@2026-11-06").exists()


def test_a_dry_run_writes_and_sends_nothing(run, mailoutbox, open_item, lead, sponsor):
    open_item(date(2026, 11, 30))  # owner and lead
    open_item(date(2026, 10, 1), reference="9207/3")  # owner, lead and sponsor
    report = run(date(2026, 11, 23), "--dry-run")
    assert report["dry_run"] is True
    assert report["planned_by_kind"] == {"due-reminder": 2, "overdue": 3, "digest": 0}
    assert len(report["preview"]) == report["planned"]
    assert Notification.objects.count() == 0
    assert mailoutbox == []


def test_the_sweep_runs_a_fixed_number_of_queries_whatever_the_number_of_items(
    force, lead, owner, sponsor, inspector
):
    def count_queries(n_items: int) -> tuple[int, int]:
        Notification.objects.all().delete()
        for n in range(n_items):
            item = factories.ItemFactory(
                inspection__force=force, due_on=date(2026, 11, 25 + n % 5), owner=owner
            )
            factories.ActionFactory(item=item, owner=owner)
            factories.ItemFactory(inspection__force=force, due_on=date(2026, 10, 1 + n % 20))
        with CaptureQueriesContext(connection) as queries:
            report = sweep.sweep(today=date(2026, 11, 23))
        return len(queries), report.planned

    few_queries, few_planned = count_queries(3)
    many_queries, many_planned = count_queries(40)
    assert many_planned > few_planned * 5
    assert many_queries == few_queries <= 8
    assert timezone.now()  # the sweep itself never loops over items in Python

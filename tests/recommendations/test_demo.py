"""The demo a new user sees: Cleveland Police's real findings, spread across the workflow."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import User
from recommendations import selectors
from recommendations.models import (
    CauseOfConcern,
    Force,
    GradedJudgment,
    Inspection,
    Item,
    ItemKind,
    Status,
    TimelineEntry,
)

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo(db):
    with time_machine.travel(date(2026, 11, 23), tick=False):
        call_command("seed_demo", "--password", "demo-pass", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Force, Inspection, CauseOfConcern, Item, GradedJudgment, User, TimelineEntry)
    }


def test_crime_data_integrity_register_entry_9207(demo):
    cause = CauseOfConcern.objects.get(reference="9207")
    recommendations = list(cause.recommendations.order_by("position"))
    assert [r.reference for r in recommendations] == ["9207/1", "9207/2", "9207/3"]
    assert [r.original_due_on for r in recommendations] == [
        date(2018, 11, 7),
        date(2019, 2, 7),
        date(2019, 2, 7),
    ]
    assert cause.inspection.published_on == date(2018, 8, 7)


def test_peel_2021_22_judgments_causes_of_concern_and_areas_for_improvement(demo):
    peel = Inspection.objects.get(title__startswith="PEEL 2021/22")
    grades = list(peel.judgments.values_list("grade", flat=True))
    assert len(grades) == 10
    assert sorted(grades.count(g) for g in set(grades)) == [1, 2, 3, 4]
    assert grades.count("good") == 1 and grades.count("inadequate") == 2
    causes = list(peel.causes_of_concern.order_by("position"))
    assert len(causes) == 2
    immediate = causes[0].recommendations.all()
    assert {r.deadline_rule for r in immediate} == {"immediate"}
    assert {r.original_due_on for r in immediate} == {date(2023, 3, 17)}
    assert len(immediate) == 3
    assert {r.deadline_rule for r in causes[1].recommendations.all()} == {"none"}
    areas = peel.items.filter(kind=ItemKind.AREA_FOR_IMPROVEMENT)
    assert areas.count() == 10
    assert areas.filter(text__contains="bail and released under investigation").exists()


def test_peel_2023_25_grades_and_monitoring_history(demo):
    peel = Inspection.objects.get(title__startswith="PEEL 2023–2025")
    grades = list(peel.judgments.values_list("grade", flat=True))
    assert (grades.count("good"), grades.count("adequate")) == (4, 2)
    assert grades.count("requires-improvement") == 2
    cleveland = Force.objects.get(name="Cleveland Police")
    assert selectors.current_stage(cleveland, on=date(2018, 9, 1)).stage == "scan"
    assert selectors.current_stage(cleveland, on=date(2023, 3, 17)).stage == "engage"


def test_items_are_spread_across_overdue_due_soon_awaiting_review_and_complete(demo):
    items = list(Item.objects.all())
    assert any(i.is_overdue(TODAY) for i in items)
    assert any(i.is_due_soon(TODAY) for i in items)
    assert any(i.status == Status.AWAITING_REVIEW and i.submitted_at for i in items)
    assert any(i.status == Status.COMPLETE for i in items)
    assert any(i.status == Status.NO_FURTHER_ACTION_NEEDED for i in items)
    moved = Item.objects.get(reference="9207/2")
    assert moved.due_date_changed and moved.original_due_on == date(2019, 2, 7)


def test_each_demo_user_sees_exactly_their_forces(demo):
    cleveland = set(
        Item.objects.filter(force__name="Cleveland Police").values_list("pk", flat=True)
    )
    northshire = set(
        Item.objects.exclude(force__name="Cleveland Police").values_list("pk", flat=True)
    )
    assert cleveland and northshire
    expected = {
        "cleveland-lead": cleveland,
        "cleveland-owner": cleveland,
        "cleveland-sponsor": cleveland,
        "northshire-lead": northshire,
        "inspector": cleveland | northshire,
        "admin": cleveland | northshire,
    }
    for username, pks in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password("demo-pass")
        assert set(selectors.items_for_user(user).values_list("pk", flat=True)) == pks, username


def test_running_it_twice_changes_nothing(demo):
    before = _counts()
    user = User.objects.get(username="cleveland-lead")
    with time_machine.travel(date(2026, 12, 1), tick=False):
        call_command("seed_demo", "--password", "other", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == before
    user.refresh_from_db()
    assert user.check_password("demo-pass")


def test_password_comes_from_the_environment_by_default(db, monkeypatch, capsys):
    monkeypatch.setenv("DEMO_PASSWORD", "from-env")
    call_command("seed_demo")
    assert User.objects.get(username="inspector").check_password("from-env")
    assert "password: from-env" in capsys.readouterr().out

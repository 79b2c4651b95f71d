"""One use case, one service: creating by hand and by import, actions created in their status."""

from datetime import date

import pytest

from recommendations import services
from recommendations.deadlines import DeadlineRule, parse_deadline
from recommendations.models import (
    ActionStatus,
    Grade,
    ItemKind,
    Programme,
    Status,
    TimelineKind,
)
from tests import factories
from tracker.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_an_action_created_under_way_is_one_entry_and_one_call(force, lead):
    item = factories.ItemFactory(inspection__force=force, status=Status.BEING_PROGRESSED)

    action = services.action_create(
        item=item, user=lead, description="Retrain the control room", status="in-progress"
    )

    assert action.status == ActionStatus.IN_PROGRESS
    entries = list(item.timeline.values_list("kind", "comment"))
    assert entries == [(TimelineKind.ACTION_ADDED, "Retrain the control room (in progress)")]


def test_an_action_in_an_unknown_status_is_refused(force, lead):
    item = factories.ItemFactory(inspection__force=force, status=Status.BEING_PROGRESSED)
    with pytest.raises(InvalidInput):
        services.action_create(item=item, user=lead, description="Train", status="finished")
    assert not item.actions.exists()


def test_inspection_create_records_its_grades_in_order_and_a_short_name(force):
    inspection = services.inspection_create(
        force=force,
        title="PEEL 2021/22: An inspection of Cleveland Police",
        programme=Programme.PEEL,
        published_on=date(2022, 9, 1),
        grades=[("Preventing crime", Grade.INADEQUATE), ("Treatment of the public", Grade.GOOD)],
    )

    assert inspection.short_name == "PEEL 2021/22"
    assert list(inspection.judgments.order_by("position").values_list("area", "grade")) == [
        ("Preventing crime", "inadequate"),
        ("Treatment of the public", "good"),
    ]


def test_inspection_create_refuses_an_unknown_grade(force):
    with pytest.raises(InvalidInput):
        services.inspection_create(
            force=force, title="T", published_on=date(2022, 9, 1), grades=[("Area", "great")]
        )


def test_a_cause_of_concern_by_hand_and_by_import_each_begin_their_timeline(force, inspector):
    inspection = factories.InspectionFactory(force=force, published_on=date(2018, 8, 7))

    by_hand = services.cause_of_concern_create(inspection=inspection, text="Crime recording")
    imported = services.cause_of_concern_import(
        inspection=inspection,
        force=force,
        text="Call handling",
        reference="9207",
        position=1,
        actor=inspector,
    )

    assert by_hand.force == force
    assert by_hand.timeline.get().kind == TimelineKind.CREATED
    entry = imported.timeline.get()
    assert (entry.kind, entry.actor) == (TimelineKind.IMPORTED, inspector)
    assert entry.occurred_at.date() == date(2018, 8, 7)


def test_an_imported_finding_keeps_the_deadline_read_and_its_history(force, inspector):
    inspection = factories.InspectionFactory(force=force, published_on=date(2018, 8, 7))

    item = services.item_import(
        inspection=inspection,
        force=force,
        kind=ItemKind.RECOMMENDATION,
        text="The force should act.",  # the deadline was read from the lead-in, not this text
        reference="9207/1",
        cause_of_concern=None,
        deadline=parse_deadline("Within three months"),
        status=Status.AWAITING_REVIEW,
        position=0,
        actor=inspector,
        history=[services.HistoryEvent(on=date(2019, 1, 2), status=Status.BEING_PROGRESSED)],
    )

    assert item.deadline_rule == DeadlineRule.RELATIVE
    assert item.due_on == date(2018, 11, 7)
    assert item.status == Status.BEING_PROGRESSED
    kinds = list(item.timeline.order_by("occurred_at").values_list("kind", flat=True))
    assert kinds == [TimelineKind.IMPORTED, TimelineKind.STATUS_CHANGED]

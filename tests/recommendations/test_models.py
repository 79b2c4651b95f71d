"""Database constraints that hold even when services are bypassed, and derived properties."""

import itertools
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from recommendations.deadlines import DeadlineRule
from recommendations.models import (
    CauseOfConcern,
    Evidence,
    Item,
    ItemKind,
    Rag,
    Status,
    TimelineEntry,
    TimelineKind,
)
from tests import factories

DUE = date(2024, 4, 15)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def inspection(force):
    return factories.InspectionFactory(force=force)


_numbers = itertools.count(1)


def _fields(inspection, **overrides):
    fields = {
        "kind": ItemKind.RECOMMENDATION,
        "inspection": inspection,
        "force": inspection.force,
        "text": "The force should ...",
        "deadline_rule": DeadlineRule.RELATIVE,
        "due_on": DUE,
        "display_reference": overrides.get("reference") or f"Test R{next(_numbers)}",
    }
    return fields | overrides


# --- Items ----------------------------------------------------------------------------------

BROKEN_ITEMS = {
    "recommendation-rule-none-with-due-date": {"deadline_rule": DeadlineRule.NONE},
    "recommendation-relative-without-due-date": {"due_on": None},
    "recommendation-immediate-without-due-date": {
        "deadline_rule": DeadlineRule.IMMEDIATE,
        "due_on": None,
    },
    "area-for-improvement-with-deadline": {"kind": ItemKind.AREA_FOR_IMPROVEMENT},
}


@pytest.mark.django_db
@pytest.mark.parametrize("broken", list(BROKEN_ITEMS))
@pytest.mark.parametrize("how", ["create", "bulk_create"])
def test_item_deadline_constraints(inspection, broken, how):
    fields = _fields(inspection, **BROKEN_ITEMS[broken])

    with pytest.raises(IntegrityError), transaction.atomic():
        if how == "create":
            Item.objects.create(**fields)
        else:
            Item.objects.bulk_create([Item(**fields)])

    assert not Item.objects.exists()


@pytest.mark.django_db
def test_area_for_improvement_cannot_have_a_cause_of_concern(inspection):
    cause = factories.CauseOfConcernFactory(inspection=inspection)
    fields = _fields(
        inspection,
        kind=ItemKind.AREA_FOR_IMPROVEMENT,
        deadline_rule=DeadlineRule.NONE,
        due_on=None,
        cause_of_concern=cause,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.create(**fields)

    del fields["cause_of_concern"]
    assert Item.objects.create(**fields).due_on is None  # the same item without it is fine


@pytest.mark.django_db
def test_reference_is_unique_per_inspection_and_force(inspection, other_force):
    Item.objects.create(**_fields(inspection, reference="9207"))

    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.create(**_fields(inspection, reference="9207"))

    # the same number elsewhere is a different recommendation
    Item.objects.create(**_fields(inspection, reference="9207", force=other_force))
    Item.objects.create(**_fields(factories.InspectionFactory(), reference="9207"))
    assert Item.objects.filter(reference="9207").count() == 3


@pytest.mark.django_db
def test_blank_references_may_repeat(inspection):
    Item.objects.bulk_create([Item(**_fields(inspection, reference="")) for _ in range(3)])

    assert Item.objects.filter(inspection=inspection, reference="").count() == 3


# --- Evidence, users, causes of concern, timeline -------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file", "url"),
    [("evidence/1/1/audit.pdf", "https://example.org/a"), ("", "")],
    ids=["both", "neither"],
)
def test_evidence_is_a_file_or_a_link(item, lead, file, url):
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(item=item, uploaded_by=lead, description="x", file=file, url=url)

    assert not Evidence.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.FORCE_LEAD, Role.ACTION_OWNER, Role.EXECUTIVE_SPONSOR])
def test_force_staff_must_have_a_force(role):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nobody", role=role, force=None)

    assert not User.objects.filter(username="nobody").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.ADMINISTRATOR])
def test_inspectors_and_administrators_belong_to_no_force(role, force):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="misfiled", role=role, force=force)


@pytest.mark.django_db
def test_closed_cause_of_concern_has_a_letter(inspection):
    with pytest.raises(IntegrityError), transaction.atomic():
        CauseOfConcern.objects.create(
            inspection=inspection, force=inspection.force, text="x", closed_on=date(2024, 1, 1)
        )


@pytest.mark.django_db
def test_timeline_entry_is_about_exactly_one_thing(item):
    cause = factories.CauseOfConcernFactory(inspection=item.inspection)
    for about in [{}, {"item": item, "cause_of_concern": cause}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            TimelineEntry.objects.create(kind=TimelineKind.COMMENT, **about)


@pytest.mark.django_db
def test_inspection_cannot_be_issued_after_publication(force):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.InspectionFactory(
            force=force, published_on=date(2018, 8, 7), issued_on=date(2018, 8, 8)
        )


# --- Derived properties ---------------------------------------------------------------------


def _item(status=Status.AWAITING_REVIEW, due_on=DUE, kind=ItemKind.RECOMMENDATION) -> Item:
    rule = DeadlineRule.NONE if due_on is None else DeadlineRule.RELATIVE
    return Item(kind=kind, status=status, due_on=due_on, deadline_rule=rule, original_due_on=due_on)


@pytest.mark.parametrize(
    ("status", "due_on", "today", "days"),
    [
        (Status.AWAITING_REVIEW, DUE, date(2024, 4, 14), 0),
        (Status.AWAITING_REVIEW, DUE, DUE, 0),  # due today is not yet overdue
        (Status.AWAITING_REVIEW, DUE, date(2024, 4, 16), 1),
        (Status.BEING_PROGRESSED, DUE, date(2024, 5, 15), 30),
        (Status.COMPLETE, DUE, date(2024, 5, 15), 0),
        (Status.NO_FURTHER_ACTION_NEEDED, DUE, date(2024, 5, 15), 0),
        (Status.BEING_PROGRESSED, None, date(2030, 1, 1), 0),
    ],
)
def test_overdue(status, due_on, today, days):
    item = _item(status, due_on)

    assert item.days_overdue(today) == days
    assert item.is_overdue(today) is (days > 0)


@pytest.mark.parametrize(
    ("days_before_due", "due_soon"),
    [(-1, False), (0, True), (1, True), (30, True), (31, False)],
)
@pytest.mark.parametrize("status", [Status.AWAITING_REVIEW, Status.BEING_PROGRESSED])
def test_due_soon_default_window_is_30_days(status, days_before_due, due_soon):
    today = date.fromordinal(DUE.toordinal() - days_before_due)

    assert _item(status).is_due_soon(today) is due_soon


@pytest.mark.parametrize(
    "item",
    [_item(Status.COMPLETE), _item(Status.NO_FURTHER_ACTION_NEEDED), _item(due_on=None)],
    ids=["complete", "no-further-action", "no-deadline"],
)
def test_closed_or_undated_items_are_never_due_soon(item):
    assert not item.is_due_soon(DUE)


def test_due_soon_window_is_configurable(settings):
    settings.TRACKER_DUE_SOON_DAYS = 7
    item = _item()

    assert item.is_due_soon(date(2024, 4, 8))
    assert not item.is_due_soon(date(2024, 4, 7))
    assert item.is_due_soon(date(2024, 4, 7), window_days=8)


@time_machine.travel(datetime(2024, 4, 16, 12, tzinfo=UTC), tick=False)
def test_derived_properties_use_today_by_default():
    item = _item(Status.BEING_PROGRESSED)

    assert (item.days_overdue(), item.is_overdue(), item.rag()) == (1, True, Rag.OVERDUE)
    assert not item.is_due_soon()


@pytest.mark.parametrize(
    ("status", "turn"),
    [
        (Status.AWAITING_REVIEW, "inspector"),
        (Status.BEING_PROGRESSED, "force"),
        (Status.COMPLETE, "nobody"),
        (Status.NO_FURTHER_ACTION_NEEDED, "nobody"),
    ],
)
def test_whose_turn(status, turn):
    item = _item(status)
    item.submitted_at = datetime(2024, 3, 1, 12, tzinfo=UTC)
    assert item.whose_turn == turn


def test_a_new_item_never_submitted_is_the_forces_turn_with_the_register_slug_kept():
    item = _item(Status.AWAITING_REVIEW)
    assert item.is_new
    assert item.status == "awaiting-review"
    assert item.whose_turn == "force"
    assert item.turn_label == "New: plan the response"


def test_an_item_sent_back_is_returned_until_the_force_acts():
    item = _item(Status.BEING_PROGRESSED)
    assert not item.is_returned
    item.returned_at = datetime(2024, 3, 1, 12, tzinfo=UTC)
    assert item.is_returned
    assert item.whose_turn == "force"
    assert item.turn_label.startswith("Returned to the force")


def test_due_date_changed_compares_with_the_original():
    item = _item()
    assert not item.due_date_changed
    item.due_on = date(2024, 6, 30)
    assert item.due_date_changed


@pytest.mark.parametrize(
    ("issued_on", "anchor"), [(None, date(2018, 8, 7)), (date(2018, 7, 1), date(2018, 7, 1))]
)
def test_inspection_dates(issued_on, anchor):
    inspection = factories.InspectionFactory.build(
        published_on=date(2018, 8, 7), issued_on=issued_on
    )

    assert inspection.anchor_on == anchor
    # the police and crime commissioner's response: 56 days from publication, not issue
    assert inspection.pcc_response_due_on == date(2018, 10, 2)

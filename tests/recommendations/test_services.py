"""Use cases: creating findings with their due dates, moving deadlines, assigning owners,
evidence, the lock on closed items and closing causes of concern."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from recommendations import services
from recommendations.deadlines import DeadlineRule
from recommendations.models import (
    Action,
    ActionStatus,
    CauseOfConcern,
    Evidence,
    Item,
    ItemKind,
    ProgressUpdate,
    Status,
    TimelineEntry,
    TimelineKind,
)
from tests import factories
from tracker.errors import InvalidInput, NotAllowed

WITHIN_THREE_MONTHS = (
    "Within three months, the force should take steps to identify and address gaps in its "
    "systems and processes within its control room."
)
IMMEDIATE = "Cleveland Police should take immediate steps to: -review all incident logs;"
BY_DATE = "By 30 September 2019, the force should train all call handlers."
NOON_1_MAY_2025 = datetime(2025, 5, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _inspection(force, issued_on=None):
    return factories.InspectionFactory(
        force=force,
        title="Crime data integrity",
        published_on=date(2018, 8, 7),
        issued_on=issued_on,
    )


# --- item_create ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "issued_on", "rule", "due_on"),
    [
        (WITHIN_THREE_MONTHS, None, DeadlineRule.RELATIVE, date(2018, 11, 7)),
        (WITHIN_THREE_MONTHS, date(2018, 7, 1), DeadlineRule.RELATIVE, date(2018, 10, 1)),
        (IMMEDIATE, None, DeadlineRule.IMMEDIATE, date(2018, 8, 7)),
        (IMMEDIATE, date(2018, 7, 1), DeadlineRule.IMMEDIATE, date(2018, 7, 1)),
        (BY_DATE, None, DeadlineRule.ABSOLUTE, date(2019, 9, 30)),
        (BY_DATE, date(2018, 7, 1), DeadlineRule.ABSOLUTE, date(2019, 9, 30)),
    ],
)
def test_item_create_computes_the_due_date_from_the_anchor(force, text, issued_on, rule, due_on):
    inspection = _inspection(force, issued_on)

    item = services.item_create(
        inspection=inspection, kind=ItemKind.RECOMMENDATION, text=text, reference="9207"
    )

    stored = Item.objects.get(pk=item.pk)
    assert (stored.deadline_rule, stored.due_on, stored.original_due_on) == (rule, due_on, due_on)
    assert stored.deadline_phrase and stored.deadline_phrase in text
    assert (stored.force, stored.status) == (force, Status.AWAITING_REVIEW)
    entry = TimelineEntry.objects.get(item=stored)
    assert (entry.kind, entry.status_to, entry.due_to) == (
        TimelineKind.CREATED,
        Status.AWAITING_REVIEW,
        due_on,
    )


@pytest.mark.django_db
def test_area_for_improvement_never_gets_a_deadline(force):
    item = services.item_create(
        inspection=_inspection(force), kind=ItemKind.AREA_FOR_IMPROVEMENT, text=WITHIN_THREE_MONTHS
    )

    stored = Item.objects.get(pk=item.pk)
    assert (stored.deadline_rule, stored.due_on, stored.original_due_on) == (
        DeadlineRule.NONE,
        None,
        None,
    )


@pytest.mark.django_db
def test_area_for_improvement_cannot_belong_to_a_cause_of_concern(force):
    inspection = _inspection(force)
    cause = factories.CauseOfConcernFactory(inspection=inspection)

    with pytest.raises(InvalidInput):
        services.item_create(
            inspection=inspection,
            kind=ItemKind.AREA_FOR_IMPROVEMENT,
            text="The force should improve.",
            cause_of_concern=cause,
        )

    assert not Item.objects.exists()


@pytest.mark.django_db
def test_national_item_needs_a_force():
    national = factories.InspectionFactory(force=None, published_on=date(2018, 8, 7))

    with pytest.raises(InvalidInput):
        services.item_create(inspection=national, kind=ItemKind.RECOMMENDATION, text=BY_DATE)

    assert not Item.objects.exists()


# --- item_change_due_date -------------------------------------------------------------------


@pytest.mark.django_db
def test_change_due_date_keeps_the_original_and_writes_the_timeline(item, inspector, time_machine):
    time_machine.move_to(datetime(2024, 5, 1, 12, tzinfo=UTC), tick=False)
    user = inspector

    services.item_change_due_date(
        item=item, user=user, due_on=date(2024, 6, 30), reason="Waiting for the new IT system."
    )
    services.item_change_due_date(
        item=item, user=user, due_on=date(2024, 9, 30), reason="Supplier delay."
    )

    stored = Item.objects.get(pk=item.pk)
    assert (stored.due_on, stored.original_due_on) == (date(2024, 9, 30), date(2024, 4, 15))
    assert stored.due_date_changed
    entries = TimelineEntry.objects.filter(item=item, kind=TimelineKind.DUE_DATE_CHANGED)
    assert list(entries.order_by("pk").values_list("due_from", "due_to", "comment")) == [
        (date(2024, 4, 15), date(2024, 6, 30), "Waiting for the new IT system."),
        (date(2024, 6, 30), date(2024, 9, 30), "Supplier delay."),
    ]
    assert {e.actor for e in entries} == {user}
    assert stored.extension_count == 2  # each move later is an extension


@pytest.mark.django_db
def test_the_force_lead_cannot_move_a_due_date_alone(item, lead):
    with pytest.raises(NotAllowed) as refused:
        services.item_change_due_date(
            item=item, user=lead, due_on=date(2024, 6, 30), reason="We need longer."
        )
    assert "ask for an extension" in refused.value.message
    assert Item.objects.get(pk=item.pk).due_on == date(2024, 4, 15)


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   \n"])
def test_change_due_date_needs_a_reason(item, inspector, reason):
    with pytest.raises(InvalidInput):
        services.item_change_due_date(
            item=item, user=inspector, due_on=date(2024, 6, 30), reason=reason
        )

    assert Item.objects.get(pk=item.pk).due_on == date(2024, 4, 15)
    assert not TimelineEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.COMPLETE, Status.NO_FURTHER_ACTION_NEEDED])
def test_change_due_date_is_refused_on_closed_items(force, inspector, status):
    item = factories.ItemFactory(inspection__force=force, status=status)

    with pytest.raises(NotAllowed) as refused:
        services.item_change_due_date(
            item=item, user=inspector, due_on=date(2024, 6, 30), reason="Late."
        )

    assert "reopen" in refused.value.message
    assert Item.objects.get(pk=item.pk).due_on == date(2024, 4, 15)
    assert not TimelineEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["no deadline", "same date"])
def test_change_due_date_rejects_meaningless_changes(force, inspector, case):
    if case == "no deadline":
        item = factories.AreaForImprovementFactory(inspection__force=force)
        due_on = date(2024, 6, 30)
    else:
        item = factories.ItemFactory(inspection__force=force)
        due_on = item.due_on

    with pytest.raises(InvalidInput):
        services.item_change_due_date(item=item, user=inspector, due_on=due_on, reason="Why not.")

    assert not TimelineEntry.objects.exists()


# --- item_assign_owner ----------------------------------------------------------------------


@pytest.mark.django_db
def test_assign_owner_of_the_same_force(item, lead, owner):
    services.item_assign_owner(item=item, user=lead, owner=owner)

    assert Item.objects.get(pk=item.pk).owner == owner
    entry = TimelineEntry.objects.get(item=item)
    assert (entry.kind, entry.actor) == (TimelineKind.ASSIGNED, lead)
    assert str(owner) in entry.comment


@pytest.mark.django_db
@pytest.mark.parametrize("candidate", ["other_lead", "inspector"])
def test_assign_owner_refuses_someone_outside_the_force(item, lead, candidate, request):
    with pytest.raises(InvalidInput):
        services.item_assign_owner(item=item, user=lead, owner=request.getfixturevalue(candidate))

    assert Item.objects.get(pk=item.pk).owner is None
    assert not TimelineEntry.objects.exists()


# --- Evidence -------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_evidence_file_is_stored_under_its_force_and_item(item, lead, media):
    upload = SimpleUploadedFile("audit.pdf", b"%PDF-1.4 audit", content_type="application/pdf")

    evidence = services.evidence_add(item=item, user=lead, description="Audit", file=upload)

    stored = Evidence.objects.get(pk=evidence.pk)
    assert stored.file.name == f"evidence/{item.force_id}/{item.pk}/audit.pdf"
    assert (media / stored.file.name).read_bytes() == b"%PDF-1.4 audit"
    assert (stored.url, stored.uploaded_by, stored.is_frozen) == ("", lead, False)
    assert TimelineEntry.objects.get(item=item).kind == TimelineKind.EVIDENCE_ADDED


@pytest.mark.django_db
def test_evidence_link(item, owner, media):
    services.evidence_add(item=item, user=owner, description="Policy", url="https://example.org/p")

    assert Evidence.objects.get().url == "https://example.org/p"
    assert not any(media.iterdir())


@pytest.mark.django_db
@pytest.mark.parametrize("with_file", [True, False])
def test_evidence_needs_exactly_one_of_file_or_link(item, lead, media, with_file):
    upload = SimpleUploadedFile("audit.pdf", b"data") if with_file else None
    url = "https://example.org/p" if with_file else ""

    with pytest.raises(InvalidInput):
        services.evidence_add(item=item, user=lead, description="Audit", file=upload, url=url)

    assert not Evidence.objects.exists()
    assert not TimelineEntry.objects.exists()
    assert not any(media.rglob("*.pdf"))


# --- Closed items are locked ----------------------------------------------------------------

WORK = {
    "action_create": lambda item, user: services.action_create(
        item=item, user=user, description="Retrain"
    ),
    "progress_update_create": lambda item, user: services.progress_update_create(
        item=item, user=user, text="Halfway."
    ),
    "evidence_add": lambda item, user: services.evidence_add(
        item=item, user=user, description="Audit", url="https://example.org/a"
    ),
    "action_update": lambda item, user: services.action_update(
        action=item.actions.get(), user=user, description="Retrain", status=ActionStatus.DONE
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.COMPLETE, Status.NO_FURTHER_ACTION_NEEDED])
@pytest.mark.parametrize(
    "work",
    WORK,
)
def test_closed_items_refuse_the_forces_work(force, lead, status, work):
    item = factories.ItemFactory(inspection__force=force, status=status)
    factories.ActionFactory(item=item)

    with pytest.raises(NotAllowed) as refused:
        WORK[work](item, lead)

    assert "locked" in refused.value.message
    assert Action.objects.get().status == ActionStatus.NOT_STARTED
    assert Action.objects.count() == 1
    assert not ProgressUpdate.objects.exists()
    assert not Evidence.objects.exists()
    assert not TimelineEntry.objects.exists()


# --- Causes of concern ----------------------------------------------------------------------


@pytest.fixture
def cause(force):
    return factories.CauseOfConcernFactory(inspection__force=force)


@pytest.mark.django_db
@time_machine.travel(NOON_1_MAY_2025, tick=False)
def test_inspector_closes_a_cause_of_concern_today(cause, inspector):
    services.cause_of_concern_close(
        cause_of_concern=cause, user=inspector, closed_on=date(2025, 5, 1), letter_reference="L/42"
    )

    stored = CauseOfConcern.objects.get(pk=cause.pk)
    assert (stored.is_open, stored.closed_on) == (False, date(2025, 5, 1))
    assert (stored.closing_letter_reference, stored.closed_by) == ("L/42", inspector)
    entry = TimelineEntry.objects.get(cause_of_concern=cause)
    assert entry.kind == TimelineKind.CAUSE_OF_CONCERN_CLOSED
    assert "L/42" in entry.comment and "01 May 2025" in entry.comment


@pytest.mark.django_db
@time_machine.travel(NOON_1_MAY_2025, tick=False)
@pytest.mark.parametrize(
    ("closed_on", "reference"),
    [(date(2025, 4, 30), ""), (date(2025, 4, 30), "  "), (date(2025, 5, 2), "L/42")],
    ids=["no-reference", "blank-reference", "future-date"],
)
def test_closing_a_cause_of_concern_needs_a_letter_dated_today_or_earlier(
    cause, inspector, closed_on, reference
):
    with pytest.raises(InvalidInput):
        services.cause_of_concern_close(
            cause_of_concern=cause, user=inspector, closed_on=closed_on, letter_reference=reference
        )

    assert CauseOfConcern.objects.get(pk=cause.pk).is_open
    assert not TimelineEntry.objects.exists()


@pytest.mark.django_db
@time_machine.travel(NOON_1_MAY_2025, tick=False)
def test_a_cause_of_concern_is_closed_only_once(cause, inspector):
    services.cause_of_concern_close(
        cause_of_concern=cause, user=inspector, closed_on=date(2025, 4, 1), letter_reference="L/1"
    )

    with pytest.raises(NotAllowed):
        services.cause_of_concern_close(
            cause_of_concern=CauseOfConcern.objects.get(pk=cause.pk),
            user=inspector,
            closed_on=date(2025, 4, 30),
            letter_reference="L/2",
        )

    stored = CauseOfConcern.objects.get(pk=cause.pk)
    assert (stored.closed_on, stored.closing_letter_reference) == (date(2025, 4, 1), "L/1")
    assert TimelineEntry.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("use_case", ["assign", "action"])
def test_a_sponsor_cannot_be_made_an_owner(use_case, force, lead, sponsor):
    item = factories.ItemFactory(inspection__force=force, status=Status.BEING_PROGRESSED)
    with pytest.raises(InvalidInput, match="improvement lead or action owner"):
        if use_case == "assign":
            services.item_assign_owner(item=item, user=lead, owner=sponsor)
        else:
            services.action_create(item=item, user=lead, description="Audit", owner=sponsor)
    item.refresh_from_db()
    assert item.owner is None and not item.actions.exists()

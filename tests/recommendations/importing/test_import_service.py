"""The import service: one transaction, idempotent, inspectors of the force only."""

from dataclasses import replace
from datetime import date

import pytest

from recommendations import services
from recommendations.deadlines import DeadlineRule
from recommendations.importing import parse_publication
from recommendations.importing.sources import (
    guess_programme,
    publication_text_from_bytes,
    register_published_on,
)
from recommendations.models import (
    CauseOfConcern,
    GradedJudgment,
    Inspection,
    Item,
    ItemKind,
    Programme,
    Status,
    TimelineEntry,
    TimelineKind,
)
from recommendations.services import imports as import_service
from recommendations.services.imports import publication_import
from tests import factories
from tracker.errors import InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db

PEEL_TITLE = "PEEL 2021/22: An inspection of Cleveland Police"


def counts() -> tuple:
    return tuple(
        model.objects.count()
        for model in (Inspection, GradedJudgment, CauseOfConcern, Item, TimelineEntry)
    )


@pytest.fixture
def register(register_text):
    return parse_publication(register_text, published_on=date(2018, 8, 7))


@pytest.fixture
def peel(peel_text):
    return parse_publication(peel_text, published_on=date(2023, 3, 17))


def test_register_entry_is_imported_with_deadlines_history_and_timeline(register, force, inspector):
    result = publication_import(
        parsed=register,
        force=force,
        user=inspector,
        programme=Programme.CRIME_DATA_INTEGRITY,
        published_on=date(2018, 8, 7),
    )

    assert (result.created, result.skipped, result.already_imported) == (4, 0, False)
    assert result.message == "Imported 4 items."
    inspection = result.inspection
    assert inspection.title == "Cleveland Police: Crime Data Integrity inspection 2018"
    assert inspection.force == force and inspection.reference == "9207"
    assert inspection.published_on == date(2018, 8, 7) and inspection.issued_on is None
    cause = CauseOfConcern.objects.get(inspection=inspection)
    assert cause.reference == "9207"
    assert cause.text.startswith("In Cleveland Police, officers and staff")
    recommendations = list(Item.objects.filter(inspection=inspection).order_by("position"))
    assert [item.kind for item in recommendations] == [ItemKind.RECOMMENDATION] * 3
    assert [item.reference for item in recommendations] == ["9207/1", "9207/2", "9207/3"]
    assert {item.cause_of_concern for item in recommendations} == {cause}
    assert [item.due_on for item in recommendations] == [
        date(2018, 11, 7),
        date(2019, 2, 7),
        date(2019, 2, 7),
    ]
    assert [item.original_due_on for item in recommendations] == [
        item.due_on for item in recommendations
    ]
    assert [item.deadline_phrase for item in recommendations] == [
        "Within three months",
        "Within six months",
        "Within six months",
    ]
    assert {item.status for item in recommendations} == {Status.AWAITING_REVIEW}
    for item in recommendations:
        kinds = list(item.timeline.values_list("kind", "actor"))
        assert (TimelineKind.IMPORTED, inspector.pk) in kinds
        assert (TimelineKind.COMMENT, None) in kinds or (TimelineKind.STATUS_CHANGED, None) in kinds
    assert cause.timeline.get().kind == TimelineKind.IMPORTED


def test_peel_report_with_grades_causes_recommendations_and_areas(peel, force, inspector):
    result = publication_import(
        parsed=peel,
        force=force,
        user=inspector,
        programme=Programme.PEEL,
        published_on=date(2023, 3, 17),
        title=PEEL_TITLE,
    )

    inspection = result.inspection
    assert inspection.title == PEEL_TITLE
    grades = dict(inspection.judgments.values_list("area", "grade"))
    assert len(grades) == 10
    assert sorted(grades.values()) == sorted(
        ["good"] + ["adequate"] * 4 + ["requires-improvement"] * 3 + ["inadequate"] * 2
    )
    first, second = inspection.causes_of_concern.order_by("position")
    under_first = list(first.recommendations.order_by("position"))
    under_second = list(second.recommendations.order_by("position"))
    assert len(under_first) == 3 and len(under_second) == 2
    assert {item.deadline_rule for item in under_first} == {DeadlineRule.IMMEDIATE}
    assert {item.due_on for item in under_first} == {date(2023, 3, 17)}
    assert {item.deadline_rule for item in under_second} == {DeadlineRule.NONE}
    assert {item.due_on for item in under_second} == {None}
    areas = Item.objects.filter(inspection=inspection, kind=ItemKind.AREA_FOR_IMPROVEMENT)
    assert areas.count() == 10
    assert areas.filter(text__contains="bail and released under investigation").exists()
    assert {area.due_on for area in areas} == {None}
    assert result.created == 2 + 5 + 10


def test_due_dates_are_recomputed_from_the_final_issue_date(register, force, inspector):
    result = publication_import(
        parsed=register,
        force=force,
        user=inspector,
        published_on=date(2018, 8, 7),
        issued_on=date(2018, 7, 31),
    )

    items = Item.objects.filter(inspection=result.inspection).order_by("position")
    assert [item.due_on for item in items] == [
        date(2018, 10, 31),
        date(2019, 1, 31),
        date(2019, 1, 31),
    ]
    assert result.publication.items[1].due_on == date(2018, 10, 31)


def test_importing_twice_creates_nothing_and_says_so(register, force, inspector):
    first = publication_import(parsed=register, force=force, user=inspector)
    before = counts()

    again = publication_import(parsed=register, force=force, user=inspector)

    assert counts() == before
    assert (again.created, again.skipped, again.already_imported) == (0, 4, True)
    assert again.inspection == first.inspection
    assert again.message.startswith("This publication was already imported on ")


def test_same_register_reference_under_another_title_is_the_same_publication(
    register, force, inspector
):
    publication_import(parsed=register, force=force, user=inspector)
    before = counts()

    again = publication_import(
        parsed=register, force=force, user=inspector, title="Crime data integrity 2018"
    )

    assert again.already_imported and counts() == before


def test_same_publication_for_another_force_is_imported(register, force, other_force):
    inspector = factories.InspectorFactory(forces=[force, other_force])
    publication_import(parsed=register, force=force, user=inspector)

    result = publication_import(parsed=register, force=other_force, user=inspector)

    assert result.created == 4 and result.inspection.force == other_force


def test_an_error_half_way_writes_nothing(register, force, inspector, monkeypatch):
    real = services.item_import
    calls = []

    def failing(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "item_import", failing)
    before = counts()

    with pytest.raises(RuntimeError):
        publication_import(parsed=register, force=force, user=inspector)

    assert len(calls) == 3
    assert counts() == before


def test_dry_run_validates_and_writes_nothing(register, force, inspector):
    before = counts()

    result = publication_import(parsed=register, force=force, user=inspector, dry_run=True)

    assert counts() == before
    assert result.dry_run and result.inspection is None and result.created == 0
    assert [item.due_on for item in result.publication.items][1:] == [
        date(2018, 11, 7),
        date(2019, 2, 7),
        date(2019, 2, 7),
    ]


@pytest.mark.parametrize("who", ["lead", "sponsor", "administrator", "other_inspector"])
def test_only_an_inspector_of_the_force_may_import(request, register, force, who):
    user = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        publication_import(parsed=register, force=force, user=user)
    with pytest.raises(NotAllowed):
        publication_import(parsed=register, force=force, user=None)
    assert counts() == (0, 0, 0, 0, 0)


def test_the_system_may_import_without_a_user(register, force):
    result = publication_import(parsed=register, force=force, user=None, system=True)

    entry = Item.objects.filter(inspection=result.inspection).first().timeline.first()
    assert result.created == 4
    assert TimelineEntry.objects.filter(kind=TimelineKind.IMPORTED, actor=None).count() == 4
    assert entry is not None


def test_a_publication_without_a_title_needs_one(force, inspector):
    untitled = parse_publication(
        "Areas for improvement\nThe force should improve how it records stop and search.\n",
        published_on=date(2023, 3, 17),
    )
    with pytest.raises(InvalidInput, match="title"):
        publication_import(parsed=untitled, force=force, user=inspector)
    assert counts() == (0, 0, 0, 0, 0)


def test_a_publication_date_is_required(register_text, force, inspector):
    parsed = parse_publication(register_text)
    with pytest.raises(InvalidInput, match="publication date"):
        publication_import(parsed=parsed, force=force, user=inspector)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: replace(p, items=[]), "No causes of concern"),
        (lambda p: _item(p, 1, kind="finding"), "not a kind"),
        (lambda p: _item(p, 1, text="  "), "enter its text"),
        (lambda p: _item(p, 1, parent=2), "only a recommendation"),
        (lambda p: _item(p, 0, parent=0), "only a recommendation"),
        (lambda p: _item(p, 1, status="done"), "not a status"),
        (lambda p: _item(p, 2, reference="9207/1"), "used twice"),
        (lambda p: _item(p, 1, reference="x" * 51), "50 characters"),
    ],
)
def test_inconsistent_input_is_refused_and_writes_nothing(
    register, force, inspector, change, message
):
    with pytest.raises(InvalidInput, match=message):
        publication_import(parsed=change(register), force=force, user=inspector)
    assert counts() == (0, 0, 0, 0, 0)


def _item(publication, index, **changes):
    items = list(publication.items)
    items[index] = replace(items[index], **changes)
    return replace(publication, items=items)


def test_issue_date_after_publication_is_refused(register, force, inspector):
    with pytest.raises(InvalidInput, match="issue date"):
        publication_import(parsed=register, force=force, user=inspector, issued_on=date(2018, 9, 1))


def test_programme_must_be_known(register, force, inspector):
    with pytest.raises(InvalidInput, match="programme"):
        publication_import(parsed=register, force=force, user=inspector, programme="audit")


def test_source_url_must_be_a_web_address(register, force, inspector):
    with pytest.raises(InvalidInput, match="web address"):
        publication_import(
            parsed=register, force=force, user=inspector, source_url="javascript:alert(1)"
        )


def test_helpers(register_text):
    assert guess_programme("PEEL 2021/22: An inspection of Cleveland Police") == "peel"
    assert guess_programme("Crime Data Integrity inspection 2018") == "crime-data-integrity"
    assert guess_programme("A letter") == "other"
    assert register_published_on(parse_publication(register_text)) == date(2018, 8, 7)
    assert publication_text_from_bytes(b"Hello", filename="a.txt") == "Hello"


def test_a_recommendation_may_stand_before_its_cause_of_concern(register, force, inspector):
    cause, first, *rest = register.items
    reordered = [replace(first, parent=1), cause, *(replace(item, parent=1) for item in rest)]

    result = publication_import(
        parsed=replace(register, items=reordered), force=force, user=inspector
    )

    cause_of_concern = CauseOfConcern.objects.get(inspection=result.inspection)
    assert cause_of_concern.recommendations.count() == 3


def test_an_import_past_the_time_limit_writes_nothing(register, force, inspector, monkeypatch):
    monkeypatch.setattr(import_service, "time_limit_seconds", lambda: -1.0)  # out of time

    with pytest.raises(InvalidInput) as refused:
        publication_import(parsed=register, force=force, user=inspector)

    assert refused.value.message.startswith("This publication took too long to import")
    assert counts() == (0, 0, 0, 0, 0)


def test_an_import_checks_the_time_as_it_writes(register, force, inspector, slow_clock):
    with pytest.raises(InvalidInput, match=r"took too long to import \(more than 2 seconds\)"):
        publication_import(parsed=register, force=force, user=inspector)

    assert counts() == (0, 0, 0, 0, 0)

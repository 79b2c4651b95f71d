"""The checks an import passes before anything is written: a publication as parsed and
corrected in the preview is refused, with a message for the inspector, when anything in it is
inconsistent (a kind, status or grade outside the vocabulary, a recommendation's parent that is
not a cause of concern, a reference used twice, a deadline that gives no date). Used by
``services.imports.publication_import`` only."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from recommendations.deadlines import NO_DEADLINE, DeadlineRule, anchor_date
from recommendations.importing.errors import PublicationParseError
from recommendations.importing.structure import (
    CAUSE_OF_CONCERN,
    KINDS,
    RECOMMENDATION,
    ParsedItem,
    ParsedPublication,
)
from recommendations.models import Grade, Programme, Status
from tracker.errors import InvalidInput

MAX_TITLE = 500
MAX_REFERENCE = 50
MAX_AREA = 200
MAX_PHRASE = 200


def source_url_checked(source_url: str) -> str:
    source_url = (source_url or "").strip()
    if not source_url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(source_url)
    except ValidationError as error:
        raise InvalidInput("Enter the source address as a full web address (https://…).") from error
    if len(source_url) > 500:
        raise InvalidInput("The source address must be 500 characters or fewer.")
    return source_url


def _item_label(index: int, item: ParsedItem) -> str:
    return f"Item {index + 1} ({item.kind.replace('-', ' ')})"


def _check_item(index: int, item: ParsedItem, items: list[ParsedItem]) -> None:
    label = _item_label(index, item)
    if item.kind not in KINDS:
        raise InvalidInput(f"{label}: “{item.kind}” is not a kind of finding.")
    if not (item.text or "").strip():
        raise InvalidInput(f"{label}: enter its text.")
    if len(item.reference or "") > MAX_REFERENCE:
        raise InvalidInput(f"{label}: the reference must be {MAX_REFERENCE} characters or fewer.")
    if item.status not in Status.values:
        raise InvalidInput(f"{label}: “{item.status}” is not a status in the register.")
    for entry in item.history:
        if entry.status is not None and entry.status not in Status.values:
            raise InvalidInput(f"{label}: its history has an unknown status “{entry.status}”.")
    if item.parent is not None:
        parent_ok = (
            item.kind == RECOMMENDATION
            and isinstance(item.parent, int)
            and 0 <= item.parent < len(items)
            and items[item.parent].kind == CAUSE_OF_CONCERN
        )
        if not parent_ok:
            raise InvalidInput(f"{label}: only a recommendation can belong to a cause of concern.")
    if item.kind == RECOMMENDATION:
        rule = DeadlineRule(item.deadline.rule)
        if len(item.deadline.phrase or "") > MAX_PHRASE:
            raise InvalidInput(f"{label}: the deadline phrase is too long.")
        if rule == DeadlineRule.ABSOLUTE and item.deadline.on is None:
            raise InvalidInput(f"{label}: a deadline by a fixed date needs the date.")


def _check_unique_references(items: list[ParsedItem]) -> None:
    for group in (
        [item for item in items if item.kind == CAUSE_OF_CONCERN],
        [item for item in items if item.kind != CAUSE_OF_CONCERN],
    ):
        seen: set[str] = set()
        for item in group:
            if item.reference and item.reference in seen:
                raise InvalidInput(f"The reference “{item.reference}” is used twice.")
            seen.add(item.reference)


def _finalise(
    parsed: ParsedPublication, *, title: str, published_on: date, issued_on: date | None
) -> ParsedPublication:
    """The publication as it will be stored: final title and dates, deadlines only on
    recommendations, due dates recomputed from the anchor, grades unique by area."""
    anchor = anchor_date(issued_on=issued_on, published_on=published_on)
    items = []
    for item in parsed.items:
        deadline = item.deadline if item.kind == RECOMMENDATION else NO_DEADLINE
        try:
            due_on = deadline.due_on(anchor)
        except (ValueError, OverflowError) as error:
            raise InvalidInput(f"The deadline “{deadline.phrase}” gives no valid date.") from error
        items.append(replace(item, text=item.text.strip(), deadline=deadline, due_on=due_on))
    grades, areas = [], set()
    for grade in parsed.grades:
        if grade.grade not in Grade.values or not grade.area.strip():
            raise InvalidInput(f"“{grade.grade}” is not a grade.")
        if len(grade.area) > MAX_AREA:
            raise InvalidInput("The name of a graded area is too long.")
        if grade.area not in areas:
            areas.add(grade.area)
            grades.append(grade)
    return replace(
        parsed,
        title=title,
        published_on=published_on,
        issued_on=issued_on,
        grades=grades,
        items=items,
    )


def publication_validated(
    parsed: ParsedPublication,
    *,
    title: str,
    programme: str,
    published_on: date | None,
    issued_on: date | None,
) -> ParsedPublication:
    title = " ".join((title or parsed.title or "").split())
    if not title:
        raise InvalidInput("Enter the publication’s title: the text does not state it.")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"The title must be {MAX_TITLE} characters or fewer.")
    published_on = published_on or parsed.published_on
    issued_on = issued_on or parsed.issued_on
    if published_on is None:
        raise InvalidInput("Enter the publication date: the text does not state it.")
    if issued_on is not None and issued_on > published_on:
        raise InvalidInput("The issue date must be on or before the publication date.")
    if programme not in Programme.values:
        raise InvalidInput(f"“{programme}” is not an inspection programme.")
    if not parsed.items and not parsed.grades:  # a grades-only publication imports its grades
        raise InvalidInput(PublicationParseError().message)
    for index, item in enumerate(parsed.items):
        _check_item(index, item, parsed.items)
    _check_unique_references(parsed.items)
    return _finalise(parsed, title=title, published_on=published_on, issued_on=issued_on)

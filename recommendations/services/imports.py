"""Writing a parsed publication to the tracker: the one use case behind the web import and the
``import_report`` command.

Business rules:

- Only an inspector assigned to the force may import for it. The command line is an
  administrator's tool and runs as the system (``system=True``, no actor), but every other
  check still applies.
- Everything is created in one transaction (the inspection with its graded judgments, causes of
  concern, recommendations and areas for improvement, with their history and the ``imported``
  timeline entry); any error writes nothing.
- Deadlines come from the parsed phrases; due dates are recomputed from the final dates (the
  issue date when known, otherwise the publication date).
- A publication is imported once: the same force with the same title and publication date, or
  a force that already has the register reference, creates nothing new and says so.
- An import runs under the import time limit; past it, nothing is written and the message says
  so (the web confirmation and the command alike).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from recommendations import services
from recommendations.deadlines import NO_DEADLINE, DeadlineRule, anchor_date
from recommendations.exceptions import InvalidInput, NotAllowed
from recommendations.importing.errors import PublicationParseError
from recommendations.importing.limits import (
    WRITE_TOO_SLOW,
    ImportTooSlow,
    check_time,
    time_limit,
    time_limit_seconds,
)
from recommendations.importing.structure import (
    CAUSE_OF_CONCERN,
    KINDS,
    RECOMMENDATION,
    ParsedItem,
    ParsedPublication,
)
from recommendations.models import (
    CauseOfConcern,
    Force,
    Grade,
    Inspection,
    Item,
    Programme,
    Status,
)
from recommendations.rules import inspector_of_force

_MAX_TITLE = 500
_MAX_REFERENCE = 50
_MAX_AREA = 200
_MAX_PHRASE = 200


@dataclass(frozen=True)
class ImportResult:
    """What an import did: ``publication`` is what was (or would be) imported, with the final
    dates and due dates; ``inspection`` is None after a dry run of a new publication."""

    publication: ParsedPublication
    inspection: Inspection | None
    created: int
    skipped: int
    dry_run: bool = False
    already_imported_on: date | None = None

    @property
    def already_imported(self) -> bool:
        return self.already_imported_on is not None

    @property
    def message(self) -> str:
        if self.already_imported_on is not None:
            on = self.already_imported_on
            return (
                f"This publication was already imported on {on.day} {on:%B %Y}: "
                f"nothing new was created ({self.skipped} skipped)."
            )
        count = len(self.publication.items)
        noun = "item" if count == 1 else "items"
        if self.dry_run:
            return f"Dry run: {count} {noun} would be imported; nothing was written."
        return f"Imported {count} {noun}."

    def to_json_dict(self) -> dict:
        """The ``import_report --json`` output: the publication, ``created`` and ``skipped``."""
        return {**self.publication.to_json_dict(), "created": self.created, "skipped": self.skipped}


def existing_import(
    *, force: Force, title: str, published_on: date | None, references: list[str]
) -> Inspection | None:
    """The inspection this publication was already imported as, if any: same force, title and
    publication date, or a force that already holds one of its register references."""
    if title and published_on:
        found = Inspection.objects.filter(
            force=force, title=title, published_on=published_on
        ).first()
        if found is not None:
            return found
    references = [ref for ref in references if ref]
    if not references:
        return None
    found = Inspection.objects.filter(force=force, reference__in=references).first()
    if found is not None:
        return found
    for model in (CauseOfConcern, Item):
        match = model.objects.filter(force=force, reference__in=references).first()
        if match is not None:
            return match.inspection
    return None


def _check_permission(user, force: Force, *, system: bool) -> None:
    if system:
        return
    if user is None or not inspector_of_force(user, force):
        raise NotAllowed(f"Only an inspector assigned to {force} can import its publications.")


def _check_url(source_url: str) -> str:
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
    if len(item.reference or "") > _MAX_REFERENCE:
        raise InvalidInput(f"{label}: the reference must be {_MAX_REFERENCE} characters or fewer.")
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
        if len(item.deadline.phrase or "") > _MAX_PHRASE:
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
        if len(grade.area) > _MAX_AREA:
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


def _validated(
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
    if len(title) > _MAX_TITLE:
        raise InvalidInput(f"The title must be {_MAX_TITLE} characters or fewer.")
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


def _imported_on(inspection: Inspection) -> date:
    return timezone.localtime(inspection.created_at).date()


def _create_findings(
    *, inspection: Inspection, publication: ParsedPublication, force: Force, actor
) -> int:
    causes: dict[int, CauseOfConcern] = {}
    # Causes of concern first, so every recommendation finds its own wherever it stands.
    for index, item in enumerate(publication.items):
        check_time()
        if item.kind != CAUSE_OF_CONCERN:
            continue
        causes[index] = services.cause_of_concern_import(
            inspection=inspection,
            force=force,
            text=item.text,
            reference=item.reference,
            position=len(causes),
            actor=actor,
        )
    for index, item in enumerate(publication.items):
        check_time()
        if item.kind == CAUSE_OF_CONCERN:
            continue
        services.item_import(
            inspection=inspection,
            force=force,
            kind=item.kind,
            text=item.text,
            reference=item.reference,
            cause_of_concern=causes.get(item.parent) if item.parent is not None else None,
            deadline=item.deadline,
            status=item.status,
            position=index,
            actor=actor,
            history=[
                services.HistoryEvent(on=entry.on, status=entry.status, comment=entry.comment)
                for entry in item.history
            ],
        )
    return len(publication.items)


def _under_time_limit(function):
    """Run the import under the import time limit; past it, InvalidInput (and a rollback)."""

    @functools.wraps(function)
    def limited(*args, **kwargs):
        seconds = time_limit_seconds()
        try:
            with time_limit(seconds, message=WRITE_TOO_SLOW.format(seconds=seconds)):
                return function(*args, **kwargs)
        except ImportTooSlow as error:
            raise InvalidInput(error.message) from error

    return limited


@_under_time_limit
def publication_import(
    *,
    parsed: ParsedPublication,
    force: Force,
    user,
    programme: str = Programme.OTHER,
    published_on: date | None = None,
    issued_on: date | None = None,
    title: str = "",
    source_url: str = "",
    dry_run: bool = False,
    system: bool = False,
) -> ImportResult:
    """Import a parsed (and possibly corrected) publication for one force, atomically.

    ``title``, ``published_on`` and ``issued_on`` override what the text states; a publication
    whose text states no title or publication date needs them here. ``system=True`` is for the
    administrator's command line: no actor and no inspector check. ``dry_run`` validates and
    writes everything, then rolls it back.

    Raises NotAllowed (not an inspector of the force) or InvalidInput (anything inconsistent,
    or past the time limit); either way nothing is written.
    """
    if force is None:
        raise InvalidInput("Choose the force the publication is about.")
    _check_permission(user, force, system=system)
    publication = _validated(
        parsed, title=title, programme=programme, published_on=published_on, issued_on=issued_on
    )
    source_url = _check_url(source_url)
    actor = None if system else user
    count = len(publication.items)

    def already(inspection: Inspection) -> ImportResult:
        return ImportResult(
            publication=publication,
            inspection=inspection,
            created=0,
            skipped=count,
            dry_run=dry_run,
            already_imported_on=_imported_on(inspection),
        )

    lookup = {
        "force": force,
        "title": publication.title,
        "published_on": publication.published_on,
        "references": publication.references,
    }
    with transaction.atomic():
        existing = existing_import(**lookup)
        if existing is not None:
            return already(existing)
        try:
            with transaction.atomic():
                inspection = services.inspection_create(
                    force=force,
                    title=publication.title,
                    programme=programme,
                    reference=_inspection_reference(publication.references),
                    issued_on=publication.issued_on,
                    published_on=publication.published_on,
                    source_url=source_url,
                    grades=[(grade.area, grade.grade) for grade in publication.grades],
                )
        except IntegrityError:
            # Another import of the same publication committed first.
            existing = existing_import(**lookup)
            if existing is None:
                raise
            return already(existing)
        created = _create_findings(
            inspection=inspection, publication=publication, force=force, actor=actor
        )
        if dry_run:
            transaction.set_rollback(True)
            return ImportResult(
                publication=publication, inspection=None, created=0, skipped=0, dry_run=True
            )
    return ImportResult(publication=publication, inspection=inspection, created=created, skipped=0)


def _inspection_reference(references: list[str]) -> str:
    joined = ", ".join(ref for ref in references if ref)
    return joined if len(joined) <= _MAX_REFERENCE else references[0][:_MAX_REFERENCE]

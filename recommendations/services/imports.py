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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone

from recommendations import services
from recommendations.importing.limits import (
    WRITE_TOO_SLOW,
    ImportTooSlow,
    check_time,
    time_limit,
    time_limit_seconds,
)
from recommendations.importing.structure import (
    CAUSE_OF_CONCERN,
    ParsedPublication,
)
from recommendations.models import (
    CauseOfConcern,
    Force,
    Inspection,
    Item,
    Programme,
)
from recommendations.rules import inspector_of_force
from recommendations.services.import_checks import (
    MAX_REFERENCE,
    publication_validated,
    source_url_checked,
)
from tracker.errors import InvalidInput, NotAllowed

if TYPE_CHECKING:
    from accounts.models import User

_P = ParamSpec("_P")
_R = TypeVar("_R")


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


def _check_permission(user: User | None, force: Force, *, system: bool) -> None:
    if system:
        return
    if user is None or not inspector_of_force(user, force):
        raise NotAllowed(f"Only an inspector assigned to {force} can import its publications.")


def _imported_on(inspection: Inspection) -> date:
    return timezone.localtime(inspection.created_at).date()


def _create_findings(
    *, inspection: Inspection, publication: ParsedPublication, force: Force, actor: User | None
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


def _under_time_limit(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run the import under the import time limit; past it, InvalidInput (and a rollback)."""

    @functools.wraps(function)
    def limited(*args: _P.args, **kwargs: _P.kwargs) -> _R:
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
    user: User | None,
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
    publication = publication_validated(
        parsed, title=title, programme=programme, published_on=published_on, issued_on=issued_on
    )
    source_url = source_url_checked(source_url)
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

    published_on = publication.published_on
    assert published_on is not None  # publication_validated refuses a publication without one

    def find_existing() -> Inspection | None:
        return existing_import(
            force=force,
            title=publication.title,
            published_on=published_on,
            references=publication.references,
        )

    with transaction.atomic():
        existing = find_existing()
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
                    published_on=published_on,
                    source_url=source_url,
                    grades=[(grade.area, grade.grade) for grade in publication.grades],
                )
        except IntegrityError:
            # Another import of the same publication committed first.
            existing = find_existing()
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
    return joined if len(joined) <= MAX_REFERENCE else references[0][:MAX_REFERENCE]

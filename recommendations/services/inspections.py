"""Recording a publication: the inspection with its graded judgments, and its causes of
concern. (Its recommendations and areas for improvement: `findings.item_create` and
`findings.item_import`.) Used by the importer and the demo; nothing here is refused for a
closed finding, since each call creates a new one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from recommendations import references
from recommendations.models import (
    CauseOfConcern,
    Force,
    Grade,
    GradedJudgment,
    Inspection,
    Programme,
    TimelineKind,
)
from recommendations.services.common import clean_text, published_at, timeline_record
from tracker.errors import InvalidInput

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def inspection_create(
    *,
    force: Force | None,
    title: str,
    published_on: date,
    programme: str = Programme.OTHER,
    issued_on: date | None = None,
    reference: str = "",
    source_url: str = "",
    short_name: str = "",
    grades: Sequence[tuple[str, str]] = (),
) -> Inspection:
    """A publication and its graded judgments (area, grade), in the order given.

    The short name its items' references begin with is given, or made unique among the
    force's inspections from the programme and the years the title names. A force holds a
    publication (title and publication date) once: a second is an IntegrityError, which the
    importer turns into "already imported".
    """
    if programme not in Programme.values:
        raise InvalidInput(f"“{programme}” is not an inspection programme.")
    for _area, grade in grades:
        if grade not in Grade.values:
            raise InvalidInput(f"“{grade}” is not a grade.")
    inspection = Inspection.objects.create(
        force=force,
        title=clean_text(title, what="the publication’s title"),
        short_name=short_name
        or references.unique_short_name(
            force_id=force.pk if force else None,
            title=title,
            programme=programme,
            published_on=published_on,
        ),
        programme=programme,
        reference=reference,
        issued_on=issued_on,
        published_on=published_on,
        source_url=source_url,
    )
    GradedJudgment.objects.bulk_create(
        GradedJudgment(inspection=inspection, area=area, grade=grade, position=n)
        for n, (area, grade) in enumerate(grades)
    )
    return inspection


@transaction.atomic
def cause_of_concern_create(
    *,
    inspection: Inspection,
    text: str,
    force: Force | None = None,
    reference: str = "",
    position: int = 0,
    actor: User | None = None,
) -> CauseOfConcern:
    """Record a cause of concern by hand (the demo, an administrator); its timeline begins
    with a "created" entry on the day of publication."""
    return _cause_of_concern_insert(
        inspection=inspection,
        text=text,
        force=force,
        reference=reference,
        position=position,
        actor=actor,
        kind=TimelineKind.CREATED,
        comment=f"Published in “{inspection.title}”.",
    )


@transaction.atomic
def cause_of_concern_import(
    *,
    inspection: Inspection,
    force: Force,
    text: str,
    reference: str,
    position: int,
    actor: User | None,
) -> CauseOfConcern:
    """Record a cause of concern read from a publication; its timeline begins with an
    "imported" entry by the inspector who imported it (none from the command line)."""
    return _cause_of_concern_insert(
        inspection=inspection,
        text=text,
        force=force,
        reference=reference,
        position=position,
        actor=actor,
        kind=TimelineKind.IMPORTED,
        comment=f"Imported from “{inspection.title}”.",
    )


def _cause_of_concern_insert(
    *,
    inspection: Inspection,
    text: str,
    force: Force | None,
    reference: str,
    position: int,
    actor: User | None,
    kind: str,
    comment: str,
) -> CauseOfConcern:
    force = force or inspection.force
    if force is None:
        raise InvalidInput("Choose the force this cause of concern applies to.")
    cause = CauseOfConcern.objects.create(
        inspection=inspection,
        force=force,
        reference=reference,
        text=clean_text(text, what="the text of the cause of concern"),
        position=position,
    )
    timeline_record(
        cause_of_concern=cause,
        kind=kind,
        actor=actor,
        occurred_at=published_at(inspection),
        comment=comment,
    )
    return cause

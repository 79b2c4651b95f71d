"""Inspectors' oversight: closing causes of concern, recording monitoring stages."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from notifications import events as notification_events
from recommendations.exceptions import InvalidInput
from recommendations.models import (
    CauseOfConcern,
    Force,
    MonitoringStage,
    MonitoringStageChange,
    TimelineKind,
)
from recommendations.services.common import (
    clean_text,
    require_open,
    require_permission,
    timeline_record,
)


@transaction.atomic
def cause_of_concern_close(
    *, cause_of_concern: CauseOfConcern, user, closed_on: date, letter_reference: str
) -> CauseOfConcern:
    """An inspector closes a cause of concern with the closing letter's date and reference."""
    require_permission(
        "recommendations.close_cause_of_concern",
        user,
        cause_of_concern,
        f"Only an inspector assigned to {cause_of_concern.force} can close a cause of concern.",
    )
    cause_of_concern = require_open(cause_of_concern)
    if closed_on > timezone.localdate():
        raise InvalidInput("The closing letter's date cannot be in the future.")
    cause_of_concern.closed_on = closed_on
    cause_of_concern.closing_letter_reference = clean_text(
        letter_reference, what="the closing letter's reference"
    )
    cause_of_concern.closed_by = user
    cause_of_concern.save(update_fields=["closed_on", "closing_letter_reference", "closed_by"])
    timeline_record(
        cause_of_concern=cause_of_concern,
        kind=TimelineKind.CAUSE_OF_CONCERN_CLOSED,
        actor=user,
        comment=f"Closed by letter {cause_of_concern.closing_letter_reference} "
        f"dated {closed_on:%d %B %Y}.",
    )
    notification_events.plan_cause_of_concern_closed(cause_of_concern=cause_of_concern, actor=user)
    return cause_of_concern


@transaction.atomic
def force_record_monitoring_stage(
    *, force: Force, user, stage: str, started_on: date, note: str = ""
) -> MonitoringStageChange:
    """An inspector records a change of the force's monitoring stage from a date.

    A force is never closed, so there is nothing here for `require_open` to check.
    """
    require_permission(
        "recommendations.record_monitoring_stage",
        user,
        force,
        f"Only an inspector assigned to {force} can record its monitoring stage.",
    )
    if stage not in MonitoringStage.values:
        raise InvalidInput("Choose a monitoring stage.")
    if MonitoringStageChange.objects.filter(force=force, started_on=started_on).exists():
        raise InvalidInput("A monitoring stage is already recorded for that date.")
    return MonitoringStageChange.objects.create(
        force=force, stage=stage, started_on=started_on, note=note.strip(), recorded_by=user
    )

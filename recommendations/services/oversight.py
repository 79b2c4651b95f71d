"""Inspectors' oversight: closing and reopening causes of concern, recording monitoring
stages."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from notifications import events as notification_events
from recommendations.models import (
    CauseOfConcern,
    Force,
    Item,
    MonitoringStage,
    MonitoringStageChange,
    TimelineKind,
)
from recommendations.selectors import open_recommendations
from recommendations.services.common import (
    check_date,
    clean_text,
    require_open,
    require_permission,
    timeline_record,
)
from tracker.errors import InvalidInput, NotAllowed

if TYPE_CHECKING:
    from accounts.models import User


def _locked(cause_of_concern: CauseOfConcern) -> CauseOfConcern:
    """The row as it is now, locked until commit: two inspectors cannot both close it."""
    return CauseOfConcern.objects.select_for_update().get(pk=cause_of_concern.pk)


def open_recommendations_warning(items: list[Item]) -> str:
    """'2 recommendations of this cause of concern are still open: 9207/1, 9207/2.'"""
    names = ", ".join(item.reference or f"{item.position + 1}" for item in items)
    if len(items) == 1:
        return f"1 recommendation of this cause of concern is still open: {names}."
    return f"{len(items)} recommendations of this cause of concern are still open: {names}."


@transaction.atomic
def cause_of_concern_close(
    *,
    cause_of_concern: CauseOfConcern,
    user: User,
    closed_on: date,
    letter_reference: str,
    close_anyway: bool = False,
) -> CauseOfConcern:
    """An inspector closes a cause of concern with the closing letter's date and reference.

    While some of its recommendations are open, closing needs `close_anyway`: the inspector
    has seen which ones and confirms; the timeline says which were still open.
    """
    require_permission(
        "recommendations.close_cause_of_concern",
        user,
        cause_of_concern,
        f"Only an inspector assigned to {cause_of_concern.force} can close a cause of concern.",
    )
    cause_of_concern = require_open(cause_of_concern)
    check_date(closed_on, what="The date of the closing letter", field="closed_on")
    if closed_on > timezone.localdate():
        raise InvalidInput("The closing letter's date cannot be in the future.")
    still_open = open_recommendations(cause_of_concern)
    if still_open and not close_anyway:
        raise InvalidInput(
            f"{open_recommendations_warning(still_open)} "
            "Select “Close it anyway” to close the cause of concern all the same.",
            field="close_anyway",
        )
    cause_of_concern.closed_on = closed_on
    cause_of_concern.closing_letter_reference = clean_text(
        letter_reference, what="the closing letter's reference"
    )
    cause_of_concern.closed_by = user
    cause_of_concern.save(update_fields=["closed_on", "closing_letter_reference", "closed_by"])
    entry = timeline_record(
        cause_of_concern=cause_of_concern,
        kind=TimelineKind.CAUSE_OF_CONCERN_CLOSED,
        actor=user,
        comment=f"Closed by letter {cause_of_concern.closing_letter_reference} "
        f"dated {closed_on:%d %B %Y}."
        + (f" {open_recommendations_warning(still_open)}" if still_open else ""),
    )
    notification_events.entry_recorded(entry=entry, actor=user)
    return cause_of_concern


@transaction.atomic
def cause_of_concern_reopen(
    *, cause_of_concern: CauseOfConcern, user: User, reason: str
) -> CauseOfConcern:
    """An inspector reopens a closed cause of concern, with a reason.

    The closing letter's date and reference are cleared from the cause of concern and kept in
    its timeline, with the reason.
    """
    require_permission(
        "recommendations.reopen_cause_of_concern",
        user,
        cause_of_concern,
        f"Only an inspector assigned to {cause_of_concern.force} can reopen a cause of concern.",
    )
    locked = _locked(cause_of_concern)
    if locked.is_open:
        raise NotAllowed("This cause of concern is open already.")
    reason = clean_text(reason, what="the reason for reopening it", field="reason")
    previously = (
        f"It had been closed by letter {locked.closing_letter_reference} "
        f"dated {locked.closed_on:%d %B %Y}."
    )
    cause_of_concern.closed_on = None
    cause_of_concern.closing_letter_reference = ""
    cause_of_concern.closed_by = None
    cause_of_concern.save(update_fields=["closed_on", "closing_letter_reference", "closed_by"])
    entry = timeline_record(
        cause_of_concern=cause_of_concern,
        kind=TimelineKind.CAUSE_OF_CONCERN_REOPENED,
        actor=user,
        comment=f"{reason}\n\n{previously}",
    )
    notification_events.entry_recorded(entry=entry, actor=user)
    return cause_of_concern


@transaction.atomic
def force_record_monitoring_stage(
    *, force: Force, user: User, stage: str, started_on: date, note: str = ""
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
    check_date(started_on, what="The date the stage started", field="started_on")
    if MonitoringStageChange.objects.filter(force=force, started_on=started_on).exists():
        raise InvalidInput("A monitoring stage is already recorded for that date.")
    return MonitoringStageChange.objects.create(
        force=force, stage=stage, started_on=started_on, note=note.strip(), recorded_by=user
    )

"""Creating findings, and changing an item's due date or owner."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from notifications import events as notification_events
from notifications.models import Kind as NotificationKind
from recommendations.deadlines import NO_DEADLINE, Deadline, parse_deadline
from recommendations.exceptions import InvalidInput
from recommendations.models import (
    CauseOfConcern,
    Force,
    Inspection,
    Item,
    ItemKind,
    Status,
    TimelineKind,
)
from recommendations.services.common import (
    check_owner,
    clean_text,
    require_open,
    require_permission,
    timeline_record,
)


@dataclass(frozen=True)
class HistoryEvent:
    """A dated event from a register entry's log: a status change, a comment, or both."""

    on: date
    status: str | None = None
    comment: str = ""


def _at_noon(on: date) -> datetime:
    # Register history is dated by day; noon local time keeps it on that day in any zone shift.
    return timezone.make_aware(datetime.combine(on, time(12)))


@transaction.atomic
def item_create(
    *,
    inspection: Inspection,
    kind: str,
    text: str,
    force: Force | None = None,
    reference: str = "",
    cause_of_concern: CauseOfConcern | None = None,
    deadline: Deadline | None = None,
    status: str = Status.AWAITING_REVIEW,
    position: int = 0,
    actor=None,
    timeline_kind: str = TimelineKind.CREATED,
    occurred_at: datetime | None = None,
    history: Sequence[HistoryEvent] = (),
) -> Item:
    """Create a recommendation or area for improvement with its deadline and due date.

    The deadline is read from the text unless given; areas for improvement never have one.
    Relative deadlines run from the inspection's issue date, or its publication date.
    A register event log (`history`) becomes the item's timeline, and its last status the
    item's current status.
    """
    if cause_of_concern is not None:
        require_open(cause_of_concern)
    force = force or inspection.force
    if force is None:
        raise InvalidInput("Choose the force this item applies to.")
    if kind == ItemKind.AREA_FOR_IMPROVEMENT:
        deadline = NO_DEADLINE
        if cause_of_concern is not None:
            raise InvalidInput("An area for improvement cannot belong to a cause of concern.")
    elif deadline is None:
        deadline = parse_deadline(text)
    due_on = deadline.due_on(inspection.anchor_on)
    status_events = [event for event in history if event.status]
    if status_events:
        status = status_events[-1].status
    if status not in Status.values:
        raise InvalidInput(f"“{status}” is not a status in the register's vocabulary.")
    # A published finding exists from its publication date, so history (and the open and
    # overdue trend rebuilt from it) starts there rather than on the day it was entered.
    created_at = occurred_at or min(timezone.now(), _at_noon(inspection.published_on))
    last_change = _at_noon(status_events[-1].on) if status_events else created_at
    item = Item.objects.create(
        kind=kind,
        inspection=inspection,
        force=force,
        cause_of_concern=cause_of_concern,
        reference=reference,
        position=position,
        text=clean_text(text, what="the text of the item"),
        deadline_rule=deadline.rule,
        deadline_phrase=deadline.phrase,
        due_on=due_on,
        original_due_on=due_on,
        status=status,
        status_changed_at=last_change,
    )
    timeline_record(
        item=item,
        kind=timeline_kind,
        actor=actor,
        occurred_at=created_at,
        status_to="" if status_events else status,
        due_to=due_on,
        comment=f"Published in “{inspection.title}”.",
    )
    current = ""
    for event in history:
        is_change = bool(event.status) and event.status != current
        timeline_record(
            item=item,
            kind=TimelineKind.STATUS_CHANGED if is_change else TimelineKind.COMMENT,
            occurred_at=_at_noon(event.on),
            status_from=current if is_change else "",
            status_to=event.status if is_change else "",
            comment=event.comment,
        )
        current = event.status or current
    return item


# --- Deadlines and ownership ----------------------------------------------------------------


@transaction.atomic
def item_change_due_date(*, item: Item, user, due_on: date, reason: str) -> Item:
    """Move an open item's due date; the original is kept and a reason is required."""
    require_permission(
        "recommendations.change_due_date",
        user,
        item,
        f"Only the force improvement lead or an inspector for {item.force} can change due dates.",
    )
    item = require_open(item)
    if item.due_on is None:
        raise InvalidInput("This item has no deadline, so it has no due date to change.")
    reason = clean_text(reason, what="the reason for the new due date")
    if due_on == item.due_on:
        raise InvalidInput("The new due date is the same as the current one.")
    due_from = item.due_on
    item.due_on = due_on
    item.save(update_fields=["due_on", "updated_at"])
    timeline_record(
        item=item,
        kind=TimelineKind.DUE_DATE_CHANGED,
        actor=user,
        due_from=due_from,
        due_to=due_on,
        comment=reason,
    )
    notification_events.plan_item_event(
        kind=NotificationKind.DUE_DATE_CHANGED, item=item, actor=user
    )
    return item


@transaction.atomic
def item_assign_owner(*, item: Item, user, owner) -> Item:
    """The force lead names the accountable owner, who must work for the same force."""
    require_permission(
        "recommendations.assign_item",
        user,
        item,
        f"Only the force improvement lead for {item.force} can assign owners.",
    )
    item = require_open(item)
    check_owner(owner, item)
    item.owner = owner
    item.save(update_fields=["owner", "updated_at"])
    timeline_record(
        item=item,
        kind=TimelineKind.ASSIGNED,
        actor=user,
        comment=f"Owner: {owner}" if owner else "Owner removed",
    )
    notification_events.plan_item_event(kind=NotificationKind.ASSIGNED, item=item, actor=user)
    return item

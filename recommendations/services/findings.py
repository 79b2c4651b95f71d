"""Creating findings, and changing an item's due date or owner."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import rules
from django.db import transaction
from django.utils import timezone

from notifications import events as notification_events
from recommendations import references
from recommendations.deadlines import NO_DEADLINE, Deadline, parse_deadline
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
    at_noon,
    check_date,
    check_owner,
    clean_text,
    published_at,
    require_open,
    require_permission,
    timeline_record,
)
from tracker.errors import InvalidInput

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class HistoryEvent:
    """A dated event from a register entry's log: a status change, a comment, or both."""

    on: date
    status: str | None = None
    comment: str = ""


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
    actor: User | None = None,
    history: Sequence[HistoryEvent] = (),
) -> Item:
    """Record a recommendation or area for improvement by hand (the demo, an administrator),
    with its deadline and due date; its timeline begins with a "created" entry.

    The deadline is read from the text unless given; areas for improvement never have one.
    Relative deadlines run from the inspection's issue date, or its publication date.
    A register event log (`history`) becomes the item's timeline, and its last status the
    item's current status. The item gets its reference for good: the inspectorate's, or the
    next number of its kind in the inspection (see `recommendations.references`).
    """
    return _item_insert(
        inspection=inspection,
        kind=kind,
        text=text,
        force=force,
        reference=reference,
        cause_of_concern=cause_of_concern,
        deadline=deadline,
        status=status,
        position=position,
        actor=actor,
        history=history,
        timeline_kind=TimelineKind.CREATED,
    )


@transaction.atomic
def item_import(
    *,
    inspection: Inspection,
    force: Force,
    kind: str,
    text: str,
    reference: str,
    cause_of_concern: CauseOfConcern | None,
    deadline: Deadline,
    status: str,
    position: int,
    actor: User | None,
    history: Sequence[HistoryEvent] = (),
) -> Item:
    """Record a finding read from a publication (and checked by the inspector in the
    preview): the deadline is the one the importer read, and the timeline begins with an
    "imported" entry by the inspector who imported it (none from the command line). The
    rules of `item_create` otherwise apply; `publication_import` is the one caller."""
    return _item_insert(
        inspection=inspection,
        kind=kind,
        text=text,
        force=force,
        reference=reference,
        cause_of_concern=cause_of_concern,
        deadline=deadline,
        status=status,
        position=position,
        actor=actor,
        history=history,
        timeline_kind=TimelineKind.IMPORTED,
    )


def _item_insert(
    *,
    inspection: Inspection,
    kind: str,
    text: str,
    force: Force | None,
    reference: str,
    cause_of_concern: CauseOfConcern | None,
    deadline: Deadline | None,
    status: str,
    position: int,
    actor: User | None,
    history: Sequence[HistoryEvent],
    timeline_kind: str,
) -> Item:
    """What both ways of creating an item share; the caller holds the transaction."""
    if cause_of_concern is not None:
        require_open(cause_of_concern)
    force = force or inspection.force
    if force is None:
        raise InvalidInput("Choose the force this item applies to.")
    display_reference = item_reference_allocate(
        inspection=inspection, force=force, kind=kind, reference=reference
    )
    if kind == ItemKind.AREA_FOR_IMPROVEMENT:
        deadline = NO_DEADLINE
        if cause_of_concern is not None:
            raise InvalidInput("An area for improvement cannot belong to a cause of concern.")
    elif deadline is None:
        deadline = parse_deadline(text)
    due_on = deadline.due_on(inspection.anchor_on)
    status_events = [event for event in history if event.status]
    if status_events:
        status = status_events[-1].status or status
    if status not in Status.values:
        raise InvalidInput(f"“{status}” is not a status in the register's vocabulary.")
    created_at = published_at(inspection)
    last_change = at_noon(status_events[-1].on) if status_events else created_at
    item = Item.objects.create(
        kind=kind,
        inspection=inspection,
        force=force,
        cause_of_concern=cause_of_concern,
        reference=reference,
        display_reference=display_reference,
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
            occurred_at=at_noon(event.on),
            status_from=current if is_change else "",
            status_to=event.status if is_change else "",
            comment=event.comment,
        )
        current = event.status or current
    return item


@transaction.atomic
def item_reference_allocate(
    *, inspection: Inspection, force: Force, kind: str, reference: str = ""
) -> str:
    """The reference a new item will be shown by, for whoever creates one (`item_create`, the
    admin). The inspection's row is held until the caller's transaction ends, so items
    created at the same time take different numbers; the inspection gets its short name with
    its first item."""
    if kind not in ItemKind.values:
        raise InvalidInput(f"“{kind}” is not a kind of finding.")
    locked = Inspection.objects.select_for_update().filter(pk=inspection.pk)
    short_name = locked.values_list("short_name", flat=True).get()
    if not short_name:
        short_name = references.unique_short_name(
            force_id=inspection.force_id,
            title=inspection.title,
            programme=inspection.programme,
            published_on=inspection.published_on,
            exclude_pk=inspection.pk,
        )
        locked.update(short_name=short_name)
    inspection.short_name = short_name
    display_reference = references.next_display_reference(
        inspection=inspection, force_id=force.pk, kind=kind, reference=reference
    )
    taken = Item.objects.filter(inspection=inspection, force=force, display_reference=reference)
    if reference and taken.exists():
        raise InvalidInput(f"The reference “{reference}” is already used in this inspection.")
    return display_reference


# --- Deadlines and ownership ----------------------------------------------------------------


@transaction.atomic
def item_change_due_date(*, item: Item, user: User, due_on: date, reason: str) -> Item:
    """An inspector moves an open item's due date; the original is kept, a reason is
    required, and a move later counts as an extension. (The force asks for an extension
    instead: `extension_request_create`.)"""
    require_permission(
        "recommendations.change_due_date",
        user,
        item,
        f"Only an inspector for {item.force} can change the due date; the force lead can "
        "ask for an extension.",
    )
    item = require_open(item)
    if item.due_on is None:
        raise InvalidInput("This item has no deadline, so it has no due date to change.")
    check_date(due_on, what="The due date", field="due_on")
    if due_on <= timezone.localdate() and not rules.has_perm(
        "recommendations.set_past_due_date", user, item
    ):
        raise InvalidInput("The due date must be in the future", field="due_on")
    reason = clean_text(reason, what="the reason for the new due date")
    if due_on == item.due_on:
        raise InvalidInput("The new due date is the same as the current one.")
    due_from = item.due_on
    item.due_on = due_on
    if due_on > due_from:
        item.extension_count += 1
    item.save(update_fields=["due_on", "extension_count", "updated_at"])
    entry = timeline_record(
        item=item,
        kind=TimelineKind.DUE_DATE_CHANGED,
        actor=user,
        due_from=due_from,
        due_to=due_on,
        comment=reason,
    )
    notification_events.entry_recorded(entry=entry, actor=user)
    return item


@transaction.atomic
def item_assign_owner(*, item: Item, user: User, owner: User | None) -> Item:
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
    entry = timeline_record(
        item=item,
        kind=TimelineKind.ASSIGNED,
        actor=user,
        comment=f"Owner: {owner}" if owner else "Owner removed",
    )
    notification_events.entry_recorded(entry=entry, actor=user)
    return item

"""Use cases that change data: one function each, keyword-only, atomic, writing the timeline.

Permission is checked here as well as in views, so no caller (view, command, task) can skip it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

import rules
from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from accounts.models import Role
from notifications import events as notification_events
from notifications.models import Kind as NotificationKind
from recommendations import workflow
from recommendations.deadlines import NO_DEADLINE, Deadline, parse_deadline
from recommendations.exceptions import InvalidInput, NotAllowed
from recommendations.models import (
    Action,
    ActionStatus,
    CauseOfConcern,
    Evidence,
    Force,
    Inspection,
    Item,
    ItemKind,
    MonitoringStage,
    MonitoringStageChange,
    ProgressUpdate,
    Status,
    TimelineEntry,
    TimelineKind,
)


def _require(perm: str, user, obj, message: str) -> None:
    if not rules.has_perm(perm, user, obj):
        raise NotAllowed(message)


def _clean_text(value: str, *, what: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"Enter {what}.")
    return value


def timeline_record(
    *, item: Item | None = None, cause_of_concern: CauseOfConcern | None = None, **fields
) -> TimelineEntry:
    """Append one entry to the history of an item or a cause of concern."""
    return TimelineEntry.objects.create(item=item, cause_of_concern=cause_of_concern, **fields)


# --- Creating findings ------------------------------------------------------------------------


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
        text=_clean_text(text, what="the text of the item"),
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


# --- The status workflow ----------------------------------------------------------------------


def _transition(
    *, item: Item, user, name: str, comment: str, superseded_by: Item | None = None
) -> Item:
    info = workflow.TRANSITIONS[name]
    # Lock the row so two reviewers cannot decide the same submission at once.
    item = Item.objects.select_for_update().select_related("force").get(pk=item.pk)
    bound = getattr(item, name)
    if not can_proceed(bound) or not has_transition_perm(bound, user):
        raise NotAllowed(workflow.refusal_reason(item, user, name))
    comment = _clean_text(comment, what=info.comment_label.lower(), required=info.comment_required)
    if superseded_by is not None and (
        superseded_by.pk == item.pk or superseded_by.force_id != item.force_id
    ):
        raise InvalidInput("The superseding item must be another item of the same force.")

    status_from = item.status
    bound()
    now = timezone.now()
    item.status_changed_at = now
    update_fields = ["status", "status_changed_at", "updated_at"]
    if name == "submit_for_review":
        item.submitted_at = now
        update_fields.append("submitted_at")
        Evidence.objects.filter(item=item, submitted_at__isnull=True).update(submitted_at=now)
    if name == "stop_tracking":
        item.superseded_by = superseded_by
        update_fields.append("superseded_by")
    item.save(update_fields=update_fields)
    timeline_record(
        item=item,
        kind=TimelineKind.STATUS_CHANGED,
        actor=user,
        occurred_at=now,
        status_from=status_from,
        status_to=item.status,
        comment=comment,
    )
    return item


@transaction.atomic
def item_submit_for_review(*, item: Item, user, comment: str = "") -> Item:
    """The force lead asks for closure; the evidence attached so far is frozen."""
    item = _transition(item=item, user=user, name="submit_for_review", comment=comment)
    notification_events.plan_item_event(kind=NotificationKind.SUBMITTED, item=item, actor=user)
    return item


@transaction.atomic
def item_complete(*, item: Item, user, comment: str) -> Item:
    """An inspector authorises closure (comment required); the item is then locked."""
    item = _transition(item=item, user=user, name="complete", comment=comment)
    notification_events.plan_item_event(
        kind=NotificationKind.REVIEW_DECISION, item=item, actor=user
    )
    return item


@transaction.atomic
def item_send_back(*, item: Item, user, comment: str) -> Item:
    """An inspector finds the submission not yet enough and says what is still needed."""
    item = _transition(item=item, user=user, name="send_back", comment=comment)
    notification_events.plan_item_event(
        kind=NotificationKind.REVIEW_DECISION, item=item, actor=user
    )
    return item


@transaction.atomic
def item_stop_tracking(
    *, item: Item, user, comment: str, superseded_by: Item | None = None
) -> Item:
    """An inspector stops tracking, with a reason and optionally the superseding item."""
    item = _transition(
        item=item, user=user, name="stop_tracking", comment=comment, superseded_by=superseded_by
    )
    notification_events.plan_item_event(
        kind=NotificationKind.REVIEW_DECISION, item=item, actor=user
    )
    return item


@transaction.atomic
def item_reopen(*, item: Item, user, comment: str) -> Item:
    """An inspector reopens a closed item, with a reason."""
    item = _transition(item=item, user=user, name="reopen", comment=comment)
    notification_events.plan_item_event(
        kind=NotificationKind.REVIEW_DECISION, item=item, actor=user
    )
    return item


ITEM_TRANSITION_SERVICES = {
    "submit_for_review": item_submit_for_review,
    "complete": item_complete,
    "send_back": item_send_back,
    "stop_tracking": item_stop_tracking,
    "reopen": item_reopen,
}


# --- Deadlines and ownership ----------------------------------------------------------------


@transaction.atomic
def item_change_due_date(*, item: Item, user, due_on: date, reason: str) -> Item:
    """Move an open item's due date; the original is kept and a reason is required."""
    item = Item.objects.select_for_update().select_related("force").get(pk=item.pk)
    _require(
        "recommendations.change_due_date",
        user,
        item,
        f"Only the force improvement lead or an inspector for {item.force} can change due dates.",
    )
    if not item.is_open:
        raise NotAllowed("This item is closed; reopen it before changing its due date.")
    if item.due_on is None:
        raise InvalidInput("This item has no deadline, so it has no due date to change.")
    reason = _clean_text(reason, what="the reason for the new due date")
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
    _require(
        "recommendations.assign_item",
        user,
        item,
        f"Only the force improvement lead for {item.force} can assign owners.",
    )
    _check_owner(owner, item)
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


# --- The force's own work -----------------------------------------------------------------


def _check_owner(owner, item: Item) -> None:
    """Owners are the force's improvement leads and action owners; sponsors are read-only."""
    if owner is None:
        return
    if owner.force_id != item.force_id:
        raise InvalidInput("The owner must be a member of the same force.")
    if owner.role not in (Role.FORCE_LEAD, Role.ACTION_OWNER) or not owner.is_active:
        raise InvalidInput("The owner must be an active improvement lead or action owner.")


def _require_open_for_work(item: Item, user) -> None:
    _require(
        "recommendations.work_on_item",
        user,
        item,
        f"Only the improvement lead or action owners of {item.force} can update this item.",
    )
    if not item.is_open:
        raise NotAllowed("This item is closed and locked; an inspector must reopen it first.")


@transaction.atomic
def action_create(
    *, item: Item, user, description: str, owner=None, target_on: date | None = None
) -> Action:
    """Record a piece of the force's work under an item."""
    _require_open_for_work(item, user)
    _check_owner(owner, item)
    action = Action.objects.create(
        item=item,
        description=_clean_text(description, what="a description of the action"),
        owner=owner,
        target_on=target_on,
        created_by=user,
    )
    timeline_record(
        item=item, kind=TimelineKind.ACTION_ADDED, actor=user, comment=action.description
    )
    notification_events.plan_item_event(
        kind=NotificationKind.ASSIGNED, item=item, actor=user, action=action
    )
    return action


@transaction.atomic
def action_update(
    *,
    action: Action,
    user,
    description: str,
    owner=None,
    target_on: date | None = None,
    status: str = ActionStatus.NOT_STARTED,
) -> Action:
    """Edit an action: the force lead, or the action's own owner."""
    item = action.item
    _require(
        "recommendations.edit_action",
        user,
        action,
        "Only the force improvement lead or the action's owner can change it.",
    )
    if not item.is_open:
        raise NotAllowed("This item is closed and locked; an inspector must reopen it first.")
    if status not in ActionStatus.values:
        raise InvalidInput("Choose a valid action status.")
    _check_owner(owner, item)
    action.description = _clean_text(description, what="a description of the action")
    action.owner = owner
    action.target_on = target_on
    action.status = status
    action.save()
    timeline_record(
        item=item,
        kind=TimelineKind.ACTION_CHANGED,
        actor=user,
        comment=f"{action.description} ({ActionStatus(status).label.lower()})",
    )
    notification_events.plan_item_event(
        kind=NotificationKind.ASSIGNED, item=item, actor=user, action=action
    )
    return action


@transaction.atomic
def progress_update_create(*, item: Item, user, text: str) -> ProgressUpdate:
    """Append a dated progress note; updates are never edited or deleted."""
    _require_open_for_work(item, user)
    update = ProgressUpdate.objects.create(
        item=item, author=user, text=_clean_text(text, what="the progress update")
    )
    timeline_record(item=item, kind=TimelineKind.PROGRESS_UPDATE, actor=user, comment=update.text)
    return update


@transaction.atomic
def evidence_add(*, item: Item, user, description: str, file=None, url: str = "") -> Evidence:
    """Attach a file or a link (one of the two) to an open item."""
    _require_open_for_work(item, user)
    if bool(file) == bool(url):
        raise InvalidInput("Attach either a file or a link.")
    evidence = Evidence(
        item=item,
        uploaded_by=user,
        description=_clean_text(description, what="a description of the evidence"),
        url=url,
    )
    if file:
        evidence.file.save(file.name, file, save=False)
    evidence.save()
    timeline_record(
        item=item, kind=TimelineKind.EVIDENCE_ADDED, actor=user, comment=evidence.description
    )
    return evidence


# --- Causes of concern and forces ----------------------------------------------------------


@transaction.atomic
def cause_of_concern_close(
    *, cause_of_concern: CauseOfConcern, user, closed_on: date, letter_reference: str
) -> CauseOfConcern:
    """An inspector closes a cause of concern with the closing letter's date and reference."""
    _require(
        "recommendations.close_cause_of_concern",
        user,
        cause_of_concern,
        f"Only an inspector assigned to {cause_of_concern.force} can close a cause of concern.",
    )
    if not cause_of_concern.is_open:
        raise NotAllowed("This cause of concern is already closed.")
    if closed_on > timezone.localdate():
        raise InvalidInput("The closing letter's date cannot be in the future.")
    cause_of_concern.closed_on = closed_on
    cause_of_concern.closing_letter_reference = _clean_text(
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
    """An inspector records a change of the force's monitoring stage from a date."""
    _require(
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

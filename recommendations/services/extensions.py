"""Extension requests: the force lead asks for a later due date, an inspector decides.

DAO 02/20 (HM Treasury) calls unilateral deferral of a recommendation's deadline unacceptable,
so a force never moves its own due date: approval moves it, refusal leaves it. Reminders and
the overdue ladder follow the due date, so they follow an approved extension only.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications import events as notification_events
from recommendations.models import ExtensionRequest, ExtensionState, Item, TimelineKind
from recommendations.services.common import (
    check_date,
    clean_text,
    require_open,
    require_permission,
    timeline_record,
)
from tracker.errors import InvalidInput, NotAllowed, StaleDecision

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def extension_request_create(
    *, item: Item, user: User, due_on: date, reason: str
) -> ExtensionRequest:
    """The force lead asks for a new due date after today and after the current one, with a
    reason; the force's inspectors are told. One request waits at a time."""
    item = Item.objects.select_for_update().select_related("force").get(pk=item.pk)
    require_permission(
        "recommendations.request_extension",
        user,
        item,
        f"Only the force improvement lead for {item.force} can ask for an extension.",
    )
    item = require_open(item)
    if item.due_on is None:
        raise InvalidInput("This item has no deadline, so there is nothing to extend.")
    check_date(due_on, what="The new due date", field="due_on")
    if due_on <= timezone.localdate():
        raise InvalidInput("The new due date must be in the future", field="due_on")
    if due_on <= item.due_on:
        raise InvalidInput("The new due date must be later than the current one", field="due_on")
    reason = clean_text(reason, what="the reason for the extension")
    if item.extension_requests.filter(state=ExtensionState.PENDING).exists():
        raise NotAllowed("An extension request for this item is already waiting for a decision.")
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(
                item=item, requested_by=user, due_from=item.due_on, due_on=due_on, reason=reason
            )
    except IntegrityError as clash:  # a request made at the same moment in another tab
        raise NotAllowed(
            "An extension request for this item is already waiting for a decision."
        ) from clash
    entry = timeline_record(
        item=item,
        kind=TimelineKind.EXTENSION_REQUESTED,
        actor=user,
        due_from=item.due_on,
        due_to=due_on,
        comment=reason,
    )
    notification_events.entry_recorded(entry=entry, actor=user)
    return request


@transaction.atomic
def extension_request_decide(
    *, request: ExtensionRequest, user: User, approve: bool, comment: str = ""
) -> ExtensionRequest:
    """An inspector approves (the due date moves; the original is kept and the extension
    counted) or refuses (a reason is required; the due date stays). The force is told."""
    request = (
        ExtensionRequest.objects.select_for_update()
        .select_related("item", "item__force")
        .get(pk=request.pk)
    )
    item = request.item
    require_permission(
        "recommendations.decide_extension",
        user,
        item,
        f"Only an inspector assigned to {item.force} can decide on extension requests.",
    )
    if not request.is_pending:
        raise StaleDecision(
            f"This request was already {request.get_state_display().lower()} "
            f"by {request.decided_by}."
        )
    item = require_open(item)
    comment = clean_text(comment, what="the reason for refusing", required=not approve)
    now = timezone.now()
    request.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    request.decided_by = user
    request.decided_at = now
    request.decision_comment = comment
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_comment"])
    due_from = item.due_on
    if approve:
        item.due_on = request.due_on
        item.extension_count += 1
        item.save(update_fields=["due_on", "extension_count", "updated_at"])
    entry = timeline_record(
        item=item,
        kind=TimelineKind.EXTENSION_APPROVED if approve else TimelineKind.EXTENSION_REFUSED,
        actor=user,
        occurred_at=now,
        due_from=due_from if approve else None,
        due_to=request.due_on if approve else None,
        comment=comment,
    )
    notification_events.entry_recorded(entry=entry, actor=user)
    return request

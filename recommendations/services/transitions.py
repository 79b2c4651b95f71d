"""The status workflow: the five transitions, each checked, recorded and notified."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from notifications import events as notification_events
from notifications.models import Kind as NotificationKind
from recommendations import workflow
from recommendations.exceptions import InvalidInput, NotAllowed
from recommendations.models import (
    Evidence,
    Item,
    TimelineKind,
)
from recommendations.services.common import clean_text, timeline_record


def _transition(
    *, item: Item, user, name: str, comment: str, superseded_by: Item | None = None
) -> Item:
    info = workflow.TRANSITIONS[name]
    # Lock the row so two reviewers cannot decide the same submission at once.
    item = Item.objects.select_for_update().select_related("force").get(pk=item.pk)
    bound = getattr(item, name)
    if not can_proceed(bound) or not has_transition_perm(bound, user):
        raise NotAllowed(workflow.refusal_reason(item, user, name))
    comment = clean_text(comment, what=info.comment_label.lower(), required=info.comment_required)
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
    # The force's submission goes to its inspectors; an inspector's decision to the force.
    event = (
        NotificationKind.SUBMITTED
        if name == "submit_for_review"
        else NotificationKind.REVIEW_DECISION
    )
    notification_events.plan_item_event(kind=event, item=item, actor=user)
    return item


@transaction.atomic
def item_submit_for_review(*, item: Item, user, comment: str = "") -> Item:
    """The force lead asks for closure; the evidence attached so far is frozen."""
    return _transition(item=item, user=user, name="submit_for_review", comment=comment)


@transaction.atomic
def item_complete(*, item: Item, user, comment: str) -> Item:
    """An inspector authorises closure (comment required); the item is then locked."""
    return _transition(item=item, user=user, name="complete", comment=comment)


@transaction.atomic
def item_send_back(*, item: Item, user, comment: str) -> Item:
    """An inspector finds the submission not yet enough and says what is still needed."""
    return _transition(item=item, user=user, name="send_back", comment=comment)


@transaction.atomic
def item_stop_tracking(
    *, item: Item, user, comment: str, superseded_by: Item | None = None
) -> Item:
    """An inspector stops tracking, with a reason and optionally the superseding item."""
    return _transition(
        item=item, user=user, name="stop_tracking", comment=comment, superseded_by=superseded_by
    )


@transaction.atomic
def item_reopen(*, item: Item, user, comment: str) -> Item:
    """An inspector reopens a closed item, with a reason."""
    return _transition(item=item, user=user, name="reopen", comment=comment)


ITEM_TRANSITION_SERVICES = {
    "submit_for_review": item_submit_for_review,
    "complete": item_complete,
    "send_back": item_send_back,
    "stop_tracking": item_stop_tracking,
    "reopen": item_reopen,
}

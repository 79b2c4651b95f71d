"""The status workflow: one service for every transition, checked, recorded and notified.

What differs between transitions (comment rule, fields set, evidence frozen, e-mail) is
declared with the transition on `Item`; this module only applies it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from notifications import events as notification_events
from notifications.models import Kind as NotificationKind
from recommendations import workflow
from recommendations.exceptions import InvalidInput, NotAllowed, StaleDecision
from recommendations.models import Evidence, Item, Status, TimelineKind
from recommendations.selectors import item_of_force_by_reference
from recommendations.services.common import clean_text, timeline_record


def item_version(item: Item) -> str:
    """What a page that offers a decision saw: the status and when it last changed. A
    decision made on an older version is refused, so two reviewers (or two tabs) cannot
    both decide the same submission."""
    return f"{item.status}@{item.status_changed_at.isoformat()}"


def stale_message(item: Item) -> str:
    """What changed, for someone who decided on an older version of the item."""
    entry = item.timeline.filter(kind=TimelineKind.STATUS_CHANGED).order_by("-pk").first()
    now = Status(item.status).label.lower()
    if entry is None:
        return f"This item changed since you opened the page: it is now {now}. Check it again."
    when = timezone.localtime(entry.occurred_at)
    return (
        f"This item changed since you opened the page: {entry.actor_name} made it {now} "
        f"on {when.day} {when:%B %Y at %H:%M}. Check what changed before you decide."
    )


@transaction.atomic
def item_transition(
    *,
    item: Item,
    user,
    transition: str,
    comment: str = "",
    seen_version: str | None = None,
    superseded_by: Item | str | None = None,
) -> Item:
    """Move an item through one declared transition of the status machine.

    The user must hold the transition's permission and the item be in one of its sources;
    the comment is required where the transition says so. `seen_version` (from the page the
    decision was made on) must match the item's current version. The timeline records who,
    when, the change and the comment; the people concerned are e-mailed after commit.
    """
    info = workflow.TRANSITIONS.get(transition)
    if info is None:
        raise InvalidInput("Choose what to do with this item.")
    # Lock the row so two reviewers cannot decide the same submission at once.
    item = Item.objects.select_for_update().select_related("force").get(pk=item.pk)
    if seen_version is not None and seen_version != item_version(item):
        raise StaleDecision(stale_message(item))
    bound = getattr(item, transition)
    if not can_proceed(bound) or not has_transition_perm(bound, user):
        raise NotAllowed(workflow.refusal_reason(item, user, transition))
    comment = clean_text(comment, what="", required=False)
    if info.comment_required and not comment:
        raise InvalidInput(info.comment_error)
    extra = {}
    if transition == "stop_tracking":
        extra["superseded_by"] = _successor(item, superseded_by)

    status_from = item.status
    now = timezone.now()
    bound(at=now, **extra)
    item.status_changed_at = now
    item.save(
        update_fields=[
            "status",
            "status_changed_at",
            "submitted_at",
            "returned_at",
            "superseded_by",
            "updated_at",
        ]
    )
    if info.freezes_evidence:
        Evidence.objects.filter(item=item, submitted_at__isnull=True).update(submitted_at=now)
    timeline_record(
        item=item,
        kind=TimelineKind.STATUS_CHANGED,
        actor=user,
        occurred_at=now,
        status_from=status_from,
        status_to=item.status,
        comment=comment,
        transition=transition,
    )
    # The force's submission goes to its inspectors; an inspector's decision to the force.
    event = (
        NotificationKind.SUBMITTED
        if transition == "submit_for_review"
        else NotificationKind.REVIEW_DECISION
    )
    notification_events.plan_item_event(kind=event, item=item, actor=user)
    return item


def _successor(item: Item, superseded_by: Item | str | None) -> Item | None:
    """The item that supersedes `item`: given, or named by its reference (see
    `item_of_force_by_reference`); it must be another item of the same force, which anyone
    who may decide on `item` can see."""
    if isinstance(superseded_by, str):
        if not superseded_by.strip():
            return None
        superseded_by = item_of_force_by_reference(item.force_id, superseded_by)
    elif superseded_by is None:
        return None
    if (
        superseded_by is None
        or superseded_by.pk == item.pk
        or superseded_by.force_id != item.force_id
    ):
        raise InvalidInput(
            f"Enter the reference of another item of {item.force}", field="superseded_by"
        )
    return superseded_by

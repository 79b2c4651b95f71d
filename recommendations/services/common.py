"""Helpers shared by the use cases: permission, input clean-up, the timeline."""

from __future__ import annotations

import rules

from accounts.models import Role
from recommendations.exceptions import InvalidInput, NotAllowed
from recommendations.models import (
    CauseOfConcern,
    Item,
    TimelineEntry,
)


def require_permission(perm: str, user, obj, message: str) -> None:
    if not rules.has_perm(perm, user, obj):
        raise NotAllowed(message)


def clean_text(value: str, *, what: str, required: bool = True, field: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"Enter {what}.", field=field)
    return value


def timeline_record(
    *, item: Item | None = None, cause_of_concern: CauseOfConcern | None = None, **fields
) -> TimelineEntry:
    """Append one entry to the history of an item or a cause of concern."""
    return TimelineEntry.objects.create(item=item, cause_of_concern=cause_of_concern, **fields)


def check_owner(owner, item: Item) -> None:
    """Owners are the force's improvement leads and action owners; sponsors are read-only."""
    if owner is None:
        return
    if owner.force_id != item.force_id:
        raise InvalidInput("The owner must be a member of the same force.")
    if owner.role not in (Role.FORCE_LEAD, Role.ACTION_OWNER) or not owner.is_active:
        raise InvalidInput("The owner must be an active improvement lead or action owner.")


def force_acted(item: Item) -> None:
    """The force has acted on an item an inspector sent back: it is no longer shown as
    returned to the force."""
    # Asked of the database, not the caller's copy, which may predate the send-back.
    Item.objects.filter(pk=item.pk, returned_at__isnull=False).update(returned_at=None)
    item.returned_at = None

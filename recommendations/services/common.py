"""Helpers shared by the use cases: permission, input clean-up, the timeline."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

import rules

from accounts.models import Role, User
from recommendations.exceptions import InvalidInput, NotAllowed
from recommendations.models import (
    CauseOfConcern,
    Item,
    Status,
    TimelineEntry,
)

Lockable = TypeVar("Lockable", Item, CauseOfConcern)
_LOCKED = {
    Status.COMPLETE: "This item is complete",
    Status.NO_FURTHER_ACTION_NEEDED: "This item needs no further action",
}


def require_permission(perm: str, user: User, obj: object, message: str) -> None:
    if not rules.has_perm(perm, user, obj):
        raise NotAllowed(message)


def require_open(obj: Lockable) -> Lockable:
    """Closed items and causes of concern are locked: every write service calls this.

    Returns the object as it is now, re-read under a row lock, so a change racing a closure
    either sees the closure and is refused, or finishes before it; a service that saves the
    object saves this copy. (Not `refresh_from_db`: django-fsm lifts the status field's
    protection for that on the class, which is not safe between threads.)
    """
    current = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
    if current.is_open:
        return current
    if isinstance(current, CauseOfConcern):
        raise NotAllowed("This cause of concern is closed, so it cannot be changed.")
    raise NotAllowed(
        f"{_LOCKED[current.status]}, so it is locked: it cannot be changed unless an inspector "
        "reopens it."
    )


# A date outside this range is a typing mistake (0001-01-01, 9999-12-31), never a deadline:
# the sweep would plan an escalation thousands of years away. Forms and the API share it.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def check_date(value: date | None, *, what: str, field: str | None = None) -> None:
    """Refuse a date outside the sensible range, whoever sent it (a form, the API, a task)."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise InvalidInput(
            f"{what} must be between 1 January 2000 and 31 December 2100", field=field
        )


def clean_text(value: str, *, what: str, required: bool = True, field: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"Enter {what}.", field=field)
    return value


def timeline_record(
    *, item: Item | None = None, cause_of_concern: CauseOfConcern | None = None, **fields: object
) -> TimelineEntry:
    """Append one entry to the history of an item or a cause of concern."""
    return TimelineEntry.objects.create(item=item, cause_of_concern=cause_of_concern, **fields)


def check_owner(owner: User | None, item: Item) -> None:
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

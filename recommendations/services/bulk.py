"""Bulk decisions: one change applied to many items, each item on its own.

Each item is checked, changed, recorded in its own timeline and notified exactly as if it had
been changed on its own page; an item that cannot take the change is named in the result with
the reason and left untouched, and the rest go through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from recommendations.models import Item
from recommendations.rules import scope_to_user
from recommendations.services.findings import item_assign_owner
from recommendations.services.transitions import item_transition
from tracker.errors import InvalidInput, ServiceError

if TYPE_CHECKING:
    from accounts.models import User

# Enough for a quarter's submissions across an inspector's forces, small enough for one request.
BULK_LIMIT = 200


@dataclass
class BulkResult:
    done: list[Item] = field(default_factory=list)
    refused: list[tuple[Item, str]] = field(default_factory=list)
    missing: int = 0  # ids the user may not see (or that do not exist): never named


def _items(user: User, item_ids: Iterable[int | str]) -> tuple[list[Item], int]:
    ids = list(dict.fromkeys(int(pk) for pk in item_ids))
    if not ids:
        raise InvalidInput("Select at least one item.")
    if len(ids) > BULK_LIMIT:
        raise InvalidInput(f"Select at most {BULK_LIMIT} items at once.")
    found = list(
        scope_to_user(Item.objects.all(), user)
        .filter(pk__in=ids)
        .select_related("force", "inspection")
        .order_by("inspection_id", "position", "pk")
    )
    return found, len(ids) - len(found)


def _each(items: list[Item], change: Callable[[Item], object]) -> BulkResult:
    result = BulkResult()
    for item in items:
        try:
            # A savepoint per item: a refusal undoes that item's change only.
            with transaction.atomic():
                change(item)
        except ServiceError as refused:
            result.refused.append((item, refused.message))
        else:
            result.done.append(item)
    return result


def items_bulk_transition(
    *, item_ids: Iterable[int | str], user: User, transition: str, comment: str = ""
) -> BulkResult:
    """Submit, complete or send back many items with one comment (up to BULK_LIMIT)."""
    items, missing = _items(user, item_ids)
    result = _each(
        items,
        lambda item: item_transition(item=item, user=user, transition=transition, comment=comment),
    )
    result.missing = missing
    return result


def items_bulk_assign_owner(
    *, item_ids: Iterable[int | str], user: User, owner: User | None
) -> BulkResult:
    """Name one owner for many items of the user's force (up to BULK_LIMIT)."""
    items, missing = _items(user, item_ids)
    result = _each(items, lambda item: item_assign_owner(item=item, user=user, owner=owner))
    result.missing = missing
    return result

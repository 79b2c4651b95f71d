"""Who is told about items: owners, force leads, executive sponsors, inspectors.

Nobody is ever told about an item they may not see. The sweep's audiences join each item
only to people of its own force (or the inspectors assigned to that force), and the sender
checks `recommendations.view_item` again for every row before it sends.
"""

from __future__ import annotations

from collections.abc import Iterable

import rules
from django.db.models import F, QuerySet

from accounts.models import Role, User
from notifications.policy import AUDIENCE_ROLES, Audience
from recommendations.models import OPEN_ACTION_STATUSES, CauseOfConcern, Item
from recommendations.rules import remember_inspected_force_ids


def _reachable(prefix: str, **extra) -> dict:
    """Filters on the user at `prefix`: active, with an e-mail address, plus `extra`."""
    conditions = {"is_active": True, "email__gt": "", **extra}
    return {f"{prefix}__{name}": value for name, value in conditions.items()}


def audience_querysets(items: QuerySet[Item], audience: str) -> list[QuerySet[Item]]:
    """The (item, recipient) pairs of an audience for the given items, as querysets of items
    annotated with `recipient`. Each filter() call holds all conditions on one joined user,
    so the annotation refers to that same person."""
    if audience == Audience.OWNERS:
        return [
            items.filter(**_reachable("owner", force=F("force"))).annotate(recipient=F("owner_id")),
            items.filter(
                actions__status__in=OPEN_ACTION_STATUSES,
                **_reachable("actions__owner", force=F("force")),
            ).annotate(recipient=F("actions__owner_id")),
        ]
    if audience in (Audience.FORCE_LEADS, Audience.EXECUTIVE_SPONSORS):
        return [
            items.filter(**_reachable("force__members", role=AUDIENCE_ROLES[audience])).annotate(
                recipient=F("force__members__id")
            )
        ]
    if audience == Audience.INSPECTORS:
        return [
            items.filter(**_reachable("force__inspectors", role=Role.INSPECTOR)).annotate(
                recipient=F("force__inspectors__id")
            )
        ]
    raise ValueError(f"Unknown audience {audience!r}")


def may_see(user: User, obj: Item | CauseOfConcern) -> bool:
    """The single visibility check: the same permission the item page uses (an inspector's
    prefetched forces are used, so checking many inspectors costs no query each)."""
    return rules.has_perm("recommendations.view_item", user, obj)


def remember_inspected_forces(
    users: Iterable[User], force_ids_by_user: dict[int, set[int]]
) -> None:
    """Give each inspector the forces they inspect, loaded for a whole batch at once."""
    for user in users:
        remember_inspected_force_ids(user, force_ids_by_user.get(user.pk, ()))

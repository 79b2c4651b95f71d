"""What a calendar feed lists: the due dates of open items and actions the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from recommendations.models import (
    OPEN_ACTION_STATUSES,
    OPEN_STATUSES,
    Action,
    Force,
    Item,
    TimelineEntry,
    TimelineKind,
)
from recommendations.rules import scope_to_user, visible_force_ids

if TYPE_CHECKING:
    from accounts.models import User

SCOPES = {
    "mine": "Items and actions I own",
    "force": "My force",
    "forces": "All my forces",
}
DEFAULT_SCOPE = "forces"
_OPEN = [s.value for s in OPEN_STATUSES]


class UnknownScope(ValueError):
    """The feed was asked for a scope or force it does not know (or the user may not see)."""


@dataclass(frozen=True)
class FeedSelection:
    items: list[Item]
    actions: list[Action]


def _force_filter(user: User, scope: str, force_slug: str) -> Force | None:
    """The one force a "force" feed lists: the named one, or the user's own."""
    if scope != "force":
        return None
    if force_slug:
        force = scope_to_user(Force.objects.all(), user, force_field="pk")
        found = force.filter(slug=force_slug).first()
        if found is None:
            raise UnknownScope(f"No force “{force_slug}” that you can see.")
        return found
    if user.force_id:
        return user.force
    raise UnknownScope("Name the force: add &force=<the force's name in its web address>.")


def _due_date_changes() -> Coalesce:
    """How many times the item's due date has moved: its events' SEQUENCE."""
    changes = (
        TimelineEntry.objects.filter(item_id=OuterRef("pk"), kind=TimelineKind.DUE_DATE_CHANGED)
        .order_by()
        .values("item_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(changes, output_field=IntegerField()), Value(0))


def feed_selection(
    user: User, *, scope: str = DEFAULT_SCOPE, force_slug: str = "", today: date
) -> FeedSelection:
    """Open items with a due date, and unfinished actions with a target date, that the user may
    see: their own ("mine"), one force's ("force"), or all their forces' ("forces").

    Bounded: due dates older than TRACKER_CALENDAR_PAST_DAYS are left out, and at most
    TRACKER_CALENDAR_MAX_EVENTS events are listed, the earliest first.
    """
    if scope not in SCOPES:
        raise UnknownScope(f"“{scope}” is not a feed scope; use mine, force or forces.")
    force = _force_filter(user, scope, force_slug)
    cap = settings.TRACKER_CALENDAR_MAX_EVENTS
    since = today - timedelta(days=settings.TRACKER_CALENDAR_PAST_DAYS)
    if visible_force_ids(user) == frozenset():
        return FeedSelection(items=[], actions=[])

    items: QuerySet[Item] = scope_to_user(Item.objects.all(), user).filter(
        status__in=_OPEN, due_on__gte=since
    )
    actions: QuerySet[Action] = scope_to_user(
        Action.objects.all(), user, force_field="item__force"
    ).filter(item__status__in=_OPEN, target_on__gte=since, status__in=OPEN_ACTION_STATUSES)
    if scope == "mine":
        items = items.filter(owner=user)
        actions = actions.filter(owner=user)
    elif force is not None:
        items = items.filter(force=force)
        actions = actions.filter(item__force=force)

    item_rows = list(
        items.select_related("force", "inspection")
        .annotate(due_date_changes=_due_date_changes())
        .order_by("due_on", "pk")[:cap]
    )
    action_rows = list(
        actions.select_related("item", "item__force", "item__inspection").order_by(
            "target_on", "pk"
        )[:cap]
    )
    # One cap for both: the earliest due dates win.
    dated = sorted(
        [(i.due_on, 0, i.pk, i) for i in item_rows]
        + [(a.target_on, 1, a.pk, a) for a in action_rows],
        key=lambda entry: entry[:3],
    )[:cap]
    return FeedSelection(
        items=[entry[3] for entry in dated if isinstance(entry[3], Item)],
        actions=[entry[3] for entry in dated if isinstance(entry[3], Action)],
    )

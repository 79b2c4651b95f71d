"""Reads about people: who works for a force, which forces an inspector oversees, who is told
about an item; and a user's own settings.

Only active accounts are ever returned as people to choose or to tell: a deactivated account
keeps its history but drops out of every list at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from accounts.models import FORCE_ROLES, Role, SavedView, User
from recommendations.models import OPEN_ACTION_STATUSES, Force, Item


def saved_views_for(user: User, *, path: str | None = None) -> QuerySet[SavedView]:
    """The user's saved views, by name; only those of one list when `path` is given."""
    views = SavedView.objects.filter(user_id=user.pk).order_by("name", "pk")
    return views.filter(path=path) if path is not None else views


def force_members(force_id: int) -> QuerySet[User]:
    """People who can own items and actions: the force's active leads and action owners
    (sponsors are read-only)."""
    return User.objects.filter(
        force_id=force_id, is_active=True, role__in=[Role.FORCE_LEAD, Role.ACTION_OWNER]
    ).order_by("first_name", "username")


def inspected_forces(user: User) -> QuerySet[Force]:
    """The forces an inspector is assigned to, by name (none for anyone else)."""
    return Force.objects.filter(inspectors=user).order_by("name")


def people_for(
    *, force_id: int, roles: Iterable[str] = (), owners_of: Item | None = None
) -> QuerySet[User]:
    """The people to tell about something of one force, in one query: those holding one of
    `roles` for it (force staff of that force, inspectors assigned to it) and, with
    `owners_of`, the item's owner and the owners of its open actions. Active accounts with an
    e-mail address only; inspectors come with their forces prefetched."""
    roles = set(roles)
    who = Q(pk__in=[])
    if owners_of is not None:
        who |= Q(pk=owners_of.owner_id) | Q(
            actions__item=owners_of, actions__status__in=OPEN_ACTION_STATUSES
        )
    force_roles = [role for role in FORCE_ROLES if role in roles]
    if force_roles:
        who |= Q(role__in=force_roles, force_id=force_id)
    if Role.INSPECTOR in roles:
        who |= Q(role=Role.INSPECTOR, inspected_forces=force_id)
    return (
        User.objects.filter(who, is_active=True, email__gt="")
        .distinct()
        .prefetch_related("inspected_forces")
        .order_by("pk")
    )

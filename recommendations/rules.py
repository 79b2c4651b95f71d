"""Who may see and do what: the one place that decides.

Force staff see their own force only; inspectors see the forces assigned to them;
administrators see everything. Object checks go through the predicates below, and every
query for a user's data is scoped with `scope_to_user`, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import rules
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Q, QuerySet

from accounts.models import FORCE_ROLES, Role, User

if TYPE_CHECKING:
    from recommendations.models import Action, Inspection, Item

M = TypeVar("M", bound=Model)


def force_id_of(obj: Any) -> int | None:
    """The force an object belongs to: a force itself, or anything with a `force_id`."""
    from recommendations.models import Force

    if isinstance(obj, Force):
        return obj.pk
    if hasattr(obj, "force_id"):
        return obj.force_id
    # Actions, evidence and updates belong to the force of their item.
    item = getattr(obj, "item", None)
    return getattr(item, "force_id", None)


def _active(user: User | AnonymousUser) -> bool:
    """Deactivated accounts lose every permission at once, as they lose the scoped lists."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _holds_administrator_role(user: User) -> bool:
    """The one definition of an administrator: the role, or a Django superuser."""
    return user.role == Role.ADMINISTRATOR or user.is_superuser


# Where a user object keeps the forces it inspects, for the length of a request or a batch.
_INSPECTED = "_inspected_force_ids"


def inspected_force_ids(user: User | AnonymousUser) -> frozenset[int]:
    """Cached on the user object for the request, so a page checks many items in one query;
    forces prefetched with the user (or given by `remember_inspected_force_ids`) cost none."""
    if not isinstance(user, User) or user.role != Role.INSPECTOR:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, _INSPECTED, None)
    if cached is None:
        prefetched = getattr(user, "_prefetched_objects_cache", {}).get("inspected_forces")
        if prefetched is not None:
            cached = frozenset(force.pk for force in prefetched)
        else:
            cached = frozenset(user.inspected_forces.values_list("pk", flat=True))
        setattr(user, _INSPECTED, cached)
    return cached


def remember_inspected_force_ids(user: User, force_ids: Iterable[int]) -> None:
    """Give an inspector the forces they inspect, loaded by the caller for many users at once,
    so checking each of them costs no query (anyone else inspects no force whatever is given)."""
    if user.role == Role.INSPECTOR:
        setattr(user, _INSPECTED, frozenset(force_ids))


def visible_force_ids(user: User | AnonymousUser) -> frozenset[int] | None:
    """The forces whose data the user may see; None means all of them (administrators)."""
    if not isinstance(user, User) or not user.is_active:
        return frozenset()
    if _holds_administrator_role(user):
        return None
    if user.role == Role.INSPECTOR:
        return inspected_force_ids(user)
    return frozenset([user.force_id]) if user.force_id else frozenset()


def scope_to_user(
    queryset: QuerySet[M], user: User | AnonymousUser, *, force_field: str = "force"
) -> QuerySet[M]:
    """Restrict any queryset to what the user may see, by the model's path to its force."""
    force_ids = visible_force_ids(user)
    if force_ids is None:
        return queryset
    return queryset.filter(Q(**{f"{force_field}__in": force_ids}))


# --- Predicates ---------------------------------------------------------------------------


@rules.predicate
def is_administrator(user: User) -> bool:
    return _active(user) and _holds_administrator_role(user)


def _holds(role: Role) -> rules.Predicate:
    """An active user with this one role."""
    return rules.predicate(
        lambda user: _active(user) and user.role == role, name=f"is_{role.name.lower()}"
    )


is_inspector = _holds(Role.INSPECTOR)
is_force_lead = _holds(Role.FORCE_LEAD)
is_action_owner = _holds(Role.ACTION_OWNER)
is_executive_sponsor = _holds(Role.EXECUTIVE_SPONSOR)


@rules.predicate
def awaits_a_role(user: User) -> bool:
    """An account made at its first single sign-on, before an administrator gives it a role:
    it sees and may do nothing."""
    return _active(user) and user.role == Role.NONE and not _holds_administrator_role(user)


@rules.predicate
def uses_admin_site(user: User) -> bool:
    """Django's admin site lets in active staff accounts only (its own rule, asked here so the
    menu offers it to just those)."""
    return _active(user) and user.is_staff


@rules.predicate
def is_force_staff(user: User) -> bool:
    return _active(user) and user.role in FORCE_ROLES and user.force_id is not None


@rules.predicate
def works_for_objects_force(user: User, obj: object) -> bool:
    return bool(
        _active(user)
        and user.role in FORCE_ROLES
        and user.force_id is not None
        and user.force_id == force_id_of(obj)
    )


@rules.predicate
def inspects_objects_force(user: User, obj: object) -> bool:
    return _active(user) and force_id_of(obj) in inspected_force_ids(user)


@rules.predicate
def owns_item(user: User, item: Item | None) -> bool:
    return item is not None and item.owner_id == user.pk


@rules.predicate
def owns_action(user: User, action: Action | None) -> bool:
    return action is not None and action.owner_id == user.pk


@rules.predicate
def inspects_a_force_of_national_inspection(user: User, inspection: Inspection | None) -> bool:
    """A national inspection (no force) is the business of the inspectors of any force it
    holds items for."""
    from recommendations.models import Item

    forces = inspected_force_ids(user)
    return bool(
        _active(user)
        and inspection is not None
        and getattr(inspection, "force_id", 0) is None
        and forces
        and Item.objects.filter(inspection=inspection, force_id__in=forces).exists()
    )


can_see = is_administrator | works_for_objects_force | inspects_objects_force
# Who may own an item or an action (sponsors are read-only).
may_own_work = is_force_lead | is_action_owner
inspector_of_force = is_inspector & inspects_objects_force
lead_of_force = is_force_lead & works_for_objects_force

# --- Permissions (objects: an item, a cause of concern, an inspection, a force, an action) -

rules.add_perm("recommendations.view_force", can_see)
rules.add_perm("recommendations.view_inspection", can_see)
rules.add_perm("recommendations.view_item", can_see)
# Actions, progress updates and evidence: the force lead, or an action owner of that force.
rules.add_perm(
    "recommendations.work_on_item",
    lead_of_force | (is_action_owner & works_for_objects_force),
)
# A sponsor stays read-only even if named on an action: only the action-owner role edits.
rules.add_perm(
    "recommendations.edit_action",
    lead_of_force | (is_action_owner & owns_action & works_for_objects_force),
)
rules.add_perm("recommendations.assign_item", lead_of_force)
rules.add_perm("recommendations.submit_item", lead_of_force)
# A force cannot move its deadline alone (DAO 02/20): its lead asks, an inspector decides.
# An inspector may still change a date directly, with a reason.
rules.add_perm("recommendations.change_due_date", inspector_of_force)
rules.add_perm("recommendations.request_extension", lead_of_force)
rules.add_perm("recommendations.decide_extension", inspector_of_force)
# A force cannot backdate its own deadline; an inspector may (with the reason every change needs).
rules.add_perm("recommendations.set_past_due_date", inspector_of_force)
rules.add_perm("recommendations.review_item", inspector_of_force)
rules.add_perm("recommendations.close_cause_of_concern", inspector_of_force)
rules.add_perm("recommendations.reopen_cause_of_concern", inspector_of_force)
rules.add_perm("recommendations.record_monitoring_stage", inspector_of_force)
# The public register: an inspector publishes (or withdraws) an inspection's findings, and
# chooses which timeline comments the public may read.
rules.add_perm(
    "recommendations.publish_inspection",
    inspector_of_force | (is_inspector & inspects_a_force_of_national_inspection),
)
rules.add_perm("recommendations.publish_comment", inspector_of_force)
rules.add_perm("recommendations.import_publication", is_inspector)
rules.add_perm("recommendations.view_review_queue", is_inspector)
# Many items at once: who may ask at all (each item is then checked as on its own page).
rules.add_perm("recommendations.manage_in_bulk", is_force_lead)
rules.add_perm("recommendations.decide_in_bulk", is_inspector)
# My work: the page of what is a force user's own (inspectors have the review queue).
rules.add_perm("recommendations.view_my_work", is_force_staff)
# Where each user starts and what their menu offers: the overview of all their forces
# (inspectors, administrators); quarterly packs (force staff and inspectors); the admin site.
rules.add_perm("recommendations.view_force_overview", is_inspector | is_administrator)
rules.add_perm("reports.view_packs", is_force_staff | is_inspector)
rules.add_perm("admin.use_site", uses_admin_site)
# The notification ledger (its status page, "send again", the admin): administrators only.
rules.add_perm("notifications.manage_ledger", is_administrator)
# The quarterly pack of a force: whoever may see the force (its staff, its inspectors,
# administrators).
rules.add_perm("reports.view_pack", can_see)

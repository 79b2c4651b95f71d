"""Who may see and do what: the one place that decides.

Force staff see their own force only; inspectors see the forces assigned to them;
administrators see everything. Object checks go through the predicates below, and every
query for a user's data is scoped with `scope_to_user`, so the two cannot disagree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from accounts.models import FORCE_ROLES, Role, User

if TYPE_CHECKING:
    from typing import TypeGuard

    from typing_extensions import TypeIs

    from recommendations.models import Action, Inspection, Item

# Whom a permission can be asked about: a signed-in user, or the anonymous one.
AnyUser = User | AnonymousUser


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


def _signed_in(user: AnyUser) -> TypeIs[User]:
    return bool(getattr(user, "is_authenticated", False))


def _active(user: AnyUser) -> TypeGuard[User]:
    """Deactivated accounts lose every permission at once, as they lose the scoped lists."""
    return bool(_signed_in(user) and user.is_active)


def inspected_force_ids(user: AnyUser) -> frozenset[int]:
    """Cached on the user object for the request, so a page checks many items in one query."""
    if not _signed_in(user) or user.role != Role.INSPECTOR:
        return frozenset()
    cached = getattr(user, "_inspected_force_ids", None)
    if cached is None:
        cached = frozenset(user.inspected_forces.values_list("pk", flat=True))
        user._inspected_force_ids = cached
    return cached


def visible_force_ids(user: AnyUser) -> frozenset[int] | None:
    """The forces whose data the user may see; None means all of them (administrators)."""
    if not _signed_in(user) or not user.is_active:
        return frozenset()
    if user.role == Role.ADMINISTRATOR or user.is_superuser:
        return None
    if user.role == Role.INSPECTOR:
        return inspected_force_ids(user)
    return frozenset([user.force_id]) if user.force_id else frozenset()


def scope_to_user(queryset: QuerySet, user: AnyUser, *, force_field: str = "force") -> QuerySet:
    """Restrict any queryset to what the user may see, by the model's path to its force."""
    force_ids = visible_force_ids(user)
    if force_ids is None:
        return queryset
    return queryset.filter(Q(**{f"{force_field}__in": force_ids}))


# --- Predicates ---------------------------------------------------------------------------


@rules.predicate
def is_administrator(user: AnyUser) -> bool:
    return _active(user) and (user.role == Role.ADMINISTRATOR or user.is_superuser)


@rules.predicate
def is_inspector(user: AnyUser) -> bool:
    return _active(user) and user.role == Role.INSPECTOR


@rules.predicate
def is_force_lead(user: AnyUser) -> bool:
    return _active(user) and user.role == Role.FORCE_LEAD


@rules.predicate
def is_action_owner(user: AnyUser) -> bool:
    return _active(user) and user.role == Role.ACTION_OWNER


@rules.predicate
def is_force_staff(user: AnyUser) -> bool:
    return _active(user) and user.role in FORCE_ROLES and user.force_id is not None


@rules.predicate
def works_for_objects_force(user: AnyUser, obj: object) -> bool:
    return bool(
        _active(user)
        and user.role in (Role.FORCE_LEAD, Role.ACTION_OWNER, Role.EXECUTIVE_SPONSOR)
        and user.force_id is not None
        and user.force_id == force_id_of(obj)
    )


@rules.predicate
def inspects_objects_force(user: AnyUser, obj: object) -> bool:
    return _active(user) and force_id_of(obj) in inspected_force_ids(user)


@rules.predicate
def owns_item(user: AnyUser, item: Item | None) -> bool:
    return item is not None and item.owner_id == user.pk


@rules.predicate
def owns_action(user: AnyUser, action: Action | None) -> bool:
    return action is not None and action.owner_id == user.pk


@rules.predicate
def inspects_a_force_of_national_inspection(user: AnyUser, inspection: Inspection | None) -> bool:
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
# The quarterly pack of a force: whoever may see the force (its staff, its inspectors,
# administrators).
rules.add_perm("reports.view_pack", can_see)

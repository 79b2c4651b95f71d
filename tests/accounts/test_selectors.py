"""People queries: who may be chosen as an owner, which forces an inspector imports for, and
who is told about something of a force. Deactivated accounts never appear."""

from __future__ import annotations

import pytest

from accounts.models import Role
from accounts.selectors import force_members, inspected_forces, people_for
from recommendations.models import ActionStatus
from tests import factories

pytestmark = pytest.mark.django_db


def names(users) -> list[str]:
    return sorted(user.username for user in users)


# --- force_members ------------------------------------------------------------------------------


def test_owners_to_choose_are_the_forces_active_leads_and_action_owners(
    force, lead, owner, sponsor, inspector, other_lead
):
    factories.ActionOwnerFactory(force=force, username="left", is_active=False)
    assert names(force_members(force.pk)) == ["lead", "owner"]


def test_owners_to_choose_are_listed_by_first_name(force):
    factories.ActionOwnerFactory(force=force, username="b", first_name="Zara")
    factories.ActionOwnerFactory(force=force, username="a", first_name="Adam")
    assert [user.first_name for user in force_members(force.pk)] == ["Adam", "Zara"]


# --- inspected_forces ---------------------------------------------------------------------------


def test_an_inspector_imports_for_the_forces_assigned_to_them_by_name(force, other_force):
    third = factories.ForceFactory(name="Avonshire Police")
    inspector = factories.InspectorFactory(forces=[force, third])
    assert [f.name for f in inspected_forces(inspector)] == ["Avonshire Police", "Cleveland Police"]


def test_force_staff_and_administrators_inspect_no_force(lead, administrator):
    assert list(inspected_forces(lead)) == []
    assert list(inspected_forces(administrator)) == []


# --- people_for ---------------------------------------------------------------------------------


def test_people_of_a_role_are_those_of_the_force(
    force, lead, owner, sponsor, inspector, other_lead, other_inspector
):
    assert names(people_for(force_id=force.pk, roles=[Role.FORCE_LEAD])) == ["lead"]
    assert names(people_for(force_id=force.pk, roles=[Role.EXECUTIVE_SPONSOR])) == ["sponsor"]
    both = [Role.FORCE_LEAD, Role.EXECUTIVE_SPONSOR]
    assert names(people_for(force_id=force.pk, roles=both)) == ["lead", "sponsor"]


def test_inspectors_are_those_assigned_to_the_force(force, other_force, inspector, other_inspector):
    both = factories.InspectorFactory(username="both", forces=[force, other_force])
    assert names(people_for(force_id=force.pk, roles=[Role.INSPECTOR])) == ["both", "inspector"]
    assert both in people_for(force_id=other_force.pk, roles=[Role.INSPECTOR])


def test_owners_are_the_items_owner_and_the_owners_of_its_open_actions(force, lead, item):
    owner = factories.ActionOwnerFactory(force=force, username="item-owner")
    item.owner = owner
    item.save()
    working = factories.ActionOwnerFactory(force=force, username="working")
    finished = factories.ActionOwnerFactory(force=force, username="finished")
    factories.ActionFactory(item=item, owner=working, status=ActionStatus.IN_PROGRESS)
    factories.ActionFactory(item=item, owner=finished, status=ActionStatus.DONE)
    other_item = factories.ItemFactory(inspection__force=force)
    factories.ActionFactory(item=other_item, owner=lead)
    assert names(people_for(force_id=force.pk, owners_of=item)) == ["item-owner", "working"]


def test_each_person_once_and_only_active_people_with_an_address(force, lead, item):
    item.owner = lead
    item.save()
    factories.ActionFactory(item=item, owner=lead)
    factories.ForceLeadFactory(force=force, username="left", is_active=False)
    factories.ForceLeadFactory(force=force, username="no-address", email="")
    assert names(people_for(force_id=force.pk, roles=[Role.FORCE_LEAD], owners_of=item)) == ["lead"]


def test_nobody_without_roles_or_an_item(force, lead, inspector):
    assert list(people_for(force_id=force.pk)) == []

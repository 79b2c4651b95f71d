"""Separation of forces: nobody reads or changes another force's data.

Design: force staff see their own force only; inspectors see the forces assigned to them;
administrators see everything; the executive sponsor is read-only.
"""

from datetime import UTC, date, datetime

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from recommendations import selectors, services
from recommendations.models import (
    Action,
    ActionStatus,
    CauseOfConcern,
    Evidence,
    ExtensionRequest,
    Item,
    MonitoringStageChange,
    ProgressUpdate,
    Status,
    TimelineEntry,
)
from recommendations.rules import scope_to_user
from tests import factories
from tracker.errors import NotAllowed


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def third_force():
    return factories.ForceFactory(name="Durham Constabulary")


@pytest.fixture
def items(force, other_force, third_force):
    """Two items of the force, one of each other force."""
    return {
        "force": {factories.ItemFactory(inspection__force=force).pk for _ in range(2)},
        "other_force": {factories.ItemFactory(inspection__force=other_force).pk},
        "third_force": {factories.ItemFactory(inspection__force=third_force).pk},
    }


@pytest.fixture
def make_user(request, force, third_force):
    def make(role: str):
        if role == "anonymous":
            return AnonymousUser()
        if role == "superuser":
            return factories.AdministratorFactory(username="root", is_superuser=True)
        if role == "two_force_inspector":
            return factories.InspectorFactory(username="two", forces=[force, third_force])
        if role.startswith("inactive_"):
            user = request.getfixturevalue(role.removeprefix("inactive_"))
            user.is_active = False
            user.save(update_fields=["is_active"])
            return user
        return request.getfixturevalue(role)

    return make


VISIBLE = {
    "lead": {"force"},
    "owner": {"force"},
    "sponsor": {"force"},
    "inspector": {"force"},
    "other_inspector": {"other_force"},
    "other_lead": {"other_force"},
    "two_force_inspector": {"force", "third_force"},
    "administrator": {"force", "other_force", "third_force"},
    "superuser": {"force", "other_force", "third_force"},
    "anonymous": set(),
    "inactive_lead": set(),
    "inactive_inspector": set(),
    "inactive_administrator": set(),
}
INACTIVE = [role for role in VISIBLE if role.startswith("inactive_")]


def _visible_pks(items, role):
    return set().union(*(items[where] for where in VISIBLE[role]))


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(VISIBLE))
def test_items_for_user_returns_only_what_the_role_may_see(role, items, make_user):
    user = make_user(role)
    expected = _visible_pks(items, role)

    assert {i.pk for i in selectors.items_for_user(user)} == expected
    assert set(scope_to_user(Item.objects.all(), user).values_list("pk", flat=True)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(VISIBLE))
def test_causes_of_concern_and_actions_are_scoped_by_their_force(role, items, make_user):
    for pk in set().union(*items.values()):
        item = Item.objects.get(pk=pk)
        factories.ActionFactory(item=item)
        factories.CauseOfConcernFactory(inspection=item.inspection)
    user = make_user(role)
    expected = _visible_pks(items, role)

    actions = scope_to_user(Action.objects.all(), user, force_field="item__force")
    causes = scope_to_user(CauseOfConcern.objects.all(), user)
    assert {a.item_id for a in actions} == expected
    assert {c.inspection_id for c in causes} == {
        i.inspection_id for i in Item.objects.filter(pk__in=expected)
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in VISIBLE if r not in INACTIVE])
def test_view_item_permission_agrees_with_the_scoped_list(role, items, make_user):
    user = make_user(role)
    expected = _visible_pks(items, role)

    for item in Item.objects.all():
        assert rules.has_perm("recommendations.view_item", user, item) == (item.pk in expected)


@pytest.mark.django_db
@pytest.mark.parametrize("role", INACTIVE)
def test_view_item_permission_agrees_with_the_scoped_list_for_inactive_users(
    role, items, make_user
):
    user = make_user(role)

    assert not any(
        rules.has_perm("recommendations.view_item", user, item) for item in Item.objects.all()
    )


@pytest.mark.django_db
def test_inactive_lead_cannot_submit_for_review(force, make_user):
    user = make_user("inactive_lead")
    item = factories.ItemFactory(inspection__force=force, status=Status.BEING_PROGRESSED)

    with pytest.raises(NotAllowed):
        services.item_transition(transition="submit_for_review", item=item, user=user)


@pytest.mark.django_db
def test_another_forces_item_is_not_found_for_a_lead(items, other_lead):
    (own,) = items["other_force"]
    assert selectors.item_for_user(other_lead, own).pk == own
    with pytest.raises(Item.DoesNotExist):
        selectors.item_for_user(other_lead, next(iter(items["force"])))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "forces"),
    [
        ("lead", {"Cleveland Police"}),
        ("inspector", {"Cleveland Police"}),
        ("two_force_inspector", {"Cleveland Police", "Durham Constabulary"}),
        ("administrator", {"Cleveland Police", "Durham Constabulary", "Northshire Police (demo)"}),
        ("anonymous", set()),
    ],
)
def test_forces_for_user(role, forces, other_force, make_user):
    assert {f.name for f in selectors.forces_for_user(make_user(role))} == forces


# --- Writes ---------------------------------------------------------------------------------


@pytest.fixture
def world(force, owner, time_machine):
    """One object of each kind in the force, in a state where each write would be possible
    (on 1 March 2024: the new due date is ahead, the closing letter behind)."""
    time_machine.move_to(datetime(2024, 3, 1, 12, tzinfo=UTC), tick=False)
    awaiting = factories.ItemFactory(inspection__force=force)
    asked = factories.ItemFactory(inspection__force=force, status="being-progressed")
    return {
        "awaiting": awaiting,
        "extension": factories.ExtensionRequestFactory(item=asked, due_on=date(2024, 10, 31)),
        "progressing": factories.ItemFactory(inspection__force=force, status="being-progressed"),
        "complete": factories.ItemFactory(inspection__force=force, status="complete"),
        "action": factories.ActionFactory(item=awaiting, owner=owner),
        "cause": factories.CauseOfConcernFactory(inspection=awaiting.inspection),
        "force": force,
        "owner": owner,
    }


WRITES = {
    "item_change_due_date": lambda w, u: services.item_change_due_date(
        item=w["awaiting"], user=u, due_on=date(2024, 9, 30), reason="Delayed by the audit."
    ),
    "item_assign_owner": lambda w, u: services.item_assign_owner(
        item=w["awaiting"], user=u, owner=w["owner"]
    ),
    "extension_request_create": lambda w, u: services.extension_request_create(
        item=w["awaiting"], user=u, due_on=date(2024, 9, 30), reason="The audit is late."
    ),
    "extension_request_decide": lambda w, u: services.extension_request_decide(
        request=w["extension"], user=u, approve=True
    ),
    "action_create": lambda w, u: services.action_create(
        item=w["awaiting"], user=u, description="Retrain call handlers"
    ),
    "action_update": lambda w, u: services.action_update(
        action=w["action"], user=u, description="Retrain", status=ActionStatus.DONE
    ),
    "progress_update_create": lambda w, u: services.progress_update_create(
        item=w["awaiting"], user=u, text="Training half done."
    ),
    "evidence_add": lambda w, u: services.evidence_add(
        item=w["awaiting"], user=u, description="Audit", url="https://example.org/audit"
    ),
    "cause_of_concern_close": lambda w, u: services.cause_of_concern_close(
        cause_of_concern=w["cause"], user=u, closed_on=date(2024, 2, 1), letter_reference="L/1"
    ),
    "force_record_monitoring_stage": lambda w, u: services.force_record_monitoring_stage(
        force=w["force"], user=u, stage="engage", started_on=date(2024, 2, 1)
    ),
    "item_submit_for_review": lambda w, u: services.item_transition(
        transition="submit_for_review", item=w["progressing"], user=u
    ),
    "item_complete": lambda w, u: services.item_transition(
        transition="complete", item=w["awaiting"], user=u, comment="Done."
    ),
    "item_send_back": lambda w, u: services.item_transition(
        transition="send_back", item=w["awaiting"], user=u, comment="Not yet."
    ),
    "item_stop_tracking": lambda w, u: services.item_transition(
        transition="stop_tracking", item=w["awaiting"], user=u, comment="Superseded."
    ),
    "item_reopen": lambda w, u: services.item_transition(
        transition="reopen", item=w["complete"], user=u, comment="Again."
    ),
}
# Who in the force may make each write (the positive control for the refusals below).
RIGHTFUL = {
    "item_change_due_date": "inspector",
    "extension_request_create": "lead",
    "extension_request_decide": "inspector",
    "item_assign_owner": "lead",
    "action_create": "lead",
    "action_update": "lead",
    "progress_update_create": "lead",
    "evidence_add": "lead",
    "cause_of_concern_close": "inspector",
    "force_record_monitoring_stage": "inspector",
    "item_submit_for_review": "lead",
    "item_complete": "inspector",
    "item_send_back": "inspector",
    "item_stop_tracking": "inspector",
    "item_reopen": "inspector",
}


def _snapshot():
    return {
        "timeline": list(TimelineEntry.objects.values_list("pk", flat=True)),
        "actions": list(Action.objects.values("pk", "description", "status", "owner_id")),
        "updates": ProgressUpdate.objects.count(),
        "evidence": Evidence.objects.count(),
        "stages": MonitoringStageChange.objects.count(),
        "items": list(
            Item.objects.values("pk", "status", "due_on", "owner_id", "superseded_by_id")
        ),
        "causes": list(CauseOfConcern.objects.values("pk", "closed_on", "closed_by_id")),
        "extensions": list(ExtensionRequest.objects.values("pk", "state", "due_on")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["other_lead", "other_inspector", "sponsor", "anonymous"])
@pytest.mark.parametrize("write", list(WRITES))
def test_write_is_refused_to_other_forces_and_read_only_users(write, role, world, make_user):
    user = make_user(role)
    before = _snapshot()

    with pytest.raises(NotAllowed) as refused:
        WRITES[write](world, user)

    assert refused.value.message.strip()
    assert _snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "write",
    WRITES,
)
def test_write_is_allowed_to_the_rightful_user(write, world, make_user):
    user = make_user(RIGHTFUL[write])
    before = _snapshot()

    WRITES[write](world, user)

    after = _snapshot()
    assert after != before
    if write != "force_record_monitoring_stage":  # a force's stage history has no timeline
        new = set(after["timeline"]) - set(before["timeline"])
        assert [e.actor for e in TimelineEntry.objects.filter(pk__in=new)] == [user]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "write",
    [
        "item_change_due_date",
        "extension_request_create",
        "extension_request_decide",
        "item_assign_owner",
        "item_submit_for_review",
        "cause_of_concern_close",
        "force_record_monitoring_stage",
        "item_complete",
    ],
)
def test_action_owner_cannot_manage_the_item(write, world, owner):
    before = _snapshot()

    with pytest.raises(NotAllowed):
        WRITES[write](world, owner)

    assert _snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("write", ["progress_update_create", "evidence_add"])
def test_action_owner_may_add_progress_and_evidence_to_own_force_items(write, world, owner):
    result = WRITES[write](world, owner)

    assert result.item == world["awaiting"]
    assert TimelineEntry.objects.get(item=world["awaiting"]).actor == owner


@pytest.mark.django_db
def test_action_owner_may_update_an_action_assigned_to_them(world, owner):
    services.action_update(
        action=world["action"], user=owner, description="Retrain", status=ActionStatus.DONE
    )

    assert Action.objects.get(pk=world["action"].pk).status == ActionStatus.DONE


@pytest.mark.django_db
def test_action_owner_may_not_update_someone_elses_action(world, force):
    colleague = factories.ActionOwnerFactory(force=force, username="colleague")
    before = _snapshot()

    with pytest.raises(NotAllowed):
        services.action_update(
            action=world["action"], user=colleague, description="Mine now", owner=colleague
        )

    assert _snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("write", ["action_create", "progress_update_create", "evidence_add"])
def test_inspector_does_not_do_the_forces_work(write, world, inspector):
    before = _snapshot()

    with pytest.raises(NotAllowed):
        WRITES[write](world, inspector)

    assert _snapshot() == before

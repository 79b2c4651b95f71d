"""The status workflow: every role x status x transition, plus what a transition must record.

The expected matrix is built from the rules in docs/design.md ("Status workflow"), not from the
model, so a transition declared with the wrong source, target or permission shows up here.
"""

import functools
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from recommendations import services, workflow
from recommendations.models import Evidence, Item, Status, TimelineEntry, TimelineKind
from tests import factories
from tracker.errors import InvalidInput, NotAllowed

AWAITING = Status.AWAITING_REVIEW.value
PROGRESSING = Status.BEING_PROGRESSED.value
COMPLETE = Status.COMPLETE.value
NO_FURTHER_ACTION = Status.NO_FURTHER_ACTION_NEEDED.value
STATUSES = [AWAITING, PROGRESSING, COMPLETE, NO_FURTHER_ACTION]

# Who may do what, straight from the design: the force lead asks for closure, only an
# inspector assigned to the item's force decides.
RULES = {
    # From awaiting review only while new (never submitted): see the tests of new items.
    "submit_for_review": ({PROGRESSING}, AWAITING, {"lead"}),
    "complete": ({AWAITING}, COMPLETE, {"inspector"}),
    "send_back": ({AWAITING}, PROGRESSING, {"inspector"}),
    "stop_tracking": ({AWAITING, PROGRESSING}, NO_FURTHER_ACTION, {"inspector"}),
    "reopen": ({COMPLETE, NO_FURTHER_ACTION}, PROGRESSING, {"inspector"}),
}
TRANSITIONS = list(RULES)
ROLE_NEEDED = {
    name: "improvement lead" if name == "submit_for_review" else "inspector" for name in TRANSITIONS
}
COMMENT_REQUIRED = {name for name in TRANSITIONS if name != "submit_for_review"}

ROLES = [
    "lead",  # force improvement lead of the item's force
    "owner",  # action owner of the item's force
    "sponsor",  # executive sponsor of the item's force
    "inspector",  # inspector assigned to the item's force
    "unassigned_inspector",  # inspector of another force only
    "other_lead",  # force lead of another force
    "administrator",  # an administrator who is also a superuser
    "anonymous",
]
CANNOT_SEE_ITEM = {"unassigned_inspector", "other_lead", "anonymous"}


def _expected(role: str, status: str, name: str) -> str | None:
    sources, target, roles = RULES[name]
    return target if status in sources and role in roles else None


MATRIX = {
    (role, status, name): _expected(role, status, name)
    for role in ROLES
    for status in STATUSES
    for name in TRANSITIONS
}
SERVICES = {
    name: functools.partial(services.item_transition, transition=name) for name in TRANSITIONS
}


def test_matrix_has_one_cell_per_role_status_and_transition():
    assert len(MATRIX) == 8 * 4 * 5
    # lead: submit from 1 status; inspector: 1 + 1 + 2 + 2.
    assert sorted(k for k, v in MATRIX.items() if v) == sorted(
        [("lead", PROGRESSING, "submit_for_review")]
        + [("inspector", AWAITING, "complete"), ("inspector", AWAITING, "send_back")]
        + [("inspector", s, "stop_tracking") for s in (AWAITING, PROGRESSING)]
        + [("inspector", s, "reopen") for s in (COMPLETE, NO_FURTHER_ACTION)]
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The factories hash a password per user; the default hasher would dominate run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(request):
    def make(role: str):
        if role == "anonymous":
            return AnonymousUser()
        if role == "unassigned_inspector":
            return request.getfixturevalue("other_inspector")
        if role == "administrator":
            return factories.AdministratorFactory(username="superadmin", is_superuser=True)
        return request.getfixturevalue(role)

    return make


def _item_in(force, status: str) -> Item:
    return factories.ItemFactory(inspection__force=force, status=status)


def _status_in_db(item: Item) -> str:
    return Item.objects.values_list("status", flat=True).get(pk=item.pk)


def _timeline(item: Item):
    return TimelineEntry.objects.filter(item=item)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status", "name"),
    list(MATRIX),
    ids=[f"{role}-{status}-{name}" for role, status, name in MATRIX],
)
def test_transition_matrix(role, status, name, force, make_user):
    user = make_user(role)
    item = _item_in(force, status)
    target = MATRIX[role, status, name]
    comment = f"Decision on {name} by {role}."

    if target is not None:
        returned = SERVICES[name](item=item, user=user, comment=comment)

        assert returned.status == target
        assert _status_in_db(item) == target
        (entry,) = _timeline(item)
        assert entry.kind == TimelineKind.STATUS_CHANGED
        assert entry.actor == user
        assert (entry.status_from, entry.status_to) == (status, target)
        assert entry.comment == comment
    else:
        with pytest.raises(NotAllowed) as refused:
            SERVICES[name](item=item, user=user, comment=comment)

        message = refused.value.message
        assert message.strip()
        assert "_" not in message  # no code names such as "send_back" in what the user reads
        understood = [ROLE_NEEDED[name], Status(status).label.lower()]
        if role in CANNOT_SEE_ITEM:
            understood.append("access")
        assert any(words in message.lower() for words in understood), message
        assert _status_in_db(item) == status
        assert not _timeline(item).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("name", TRANSITIONS)
def test_plain_administrator_cannot_make_any_transition(name, status, force, administrator):
    item = _item_in(force, status)

    with pytest.raises(NotAllowed):
        SERVICES[name](item=item, user=administrator, comment="Closing it myself.")

    assert _status_in_db(item) == status
    assert not _timeline(item).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("role", ROLES)
def test_available_transitions_are_exactly_the_allowed_ones(role, status, force, make_user):
    user = make_user(role)
    item = _item_in(force, status)

    offered = [info.name for info in workflow.available_transitions(item, user)]

    assert offered == [name for name in TRANSITIONS if MATRIX[role, status, name]]


@pytest.mark.django_db
@pytest.mark.parametrize("comment", ["", "   ", "\n\t "])
@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("complete", AWAITING),
        ("send_back", AWAITING),
        ("stop_tracking", AWAITING),
        ("stop_tracking", PROGRESSING),
        ("reopen", COMPLETE),
        ("reopen", NO_FURTHER_ACTION),
    ],
)
def test_required_comment_missing_is_invalid_and_changes_nothing(
    name, status, comment, force, inspector
):
    item = _item_in(force, status)

    with pytest.raises(InvalidInput) as refused:
        SERVICES[name](item=item, user=inspector, comment=comment)

    assert refused.value.message.startswith("Enter ")
    assert _status_in_db(item) == status
    assert not _timeline(item).exists()


@pytest.mark.django_db
def test_transition_info_says_which_comments_are_required():
    assert {n for n, info in workflow.TRANSITIONS.items() if info.comment_required} == (
        COMMENT_REQUIRED
    )
    assert {n: info.target for n, info in workflow.TRANSITIONS.items()} == {
        n: target for n, (_, target, _) in RULES.items()
    }


@pytest.mark.django_db
def test_submit_without_comment_is_allowed_and_records_blank_comment(force, lead):
    item = _item_in(force, PROGRESSING)

    services.item_transition(transition="submit_for_review", item=item, user=lead)

    assert _status_in_db(item) == AWAITING
    assert _timeline(item).get().comment == ""


@pytest.mark.django_db
def test_submit_freezes_evidence_and_records_submission_time(force, lead):
    item = _item_in(force, PROGRESSING)
    evidence = Evidence.objects.create(
        item=item, uploaded_by=lead, description="Audit report", url="https://example.org/a"
    )
    assert not evidence.is_frozen

    services.item_transition(
        transition="submit_for_review", item=item, user=lead, comment="All done."
    )

    evidence.refresh_from_db()
    item = Item.objects.get(pk=item.pk)
    assert evidence.is_frozen
    assert item.submitted_at is not None
    assert evidence.submitted_at == item.submitted_at == item.status_changed_at


@pytest.mark.django_db
def test_resubmission_keeps_the_first_freeze_time_of_earlier_evidence(force, lead, inspector):
    item = _item_in(force, PROGRESSING)
    first = Evidence.objects.create(
        item=item, uploaded_by=lead, description="First", url="https://example.org/1"
    )
    with time_machine.travel(datetime(2024, 5, 1, 9, tzinfo=UTC), tick=False):
        services.item_transition(transition="submit_for_review", item=item, user=lead)
    services.item_transition(
        transition="send_back", item=item, user=inspector, comment="Need the audit results."
    )
    second = Evidence.objects.create(
        item=item, uploaded_by=lead, description="Second", url="https://example.org/2"
    )

    with time_machine.travel(datetime(2024, 6, 1, 9, tzinfo=UTC), tick=False):
        services.item_transition(transition="submit_for_review", item=item, user=lead)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.submitted_at == datetime(2024, 5, 1, 9, tzinfo=UTC)
    assert second.submitted_at == datetime(2024, 6, 1, 9, tzinfo=UTC)
    assert Item.objects.get(pk=item.pk).submitted_at == second.submitted_at


@pytest.mark.django_db
@pytest.mark.parametrize("status", [AWAITING, PROGRESSING])
def test_stop_tracking_records_the_superseding_item_of_the_same_force(force, inspector, status):
    item = _item_in(force, status)
    successor = _item_in(force, AWAITING)

    services.item_transition(
        transition="stop_tracking",
        item=item,
        user=inspector,
        comment="Superseded by the 2019 report.",
        superseded_by=successor,
    )

    stored = Item.objects.get(pk=item.pk)
    assert stored.status == NO_FURTHER_ACTION
    assert stored.superseded_by == successor
    assert list(successor.supersedes.all()) == [stored]


@pytest.mark.django_db
def test_stop_tracking_refuses_a_superseding_item_of_another_force(force, other_force, inspector):
    item = _item_in(force, AWAITING)
    elsewhere = _item_in(other_force, AWAITING)

    with pytest.raises(InvalidInput):
        services.item_transition(
            transition="stop_tracking",
            item=item,
            user=inspector,
            comment="Superseded.",
            superseded_by=elsewhere,
        )

    stored = Item.objects.get(pk=item.pk)
    assert (stored.status, stored.superseded_by) == (AWAITING, None)
    assert not _timeline(item).exists()


@pytest.mark.django_db
def test_stop_tracking_refuses_the_item_itself_as_its_successor(force, inspector):
    item = _item_in(force, AWAITING)

    with pytest.raises(InvalidInput):
        services.item_transition(
            transition="stop_tracking", item=item, user=inspector, comment="x", superseded_by=item
        )

    assert _status_in_db(item) == AWAITING


@pytest.mark.django_db
def test_status_cannot_be_assigned_directly_on_a_loaded_item(item):
    loaded = Item.objects.get(pk=item.pk)

    with pytest.raises(AttributeError):
        loaded.status = COMPLETE

    assert _status_in_db(item) == AWAITING


@pytest.mark.django_db
def test_full_cycle_writes_one_timeline_entry_per_change(force, lead, inspector):
    item = _item_in(force, AWAITING)

    services.item_transition(
        transition="send_back", item=item, user=inspector, comment="Show the audit."
    )
    services.item_transition(
        transition="submit_for_review", item=item, user=lead, comment="Audit attached."
    )
    services.item_transition(transition="complete", item=item, user=inspector, comment="Closed.")
    services.item_transition(
        transition="reopen", item=item, user=inspector, comment="Audit found new gaps."
    )

    steps = list(_timeline(item).order_by("pk").values_list("status_from", "status_to"))
    assert steps == [
        (AWAITING, PROGRESSING),
        (PROGRESSING, AWAITING),
        (AWAITING, COMPLETE),
        (COMPLETE, PROGRESSING),
    ]
    assert _status_in_db(item) == PROGRESSING

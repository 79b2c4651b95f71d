"""The API's writes: the same services, permissions, timeline entries and e-mails as the item
page, for every role; closed items and stale decisions refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Notification
from recommendations.models import (
    Action,
    Item,
    ProgressUpdate,
    Status,
    TimelineEntry,
)
from recommendations.services import item_version
from tests import factories
from tests.api.conftest import ROLES, api_client

pytestmark = pytest.mark.django_db


def snapshot() -> tuple:
    """Everything a write could change."""
    return (
        list(Item.objects.values_list("pk", "status", "status_changed_at").order_by("pk")),
        list(Action.objects.values_list("pk", "description", "status", "owner_id").order_by("pk")),
        ProgressUpdate.objects.count(),
        TimelineEntry.objects.count(),
        Notification.objects.count(),
    )


def history(item: Item) -> list[tuple]:
    """What the timeline says happened to the item, by whom."""
    return list(
        item.timeline.order_by("pk").values_list(
            "kind", "actor_id", "status_from", "status_to", "comment", "transition"
        )
    )


def notified(item: Item) -> list[tuple]:
    return sorted(Notification.objects.filter(item=item).values_list("kind", "recipient_id"))


def twins(world, **fields) -> tuple[Item, Item]:
    """Two items of force A alike in everything the writes look at, each with an action of
    the action owner: one for the page, one for the API."""
    pair = []
    for _ in range(2):
        item = factories.ItemFactory(
            inspection=world.a.inspection, owner=world.users["owner"], **fields
        )
        factories.ActionFactory(item=item, owner=world.users["owner"])
        pair.append(item)
    return pair[0], pair[1]


# --- The same effects as the pages -----------------------------------------------------------


def test_progress_update_writes_what_the_page_writes(world, client):
    page_item, api_item = twins(world, status=Status.BEING_PROGRESSED)
    client.force_login(world.users["owner"])
    url = reverse("recommendations:update-create", args=[page_item.pk])
    assert client.post(url, {"update-text": "Policy rewritten"}).status_code == 302

    response = api_client(world, "owner").post(
        reverse("api:item-progress-updates", args=[api_item.pk]), {"text": "Policy rewritten"}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["text"] == "Policy rewritten"
    assert body["author"] == {"id": world.users["owner"].pk, "name": "owner"}
    assert history(api_item) == history(page_item) != []
    assert notified(api_item) == notified(page_item)
    # It is on the item page too.
    client.force_login(world.users["lead"])
    page = client.get(reverse("recommendations:item-detail", args=[api_item.pk]))
    assert "Policy rewritten" in page.content.decode()


def test_action_update_writes_what_the_page_writes(world, client):
    page_item, api_item = twins(world, status=Status.BEING_PROGRESSED)
    lead = world.users["lead"]
    page_action, api_action = page_item.actions.get(), api_item.actions.get()
    client.force_login(lead)
    prefix = f"action-{page_action.pk}"
    url = reverse("recommendations:action-update", args=[page_item.pk, page_action.pk])
    data = {
        f"{prefix}-description": "Train every call handler",
        f"{prefix}-owner": lead.pk,
        f"{prefix}-status": "in-progress",
    }
    assert client.post(url, data).status_code == 302

    response = api_client(world, "lead").patch(
        reverse("api:action-detail", args=[api_action.pk]),
        {"description": "Train every call handler", "owner": lead.pk, "status": "in-progress"},
    )

    assert response.status_code == 200
    assert response.json()["status"] == "in-progress"
    assert response.json()["owner"]["id"] == lead.pk
    api_action.refresh_from_db()
    assert (api_action.description, api_action.owner, api_action.status) == (
        "Train every call handler",
        lead,
        "in-progress",
    )
    assert history(api_item) == history(page_item) != []
    assert notified(api_item) == notified(page_item)


def test_a_partial_action_update_keeps_the_other_fields(world):
    action = world.a.action
    response = api_client(world, "owner").patch(
        reverse("api:action-detail", args=[action.pk]), {"status": "done"}
    )
    assert response.status_code == 200
    action.refresh_from_db()
    assert (action.status, action.owner, action.description) == (
        "done",
        world.users["owner"],
        "Review control room processes",
    )


def test_submit_for_review_writes_and_notifies_what_the_page_does(world, client):
    page_item, api_item = twins(world, status=Status.BEING_PROGRESSED)
    client.force_login(world.users["lead"])
    url = reverse("recommendations:item-transition", args=[page_item.pk])
    data = {"decision-transition": "submit_for_review", "decision-comment": "All done"}
    assert client.post(url, data).status_code == 302

    api = api_client(world, "lead")
    offered = api.get(reverse("api:item-transitions", args=[api_item.pk])).json()
    assert [t["name"] for t in offered["available"]] == ["submit_for_review"]
    response = api.post(
        reverse("api:item-transitions", args=[api_item.pk]),
        {
            "transition": "submit_for_review",
            "comment": "All done",
            "seen_version": offered["version"],
        },
    )

    assert response.status_code == 200
    assert response.json()["status"] == Status.AWAITING_REVIEW
    assert response.json()["whose_turn"] == "inspector"
    assert history(api_item) == history(page_item) != []
    assert notified(api_item) == notified(page_item)
    assert ("submitted", world.users["inspector"].pk) in notified(api_item)


@pytest.mark.parametrize("decision", ["complete", "send_back", "stop_tracking"])
def test_decisions_write_and_notify_what_the_page_does(world, client, decision):
    page_item, api_item = twins(world, status=Status.AWAITING_REVIEW)
    inspector = world.users["inspector"]
    client.force_login(inspector)
    url = reverse("recommendations:item-transition", args=[page_item.pk])
    data = {
        "decision-transition": decision,
        "decision-comment": "Decided",
        "decision-confirmed": "true",
        "decision-seen_version": item_version(page_item),
    }
    assert client.post(url, data).status_code == 302

    response = api_client(world, "inspector").post(
        reverse("api:item-transitions", args=[api_item.pk]),
        {"transition": decision, "comment": "Decided", "seen_version": item_version(api_item)},
    )

    assert response.status_code == 200, response.json()
    page_item.refresh_from_db()
    assert response.json()["status"] == page_item.status
    assert history(api_item) == history(page_item) != []
    assert notified(api_item) == notified(page_item) != []


# --- Every role ---------------------------------------------------------------------------

CREATED, OK = 201, 200


def expected(ok: int, *, allowed: set[str]) -> dict:
    """Force A's object: allowed roles succeed; other force A roles and read-only tokens are
    refused (403); the other force is not found (404); no or expired credentials 401."""
    answers = dict.fromkeys(ROLES, 403)
    answers.update(dict.fromkeys(allowed, ok))
    answers.update(other_lead=404, other_inspector=404, anonymous=401, expired_token=401)
    return answers


WRITES = {
    "progress update": (
        "post",
        lambda w: reverse("api:item-progress-updates", args=[w.a.item.pk]),
        lambda w: {"text": "Policy rewritten"},
        expected(CREATED, allowed={"lead", "owner"}),
    ),
    "action update": (
        "patch",
        lambda w: reverse("api:action-detail", args=[w.a.action.pk]),
        lambda w: {"status": "in-progress"},
        expected(OK, allowed={"lead", "owner"}),  # the owner owns this action
    ),
    "submit for review": (
        "post",
        lambda w: reverse("api:item-transitions", args=[w.a.item.pk]),
        lambda w: {"transition": "submit_for_review", "comment": "Done"},
        expected(OK, allowed={"lead"}),
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_every_write_for_every_role(world, write):
    method, url, data, answers = WRITES[write]
    allowed = [role for role in ROLES if answers[role] in (CREATED, OK)]
    for role in [r for r in ROLES if r not in allowed]:
        before = snapshot()
        response = getattr(api_client(world, role), method)(url(world), data(world))
        assert response.status_code == answers[role], (write, role, response.json())
        assert snapshot() == before, f"{write} as {role} changed something"
    for role in allowed:
        item = world.a.item
        Item.objects.filter(pk=item.pk).update(status=Status.BEING_PROGRESSED)
        response = getattr(api_client(world, role), method)(url(world), data(world))
        assert response.status_code == answers[role], (write, role, response.json())


def test_a_decision_is_the_inspectors_of_that_force_only(world):
    item = factories.ItemFactory(inspection=world.a.inspection, status=Status.AWAITING_REVIEW)
    url = reverse("api:item-transitions", args=[item.pk])
    data = {"transition": "complete", "comment": "Evidence seen"}
    answers = expected(OK, allowed={"inspector"})
    for role in [r for r in ROLES if r != "inspector"]:
        before = snapshot()
        assert api_client(world, role).post(url, data).status_code == answers[role], role
        assert snapshot() == before
    assert api_client(world, "inspector").post(url, data).status_code == 200
    item.refresh_from_db()
    assert item.status == Status.COMPLETE


# --- Closed items and stale decisions --------------------------------------------------------


def test_closed_items_refuse_every_change(world):
    closed = world.a.closed
    action = factories.ActionFactory(item=closed, owner=world.users["owner"])
    lead = api_client(world, "lead")
    before = snapshot()
    answers = [
        lead.post(reverse("api:item-progress-updates", args=[closed.pk]), {"text": "More"}),
        lead.patch(reverse("api:action-detail", args=[action.pk]), {"status": "done"}),
        lead.post(
            reverse("api:item-transitions", args=[closed.pk]), {"transition": "submit_for_review"}
        ),
        api_client(world, "inspector").post(
            reverse("api:item-transitions", args=[closed.pk]),
            {"transition": "complete", "comment": "Again"},
        ),
    ]
    assert [a.status_code for a in answers] == [409, 409, 409, 409]
    assert "locked" in answers[0].json()["detail"]  # "This item is complete, so it is locked"
    assert snapshot() == before


def test_an_item_already_submitted_is_not_submitted_again(world):
    item = factories.ItemFactory(inspection=world.a.inspection, status=Status.AWAITING_REVIEW)
    before = snapshot()
    response = api_client(world, "lead").post(
        reverse("api:item-transitions", args=[item.pk]), {"transition": "submit_for_review"}
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This item is awaiting review: it is already with the inspector to decide."
    )
    assert snapshot() == before


def test_a_decision_on_an_item_that_changed_since_is_refused(world):
    item = factories.ItemFactory(inspection=world.a.inspection, status=Status.AWAITING_REVIEW)
    seen = item_version(item)
    inspector = api_client(world, "inspector")
    url = reverse("api:item-transitions", args=[item.pk])
    first = {"transition": "send_back", "comment": "More needed", "seen_version": seen}
    assert inspector.post(url, first).status_code == 200
    before = snapshot()
    second = {"transition": "complete", "comment": "Fine", "seen_version": seen}
    response = inspector.post(url, second)
    assert response.status_code == 409
    assert "changed since" in response.json()["detail"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("role", "data", "field"),
    [
        ("inspector", {"transition": "send_back"}, "non_field_errors"),  # no comment
        ("lead", {"transition": "reopen", "comment": "Why"}, "transition"),  # not in the API
        ("lead", {"transition": "submit_for_review", "comment": "\x00"}, "comment"),
        ("lead", {}, "transition"),
    ],
)
def test_invalid_transitions_are_400_and_change_nothing(world, role, data, field):
    item = factories.ItemFactory(inspection=world.a.inspection, status=Status.AWAITING_REVIEW)
    before = snapshot()
    response = api_client(world, role).post(reverse("api:item-transitions", args=[item.pk]), data)
    assert response.status_code == 400
    assert field in response.json()
    assert snapshot() == before


def test_superseding_item_must_be_one_the_inspector_sees(world):
    item = factories.ItemFactory(inspection=world.a.inspection, status=Status.AWAITING_REVIEW)
    url = reverse("api:item-transitions", args=[item.pk])
    inspector = api_client(world, "inspector")
    data = {"transition": "stop_tracking", "comment": "Superseded"}
    before = snapshot()
    response = inspector.post(url, {**data, "superseded_by": world.b.item.pk})
    assert response.status_code == 400
    assert snapshot() == before
    response = inspector.post(url, {**data, "superseded_by": world.a.item.pk})
    assert response.status_code == 200
    assert response.json()["superseded_by"] == world.a.item.pk


def test_an_action_owner_must_be_of_the_items_force(world):
    before = snapshot()
    response = api_client(world, "lead").patch(
        reverse("api:action-detail", args=[world.a.action.pk]),
        {"owner": world.users["other_lead"].pk},
    )
    assert response.status_code == 400
    assert "owner" in response.json()
    assert snapshot() == before


def test_an_empty_progress_update_is_refused(world):
    before = snapshot()
    response = api_client(world, "lead").post(
        reverse("api:item-progress-updates", args=[world.a.item.pk]), {"text": "  "}
    )
    assert response.status_code == 400
    assert snapshot() == before


def test_writes_with_the_session_need_the_csrf_token(world):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.users["lead"])
    url = reverse("api:item-progress-updates", args=[world.a.item.pk])
    before = snapshot()
    response = client.post(url, {"text": "Without the token"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert snapshot() == before

"""Whose turn it is, and deciding through the item page: new items are the force's, an item
sent back shows what is still needed until the force acts, an inspector decides with one
question, stopping tracking is confirmed, and a decision made on a stale page is refused."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from notifications.emails import headline
from notifications.models import Kind, Notification
from recommendations import services, workflow
from recommendations.models import Item, Status, TimelineEntry
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 3, 10, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def page_of(client, item) -> str:
    response = client.get(reverse("recommendations:item-detail", args=[item.pk]))
    assert response.status_code == 200
    return response.content.decode()


def seen_version(page: str) -> str:
    return re.search(r'name="decision-seen_version" value="([^"]*)"', page).group(1)


def offered(page: str) -> list[str]:
    return re.findall(r'name="decision-transition" (?:type="\w+" )?value="([a-z_]+)"', page) or [
        m for m in re.findall(r'value="([a-z_]+)"[^>]*name="decision-transition"', page)
    ]


def post_decision(client, item, transition, comment="", seen=None, **more):
    data = {"decision-transition": transition, "decision-comment": comment}
    if seen is not None:
        data["decision-seen_version"] = seen
    data.update({f"decision-{key}": value for key, value in more.items()})
    return client.post(reverse("recommendations:item-transition", args=[item.pk]), data)


def test_a_new_item_is_the_forces_turn_and_the_lead_may_submit_it(client, force, lead):
    item = factories.ItemFactory(inspection__force=force, new=True)
    client.force_login(lead)
    page = page_of(client, item)
    assert "New: plan the response" in page
    assert 'value="submit_for_review"' in page
    response = post_decision(client, item, "submit_for_review", seen=seen_version(page))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.AWAITING_REVIEW and item.submitted_at == NOW
    # Submitted: the inspector's turn now, and the force is not offered to submit it again.
    page = page_of(client, item)
    assert "The inspector&#x27;s turn" in page
    assert "decision-transition" not in page


def test_the_inspector_decides_with_one_question_and_one_comment(client, force, inspector):
    item = factories.ItemFactory(inspection__force=force)
    client.force_login(inspector)
    page = page_of(client, item)
    assert re.findall(r'type="radio" name="decision-transition" value="(\w+)"', page) == [
        "complete",
        "send_back",
        "stop_tracking",
    ]
    assert page.count('name="decision-comment"') == 1
    assert "Save decision" in page


def test_a_new_item_cannot_be_sent_back_before_the_force_submits(force, inspector):
    item = factories.ItemFactory(inspection__force=force, new=True)
    names = [info.name for info in workflow.available_transitions(item, inspector)]
    assert names == ["complete", "stop_tracking"]


def test_sent_back_shows_what_is_still_needed_until_the_force_acts(client, force, lead, inspector):
    item = factories.ItemFactory(inspection__force=force, reference="9207/2")
    client.force_login(inspector)
    page = page_of(client, item)
    response = post_decision(
        client, item, "send_back", "Send the audit results.", seen=seen_version(page)
    )
    assert response.status_code == 302
    message = client.get(response["Location"]).content.decode()
    assert "Sent back to the force; the force lead has been told." in message

    client.force_login(lead)
    page = page_of(client, item)
    top = page[: page.index("Decide") if "Decide" in page else len(page)]
    assert "What is still needed" in top and "Send the audit results." in top
    dashboard = client.get(reverse("recommendations:force-dashboard", args=[force.slug]))
    assert re.search(r'app-count">1</span> returned to you', dashboard.content.decode())

    services.progress_update_create(item=item, user=lead, text="Audit results attached.")
    item.refresh_from_db()
    assert not item.is_returned
    assert "What is still needed" not in page_of(client, item)
    dashboard = client.get(reverse("recommendations:force-dashboard", args=[force.slug]))
    assert re.search(r'app-count">0</span> returned to you', dashboard.content.decode())


def test_stopping_tracking_asks_for_confirmation_first(client, force, inspector):
    item = factories.ItemFactory(inspection__force=force)
    successor = factories.ItemFactory(inspection__force=force, reference="2025/1")
    client.force_login(inspector)
    seen = seen_version(page_of(client, item))
    response = post_decision(
        client, item, "stop_tracking", "Replaced.", seen=seen, superseded_by="2025/1"
    )
    assert response.status_code == 200
    assert "Are you sure you want to stop tracking?" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.AWAITING_REVIEW

    response = post_decision(
        client,
        item,
        "stop_tracking",
        "Replaced.",
        seen=seen,
        superseded_by="2025/1",
        confirmed="true",
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.NO_FURTHER_ACTION_NEEDED
    assert item.superseded_by == successor


def test_an_unknown_successor_reference_is_a_clear_error(client, force, inspector):
    item = factories.ItemFactory(inspection__force=force)
    client.force_login(inspector)
    response = post_decision(
        client, item, "stop_tracking", "Replaced.", superseded_by="NOPE", confirmed="true"
    )
    assert response.status_code == 400
    assert f"Enter the reference of another item of {force}" in response.content.decode()
    assert Item.objects.get(pk=item.pk).status == Status.AWAITING_REVIEW


def test_a_decision_on_a_stale_page_is_refused_and_says_what_changed(client, force, inspector):
    colleague = factories.InspectorFactory(username="colleague", forces=[force])
    item = factories.ItemFactory(inspection__force=force)
    client.force_login(inspector)
    seen = seen_version(page_of(client, item))  # both open the page
    services.item_transition(
        item=item, user=colleague, transition="send_back", comment="More, please."
    )

    response = post_decision(
        client, item, "stop_tracking", "Superseded.", seen=seen, confirmed="true"
    )

    assert response.status_code == 409
    body = response.content.decode()
    assert "This item changed since you opened the page" in body
    assert "being progressed" in body
    item.refresh_from_db()
    assert item.status == Status.BEING_PROGRESSED
    assert TimelineEntry.objects.filter(item=item, transition="stop_tracking").count() == 0


def test_the_service_refuses_a_stale_version_too(force, inspector):
    from tracker.errors import StaleDecision

    item = factories.ItemFactory(inspection__force=force)
    seen = services.item_version(item)
    services.item_transition(item=item, user=inspector, transition="complete", comment="Done.")
    services.item_transition(item=item, user=inspector, transition="reopen", comment="Again.")
    with pytest.raises(StaleDecision):
        services.item_transition(
            item=item, user=inspector, transition="stop_tracking", comment="No.", seen_version=seen
        )


def test_the_email_headline_is_the_one_declared_with_the_transition(force, lead, inspector):
    lead.email = "lead@example.org"
    lead.save()
    item = factories.ItemFactory(inspection__force=force)
    services.item_transition(item=item, user=inspector, transition="send_back", comment="More.")
    row = Notification.objects.get(kind=Kind.REVIEW_DECISION, recipient=lead)
    assert headline(row, date(2025, 3, 10)) == workflow.TRANSITIONS["send_back"].email_headline


def test_every_transition_declares_its_words(force):
    for info in workflow.TRANSITIONS.values():
        assert info.label and info.choice and info.success and info.email_headline
        assert info.button in ("primary", "secondary", "warning")
        assert info.comment_error.startswith("Enter ")
    assert workflow.TRANSITIONS["stop_tracking"].confirm

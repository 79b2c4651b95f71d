"""Bulk decisions: a force lead assigns or submits many items with one comment, an inspector
completes or sends back many submissions. Each item gets its own timeline entry and e-mail,
permission is checked per item, and an item that cannot take the change is named and left."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Kind, Notification
from recommendations import services
from recommendations.models import Item, Status, TimelineEntry
from tests import factories
from tracker.errors import InvalidInput

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(datetime(2025, 3, 10, 10, tzinfo=UTC), tick=False)


def submissions(force, n):
    return factories.ItemFactory.create_batch(n, inspection__force=force)


def test_an_inspector_completes_ten_submissions_in_one_step(force, lead, inspector):
    lead.email = "lead@example.org"
    lead.save()
    items = submissions(force, 10)
    result = services.items_bulk_transition(
        item_ids=[i.pk for i in items], user=inspector, transition="complete", comment="Met."
    )
    assert len(result.done) == 10 and not result.refused and result.missing == 0
    assert set(Item.objects.values_list("status", flat=True)) == {Status.COMPLETE}
    for item in items:
        (entry,) = TimelineEntry.objects.filter(item=item, transition="complete")
        assert (entry.actor, entry.comment) == (inspector, "Met.")
    assert Notification.objects.filter(kind=Kind.REVIEW_DECISION, recipient=lead).count() == 10


def test_an_item_that_cannot_take_the_change_is_named_and_the_rest_go_through(
    force, other_force, inspector
):
    items = submissions(force, 3)
    closed = factories.ItemFactory(inspection__force=force, status=Status.COMPLETE)
    elsewhere = factories.ItemFactory(inspection__force=other_force)
    ids = [i.pk for i in items] + [closed.pk, elsewhere.pk]

    result = services.items_bulk_transition(
        item_ids=ids, user=inspector, transition="send_back", comment="Add the audit."
    )

    assert [i.pk for i in result.done] == [i.pk for i in items]
    ((refused, reason),) = result.refused
    assert refused.pk == closed.pk and "complete" in reason.lower()
    assert result.missing == 1  # another force's item: not named, not touched
    assert Item.objects.get(pk=closed.pk).status == Status.COMPLETE
    assert Item.objects.get(pk=elsewhere.pk).status == Status.AWAITING_REVIEW
    assert not TimelineEntry.objects.filter(item__in=[closed, elsewhere]).exists()


def test_the_force_lead_assigns_and_submits_in_bulk(force, lead, owner, inspector):
    items = factories.ItemFactory.create_batch(
        4, inspection__force=force, status=Status.BEING_PROGRESSED
    )
    ids = [i.pk for i in items]
    result = services.items_bulk_assign_owner(item_ids=ids, user=lead, owner=owner)
    assert len(result.done) == 4
    assert set(Item.objects.values_list("owner", flat=True)) == {owner.pk}
    result = services.items_bulk_transition(
        item_ids=ids, user=lead, transition="submit_for_review", comment="Evidence attached."
    )
    assert len(result.done) == 4
    assert Notification.objects.filter(kind=Kind.SUBMITTED, recipient=inspector).count() == 4


def test_a_force_lead_cannot_decide_in_bulk(force, lead):
    items = submissions(force, 2)
    result = services.items_bulk_transition(
        item_ids=[i.pk for i in items], user=lead, transition="complete", comment="Done."
    )
    assert not result.done and len(result.refused) == 2
    assert set(Item.objects.values_list("status", flat=True)) == {Status.AWAITING_REVIEW}


def test_at_most_two_hundred_items(force, inspector):
    with pytest.raises(InvalidInput):
        services.items_bulk_transition(
            item_ids=range(1, 202), user=inspector, transition="complete", comment="x"
        )


def _queries(force, inspector, n) -> int:
    items = submissions(force, n)
    user = type(inspector).objects.get(pk=inspector.pk)  # as a new request: nothing cached
    with CaptureQueriesContext(connection) as captured:
        services.items_bulk_transition(
            item_ids=[i.pk for i in items], user=user, transition="complete", comment="ok"
        )
    return len(captured)


def test_a_fixed_number_of_queries_per_item(force, inspector, lead):
    factories.ActionFactory.create_batch(3, item__inspection__force=force)
    four, eight, twelve = (_queries(force, inspector, n) for n in (4, 8, 12))
    assert eight - four == twelve - eight  # the same cost for each further item


# --- Through the pages -----------------------------------------------------------------------


def test_the_review_queue_offers_bulk_decisions_and_shows_the_result(client, force, inspector):
    items = submissions(force, 3)
    closed = factories.ItemFactory(inspection__force=force, status=Status.COMPLETE)
    client.force_login(inspector)
    page = client.get(reverse("recommendations:review-queue")).content.decode()
    assert len(re.findall(r'name="bulk-items" value="\d+"[^>]*form="bulk-form"', page)) == 3
    assert 'value="complete"' in page and 'value="send_back"' in page

    response = client.post(
        reverse("recommendations:items-bulk"),
        {
            "bulk-items": [i.pk for i in items] + [closed.pk],
            "bulk-action": "complete",
            "bulk-comment": "Evidence accepted.",
            "next": "/review/",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "3 items changed" in body and "1 not changed" in body
    assert closed.label in body
    assert 'href="/review/"' in body


def test_a_bulk_decision_without_its_comment_changes_nothing(client, force, inspector):
    items = submissions(force, 2)
    client.force_login(inspector)
    response = client.post(
        reverse("recommendations:items-bulk"),
        {"bulk-items": [i.pk for i in items], "bulk-action": "send_back", "bulk-comment": ""},
    )
    assert response.status_code == 400
    assert "Enter what is still needed" in response.content.decode()
    assert set(Item.objects.values_list("status", flat=True)) == {Status.AWAITING_REVIEW}


def test_the_force_dashboard_offers_the_lead_bulk_changes(client, force, lead, owner):
    factories.ItemFactory.create_batch(2, inspection__force=force, status="being-progressed")
    client.force_login(lead)
    page = client.get(reverse("recommendations:force-dashboard", args=[force.slug]))
    html = page.content.decode()
    assert 'value="assign_owner"' in html and 'value="submit_for_review"' in html
    assert 'id="bulk-form"' in html


@pytest.mark.parametrize("who", ["owner", "sponsor"])
def test_read_only_and_action_owners_have_no_bulk_changes(client, force, who, request):
    factories.ItemFactory(inspection__force=force)
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("recommendations:force-dashboard", args=[force.slug]))
    assert 'id="bulk-form"' not in page.content.decode()
    response = client.post(
        reverse("recommendations:items-bulk"),
        {"bulk-items": [Item.objects.get().pk], "bulk-action": "submit_for_review"},
    )
    assert response.status_code == 403


def test_an_unsafe_return_address_is_ignored(client, force, inspector):
    item = submissions(force, 1)[0]
    client.force_login(inspector)
    response = client.post(
        reverse("recommendations:items-bulk"),
        {
            "bulk-items": [item.pk],
            "bulk-action": "complete",
            "bulk-comment": "ok",
            "next": "https://evil.example/",
        },
    )
    assert "evil.example" not in response.content.decode()

"""Stopping tracking names the superseding item by its reference (a text field, never a list
of every item of the force); the service resolves and checks it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.exceptions import InvalidInput, NotAllowed
from recommendations.models import Item, Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(force):
    return factories.ItemFactory(inspection__force=force, reference="9207/1")


def stop(item, user, superseded_by):
    return services.item_transition(
        item=item,
        user=user,
        transition="stop_tracking",
        comment="Replaced.",
        superseded_by=superseded_by,
    )


@pytest.mark.parametrize(
    "named_as", ["9207/2", " 9207/2 ", "{display}", "Recommendation {display}"]
)
def test_the_successor_is_found_by_its_reference(force, inspector, item, named_as):
    successor = factories.ItemFactory(inspection__force=force, reference="9207/2")

    stop(item, inspector, named_as.format(display=successor.display_reference))

    stored = Item.objects.get(pk=item.pk)
    assert (stored.status, stored.superseded_by) == (Status.NO_FURTHER_ACTION_NEEDED, successor)


@pytest.mark.parametrize("reference", ["NOPE", "9207/1", "elsewhere/1"])
def test_unknown_itself_or_another_forces_reference_is_refused(
    force, other_force, inspector, item, reference
):
    factories.ItemFactory(inspection__force=other_force, reference="elsewhere/1")

    with pytest.raises(InvalidInput) as refused:
        stop(item, inspector, reference)

    assert refused.value.field == "superseded_by"
    assert refused.value.message == f"Enter the reference of another item of {force}"
    assert Item.objects.get(pk=item.pk).status == Status.AWAITING_REVIEW


def test_no_reference_stops_tracking_without_a_successor(inspector, item):
    stop(item, inspector, "")
    stored = Item.objects.get(pk=item.pk)
    assert (stored.status, stored.superseded_by) == (Status.NO_FURTHER_ACTION_NEEDED, None)


def test_a_closed_item_refuses_it(force, inspector, item):
    factories.ItemFactory(inspection__force=force, reference="9207/2")
    stop(item, inspector, "")

    with pytest.raises(NotAllowed):
        stop(Item.objects.get(pk=item.pk), inspector, "9207/2")

    assert Item.objects.get(pk=item.pk).superseded_by is None


def test_the_item_page_asks_for_a_reference_whatever_the_force_holds(
    client, force, inspector, item
):
    factories.ItemFactory.create_batch(30, inspection=item.inspection)
    client.force_login(inspector)

    html = client.get(reverse("recommendations:item-detail", args=[item.pk])).content.decode()

    assert 'name="decision-superseded_by"' in html
    assert "<select" not in html.split('name="decision-superseded_by"')[0][-300:]
    assert html.count("<option") < 10

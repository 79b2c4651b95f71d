"""Nothing shown to a signed-in user is kept by a browser or a proxy: pages, CSV exports
and evidence downloads are sent with `Cache-Control: private, no-store`."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations.models import Status
from tests import factories

pytestmark = pytest.mark.django_db


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.fixture
def evidence(force):
    item = factories.ItemFactory(inspection__force=force, status=Status.BEING_PROGRESSED)
    return factories.FileEvidenceFactory(item=item)


def test_signed_in_pages_exports_and_downloads_are_not_stored(client, lead, inspector, evidence):
    item = evidence.item
    urls = {
        lead: [
            reverse("recommendations:item-list"),
            reverse("recommendations:item-list") + "?format=csv",
            reverse("recommendations:item-detail", args=[item.pk]),
            reverse("recommendations:force-dashboard", args=[item.force.slug]),
            reverse("recommendations:force-dashboard", args=[item.force.slug]) + "?format=csv",
            reverse("recommendations:evidence-download", args=[item.pk, evidence.pk]),
            reverse("recommendations:inspection-detail", args=[item.inspection_id]),
            reverse("notifications:preferences"),
            reverse("recommendations:item-detail", args=[item.pk + 1000]),  # a 404 too
        ],
        inspector: [
            reverse("recommendations:review-queue"),
            reverse("recommendations:review-queue") + "?format=csv",
            reverse("recommendations:force-overview") + "?format=csv",
        ],
    }
    for user, pages in urls.items():
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            assert {"private", "no-store"} <= _directives(response), url


def test_a_view_that_sets_its_own_cache_control_keeps_it(client, lead):
    client.force_login(lead)
    response = client.get(reverse("login"))  # Django's never_cache: stricter still
    assert {"no-cache", "no-store", "must-revalidate", "private"} <= _directives(response)


def test_anonymous_pages_are_left_alone(client):
    response = client.get(reverse("recommendations:item-list"))
    assert response.status_code == 302
    assert "Cache-Control" not in response

"""Every list runs a fixed number of queries, however many rows its page holds."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations.models import TimelineKind
from tests import factories
from tests.api.conftest import api_client

pytestmark = pytest.mark.django_db

LISTS = [
    "api:force-list",
    "api:inspection-list",
    "api:cause-of-concern-list",
    "api:item-list",
    "api:action-list",
    "api:progress-update-list",
    "api:evidence-list",
    "api:timeline-entry-list",
]


def add_rows(world, count: int) -> None:
    """`count` more of everything under force A (and B), each with its own people."""
    for _ in range(count):
        for side in (world.a, world.b):
            force = side.force
            inspection = factories.InspectionFactory(force=force)
            factories.GradedJudgmentFactory(inspection=inspection)
            cause = factories.CauseOfConcernFactory(inspection=inspection)
            owner = factories.ActionOwnerFactory(force=force)
            item = factories.ItemFactory(inspection=inspection, cause_of_concern=cause, owner=owner)
            factories.ActionFactory(item=item, owner=owner)
            factories.ProgressUpdateFactory(item=item, author=owner)
            factories.LinkEvidenceFactory(item=item, uploaded_by=owner)
            factories.TimelineEntryFactory(item=item, actor=owner, kind=TimelineKind.COMMENT)
            factories.TimelineEntryFactory(
                item=None, cause_of_concern=cause, kind=TimelineKind.CAUSE_OF_CONCERN_CLOSED
            )
        factories.ForceFactory()


def queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name), {"page_size": 500})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["lead", "inspector", "administrator"])
def test_every_list_runs_the_same_queries_for_1_and_25_rows(world, role):
    client = api_client(world, role)
    client.get(reverse("api:item-list"))  # the token's last-used time is written once
    before = {name: queries(client, name) for name in LISTS}
    add_rows(world, 24)
    after = {name: queries(client, name) for name in LISTS}
    assert after == before
    assert max(after.values()) <= 5, after  # the token, the count, the page (and prefetches)

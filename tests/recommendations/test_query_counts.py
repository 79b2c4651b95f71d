"""Each list page runs the same number of queries with 10 items as with 500; the item page
runs the same number with 2 as with 50 actions, updates, evidence and timeline entries."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recommendations.deadlines import DeadlineRule
from recommendations.models import (
    Action,
    Evidence,
    Item,
    ItemKind,
    ProgressUpdate,
    Status,
    TimelineEntry,
    TimelineKind,
)
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date(2024, 6, 1)
STATUSES = list(Status)


@pytest.fixture(autouse=True)
def _fixed_today():
    with time_machine.travel(datetime(2024, 6, 1, 10, 0, tzinfo=timezone.get_current_timezone())):
        yield


def add_items(inspections, causes, owners, start: int, count: int) -> None:
    """`count` items spread over the inspections, with an owner, an action and two timeline
    entries each, so every related lookup of the lists is exercised."""
    now = timezone.now()
    items = []
    for n in range(start, start + count):
        # The first inspection gets every 25th item (its page lists them all, unpaginated).
        k = 0 if n % 25 == 0 or len(inspections) == 1 else 1 + n % (len(inspections) - 1)
        area = n % 5 == 4
        status = STATUSES[n % len(STATUSES)]
        due = None if area else TODAY + timedelta(days=n % 120 - 60)
        items.append(
            Item(
                kind=ItemKind.AREA_FOR_IMPROVEMENT if area else ItemKind.RECOMMENDATION,
                inspection=inspections[k],
                force=inspections[k].force,
                cause_of_concern=None if area or n % 3 else causes[k],
                reference=f"R{n}",
                display_reference=f"R{n}",
                position=n,
                text=f"The force should do thing number {n}.",
                deadline_rule=DeadlineRule.NONE if area else DeadlineRule.RELATIVE,
                due_on=due,
                original_due_on=due,
                status=status,
                submitted_at=now - timedelta(days=n) if status == Status.AWAITING_REVIEW else None,
                owner=owners[n % len(owners)],
            )
        )
    items = Item.objects.bulk_create(items)
    Action.objects.bulk_create(
        Action(item=item, description="Act", owner=owners[i % len(owners)])
        for i, item in enumerate(items)
    )
    TimelineEntry.objects.bulk_create(
        entry
        for item in items
        for entry in (
            TimelineEntry(
                item=item,
                kind=TimelineKind.CREATED,
                occurred_at=now - timedelta(days=300),
                status_to=Status.BEING_PROGRESSED,
                due_to=item.due_on,
            ),
            TimelineEntry(
                item=item,
                kind=TimelineKind.STATUS_CHANGED,
                occurred_at=now - timedelta(days=40),
                status_from=Status.BEING_PROGRESSED,
                status_to=item.status,
            ),
        )
    )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.fixture
def lists(force, other_force, lead, owner, inspector):
    inspector.inspected_forces.add(other_force)
    inspections = [
        factories.InspectionFactory(force=force, published_on=date(2023, month, 1))
        for month in (1, 5, 9)
    ]
    for inspection in inspections[:2]:
        factories.GradedJudgmentFactory.create_batch(3, inspection=inspection)
    causes = [factories.CauseOfConcernFactory(inspection=i) for i in inspections]
    factories.MonitoringStageChangeFactory(force=force)
    other_inspection = factories.InspectionFactory(force=other_force)
    other_owner = factories.ActionOwnerFactory(force=other_force)
    add_items([other_inspection], [None], [other_owner], 10_000, 5)
    return inspections, causes, [lead, owner]


def list_pages(force, inspection):
    dashboard = reverse("recommendations:force-dashboard", args=[force.slug])
    items = reverse("recommendations:item-list")
    review = reverse("recommendations:review-queue")
    overview = reverse("recommendations:force-overview")
    inspection_page = reverse("recommendations:inspection-detail", args=[inspection.pk])
    return {
        "lead": [
            overview,
            f"{items}?status=all",
            f"{items}?status=all&format=csv",
            dashboard,
            f"{dashboard}?status=all&format=csv",
            inspection_page,
            f"{inspection_page}?format=csv",
            f"{items}?status=all&inspection={inspection.pk}",
        ],
        "inspector": [
            overview,
            f"{overview}?format=csv",
            review,
            f"{review}?format=csv",
            f"{review}?show=new",
            inspection_page,
            f"{inspection_page}?format=csv",
        ],
    }


def test_list_pages_run_the_same_queries_for_10_and_500_items(
    client, lists, force, lead, inspector
):
    inspections, causes, owners = lists
    add_items(inspections, causes, owners, 0, 10)
    pages = list_pages(force, inspections[0])
    users = {"lead": lead, "inspector": inspector}

    def measure():
        counts = {}
        for role, urls in pages.items():
            client.force_login(users[role])
            count_queries(client, urls[0])  # warm up: session, caches
            counts.update({(role, url): count_queries(client, url) for url in urls})
        return counts

    few = measure()
    add_items(inspections, causes, owners, 10, 490)
    assert Item.objects.filter(force=force).count() == 500
    assert Item.objects.filter(inspection=inspections[0]).count() == 20
    many = measure()
    grown = {page: (few[page], many[page]) for page in few if few[page] != many[page]}
    assert not grown, f"queries grow with the number of items (10 → 500): {grown}"


def _add_work(item, authors, count: int) -> None:
    """Actions, updates, evidence (files and links) and timeline entries, by several people."""
    Action.objects.bulk_create(
        Action(item=item, description=f"Action {n}", owner=authors[n % 2]) for n in range(count)
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(item=item, author=authors[n % 2], text=f"Update {n}") for n in range(count)
    )
    Evidence.objects.bulk_create(
        Evidence(
            item=item,
            uploaded_by=authors[n % 2],
            description=f"Evidence {n}",
            url="" if n % 2 else f"https://example.gov.uk/{n}",
            file=f"evidence/{item.force_id}/{item.pk}/e{n}.pdf" if n % 2 else "",
        )
        for n in range(count)
    )
    TimelineEntry.objects.bulk_create(
        TimelineEntry(item=item, kind=TimelineKind.COMMENT, actor=authors[n % 2], comment=f"{n}")
        for n in range(count)
    )


@pytest.mark.parametrize("role", ["lead", "owner", "inspector", "administrator"])
def test_item_page_queries_do_not_grow_with_its_work(client, force, lead, owner, role, request):
    user = request.getfixturevalue(role)
    item = factories.ItemFactory(inspection__force=force, status=Status.AWAITING_REVIEW)
    factories.ItemFactory.create_batch(3, inspection=item.inspection)  # "superseded by" choices
    _add_work(item, [owner, lead], 2)
    url = reverse("recommendations:item-detail", args=[item.pk])
    client.force_login(user)
    count_queries(client, url)
    few = count_queries(client, url)
    _add_work(item, [owner, lead], 48)
    assert item.actions.count() == 50 and item.timeline.count() == 50
    many = count_queries(client, url)
    assert few == many, f"item page as {role}: {few} queries with 2, {many} with 50"

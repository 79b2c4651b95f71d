"""The item list's filters, ordering, pagination and CSV, as a report would use them."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse

from recommendations.models import ItemKind, Status
from tests import factories
from tests.api.conftest import TODAY, api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(world):
    """Force A's items beyond the world's: one of each kind of due date and status."""
    inspection = world.a.inspection
    make = factories.ItemFactory
    return {
        "overdue": world.a.item,  # being progressed, due 10 days ago, owned by the owner
        "closed": world.a.closed,  # complete, due in 60 days
        "due_soon": make(
            inspection=inspection, status=Status.BEING_PROGRESSED, due_on=TODAY + timedelta(5)
        ),
        "submitted": make(inspection=inspection, due_on=TODAY - timedelta(days=400)),
        "new": make(inspection=inspection, new=True, due_on=TODAY + timedelta(days=200)),
        "area": factories.AreaForImprovementFactory(
            inspection=inspection, text="The force should improve its call handling."
        ),
    }


def ids(client, **query) -> set[int]:
    response = client.get(reverse("api:item-list"), query)
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def pks(items, *names) -> set[int]:
    return {items[name].pk for name in names}


def test_item_filters(world, items):
    lead = api_client(world, "lead")
    slug = world.a.force.slug
    assert ids(lead) == pks(items, *items)
    assert ids(lead, force=slug, overdue="true") == pks(items, "overdue", "submitted")
    assert ids(lead, overdue="false") == pks(items, "closed", "due_soon", "new", "area")
    assert ids(lead, rag="due-soon") == pks(items, "due_soon")
    assert ids(lead, status="open") == pks(items, "overdue", "due_soon", "submitted", "new", "area")
    assert ids(lead, status="closed") == pks(items, "closed")
    assert ids(lead, status="complete") == pks(items, "closed")
    assert ids(lead, status="new") == pks(items, "new")
    assert ids(lead, status="submitted") == pks(items, "submitted", "area")
    assert ids(lead, kind=ItemKind.AREA_FOR_IMPROVEMENT) == pks(items, "area")
    assert ids(lead, due_before=str(TODAY)) == pks(items, "overdue", "submitted")
    assert ids(lead, due_after=str(TODAY + timedelta(days=60))) == pks(items, "closed", "new")
    assert ids(lead, q="call handling") == pks(items, "area")
    assert ids(lead, q=items["due_soon"].display_reference) == pks(items, "due_soon")
    assert ids(lead, cause_of_concern=world.a.cause.pk) == pks(items, "overdue")
    assert ids(lead, inspection=world.a.inspection.pk) == pks(items, *items)
    # The owner's items: owned, or with an action they own.
    assert ids(api_client(world, "owner"), owner="me") == pks(items, "overdue")
    assert ids(lead, owner=world.users["owner"].pk) == pks(items, "overdue")


@pytest.mark.parametrize(
    "query",
    [
        {"due_before": "yesterday"},
        {"status": "finished"},
        {"overdue": "perhaps"},
        {"owner": "you"},
        {"inspection": "0"},
        {"inspection": str(2**70)},
        {"q": "x" * 201},
    ],
)
def test_invalid_filters_are_400_saying_which(world, query):
    response = api_client(world, "lead").get(reverse("api:item-list"), query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_the_default_order_is_the_pages_most_urgent_first(world, items):
    rows = api_client(world, "lead").get(reverse("api:item-list")).json()["results"]
    order = [row["id"] for row in rows]
    # Open items by due date (no deadline last), then closed ones.
    assert order == [
        items[name].pk for name in ("submitted", "overdue", "due_soon", "new", "area", "closed")
    ]


def test_ordering_and_pages(world, items):
    lead = api_client(world, "lead")
    rows = lead.get(reverse("api:item-list"), {"ordering": "-due_on", "page_size": 2}).json()
    assert rows["count"] == len(items)
    assert len(rows["results"]) == 2
    seen = [r["id"] for r in rows["results"]]
    while rows["next"]:
        rows = lead.get(rows["next"]).json()
        seen += [r["id"] for r in rows["results"]]
    assert len(seen) == len(set(seen)) == len(items)
    latest_first = ("new", "closed", "due_soon", "overdue", "submitted", "area")
    assert seen == [items[name].pk for name in latest_first]  # no due date last
    assert lead.get(reverse("api:item-list"), {"page": 99}).status_code == 404


def test_page_size_is_bounded(world):
    for _ in range(3):
        factories.ItemFactory(inspection=world.a.inspection)
    body = api_client(world, "lead").get(reverse("api:item-list"), {"page_size": 10_000}).json()
    assert body["count"] == 5  # the list is all there; a page holds at most 500


def test_an_item_says_its_rag_turn_and_version(world):
    body = api_client(world, "lead").get(reverse("api:item-detail", args=[world.a.item.pk])).json()
    assert body["rag"] == "overdue"
    assert body["rag_label"] == "Overdue"
    assert body["days_overdue"] == 10
    assert body["whose_turn"] == "force"
    assert body["force"] == world.a.force.slug
    assert body["owner"] == {"id": world.users["owner"].pk, "name": "owner"}
    assert body["label"] == world.a.item.label
    page = reverse("recommendations:item-detail", args=[world.a.item.pk])
    assert body["web_url"] == f"http://testserver{page}"


def test_overdue_items_as_csv_for_a_spreadsheet(world, items):
    response = api_client(world, "lead").get(
        reverse("api:item-list"), {"force": world.a.force.slug, "overdue": "true", "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {int(row["id"]) for row in rows} == pks(items, "overdue", "submitted")
    overdue = next(row for row in rows if int(row["id"]) == items["overdue"].pk)
    assert overdue["owner"] == "owner"
    assert overdue["rag_label"] == "Overdue"


def test_csv_cells_cannot_run_as_formulas(world):
    factories.ItemFactory(inspection=world.a.inspection, text='=HYPERLINK("http://x")')
    response = api_client(world, "lead").get(
        reverse("api:item-list"), {"format": "csv", "q": "HYPER"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["text"].startswith("'=")


def test_inspections_carry_their_grades(world):
    body = (
        api_client(world, "lead")
        .get(reverse("api:inspection-detail", args=[world.a.inspection.pk]))
        .json()
    )
    assert body["judgments"] == [
        {"area": "Investigating crime", "grade": "good", "grade_label": "Good"}
    ]


def test_forces_carry_their_counts_and_stage(world):
    factories.MonitoringStageChangeFactory(force=world.a.force, stage="engage")
    body = (
        api_client(world, "lead").get(reverse("api:force-detail", args=[world.a.force.slug])).json()
    )
    assert body["open_items"] == 1
    assert body["overdue_items"] == 1
    assert body["monitoring_stage"] == "engage"

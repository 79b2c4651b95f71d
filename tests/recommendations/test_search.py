"""The item lists' text search: words of the item's text, its reference, or its
inspection's title, in any case; only among the items the user may see."""

from datetime import date

import pytest
from django.db import connection

from recommendations import selectors
from tests.factories import InspectionFactory, ItemFactory

pytestmark = pytest.mark.django_db
TODAY = date(2024, 1, 1)


def found(user, text):
    items = selectors.filter_items(selectors.items_for_user(user), {"q": text}, today=TODAY)
    return sorted(item.text for item in items)


def test_search_matches_text_reference_and_inspection_title(lead, force, other_force):
    mine = InspectionFactory(force=force, title="Domestic Abuse inspection")
    other = InspectionFactory(force=force, title="Custody")
    ItemFactory(inspection=mine, text="Review staffing.")
    ItemFactory(inspection=other, text="Improve the DOMESTIC abuse response.")
    ItemFactory(inspection=other, text="Audit the cells.", reference="9207/2")
    ItemFactory(inspection=other, text="Nothing to see.")
    elsewhere = InspectionFactory(force=other_force, title="Domestic abuse elsewhere")
    ItemFactory(inspection=elsewhere, text="Domestic abuse in another force.")

    assert found(lead, "domestic abuse") == [
        "Improve the DOMESTIC abuse response.",
        "Review staffing.",
    ]
    assert found(lead, "Recommendation 9207/2") == ["Audit the cells."]
    assert found(lead, "no such words") == []


def test_many_inspections_with_the_title_still_match(lead, force, monkeypatch):
    monkeypatch.setattr(selectors, "_TITLED_LIMIT", 2)
    for n in range(4):
        ItemFactory(inspection=InspectionFactory(force=force, title=f"PEEL {n}"), text=f"T{n}")

    assert found(lead, "peel") == ["T0", "T1", "T2", "T3"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index")
def test_postgresql_indexes_the_search():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'items_search'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "gin_trgm_ops" in definition


def test_search_results_keep_the_lists_order(lead, force):
    from datetime import timedelta

    from recommendations.deadlines import DeadlineRule

    inspection = InspectionFactory(force=force)
    for n, due in enumerate([TODAY + timedelta(days=9), None, TODAY - timedelta(days=3), TODAY]):
        ItemFactory(
            inspection=inspection,
            position=n,
            text=f"abuse {n}",
            due_on=due,
            deadline_rule=DeadlineRule.NONE if due is None else DeadlineRule.RELATIVE,
        )
    items = selectors.filter_items(selectors.items_for_user(lead), {"q": "abuse"}, today=TODAY)
    everything = selectors.filter_items(selectors.items_for_user(lead), {}, today=TODAY)

    assert [item.text for item in items] == ["abuse 2", "abuse 3", "abuse 0", "abuse 1"]
    assert [item.text for item in items] == [item.text for item in everything]

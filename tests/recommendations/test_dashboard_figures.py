"""The dashboard's figures come from one grouped pass over the items; each must equal the
count of its own condition (the RAG's and whose turn's), in every combination."""

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest

from recommendations import selectors
from recommendations.deadlines import DeadlineRule
from recommendations.models import Item, Rag, Status, rag_conditions
from recommendations.selectors import TURN_QUERIES
from tests.factories import InspectionFactory, ItemFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 15)


def test_every_headline_figure_is_the_count_of_its_condition(force, other_force):
    inspections = [InspectionFactory(force=force), InspectionFactory(force=force)]
    dues = [None, TODAY - timedelta(days=3), TODAY + timedelta(days=5), TODAY + timedelta(days=200)]
    stamp = datetime(2026, 5, 1, tzinfo=UTC)
    for inspection, status, due_on, submitted, returned in itertools.product(
        inspections, list(Status), dues, [None, stamp], [None, stamp]
    ):
        ItemFactory(
            inspection=inspection,
            status=status,
            due_on=due_on,
            deadline_rule=DeadlineRule.NONE if due_on is None else DeadlineRule.RELATIVE,
            submitted_at=submitted,
            returned_at=returned,
        )
    ItemFactory(inspection=InspectionFactory(force=other_force), due_on=TODAY)  # not counted
    items = Item.objects.filter(force=force)
    rag = rag_conditions(today=TODAY)
    expected = {
        "overdue": items.filter(rag[Rag.OVERDUE]).count(),
        "due_soon": items.filter(rag[Rag.DUE_SOON]).count(),
        "awaiting_review": items.filter(TURN_QUERIES["submitted"]).count(),
        "new": items.filter(TURN_QUERIES["new"]).count(),
        "returned": items.filter(TURN_QUERIES["returned"]).count(),
        "being_progressed": items.filter(status=Status.BEING_PROGRESSED).count(),
        "complete": items.filter(status=Status.COMPLETE).count(),
        "no_further_action": items.filter(status=Status.NO_FURTHER_ACTION_NEEDED).count(),
    }
    assert all(expected.values())

    counts, rag_rows = selectors.dashboard_figures(items, today=TODAY)

    assert counts == expected
    for inspection in inspections:
        for category in Rag:
            (row,) = [
                r
                for r in rag_rows
                if r["inspection_id"] == inspection.pk and r["rag_value"] == category
            ]
            assert row["count"] == items.filter(rag[category], inspection=inspection).count()
            assert row["inspection__title"] == inspection.title


def test_review_queue_tabs_count_submitted_and_new_items_of_the_inspectors_forces(
    force, other_force, inspector
):
    stamp = datetime(2026, 5, 1, tzinfo=UTC)
    mine = InspectionFactory(force=force)
    for _ in range(3):
        ItemFactory(inspection=mine, submitted_at=stamp)
    for _ in range(2):
        ItemFactory(inspection=mine, new=True)
    ItemFactory(inspection=mine, status=Status.BEING_PROGRESSED, submitted_at=None)
    ItemFactory(inspection=InspectionFactory(force=other_force), submitted_at=stamp)

    assert selectors.review_queue_counts(inspector) == {"submitted": 3, "new": 2}

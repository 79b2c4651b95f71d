"""The partial indexes (migrations 0011, 0012) serve the lists and counts, as planned.

At a million items the difference is an index walk against a sort of every open item of the
force (SQLite: 43 ms against 0.1 ms for a first page); docs/performance.md has the figures.
"""

from datetime import date

import pytest
from django.db import connection

from recommendations import selectors
from recommendations.models import HasStatus, Item
from recommendations.selectors import filter_items, items_for_user
from tests.factories import ForceLeadFactory, ItemFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


@pytest.mark.parametrize("due", ["", "overdue"])
def test_a_force_list_of_open_items_walks_the_open_items_index(due):
    lead = ForceLeadFactory()
    ItemFactory.create_batch(3, force=lead.force)
    items = filter_items(items_for_user(lead), {"due": due}, today=TODAY)

    sql, _ = items.query.sql_with_params()
    assert "IN ('awaiting-review', 'being-progressed')" in sql
    if connection.vendor == "sqlite":
        # SQLite matches a partial index by the condition's text; PostgreSQL chooses by cost,
        # and for three items it sorts them.
        assert "open_items_force_order" in items.explain()


def test_the_review_queue_names_its_status_as_its_partial_indexes_do(inspector):
    """With the status a parameter SQLite reads each row to check it (8.9 ms against 0.4 ms
    to count five forces' submissions at a million items); its plan reads the same."""
    for new in (False, True):
        sql, params = selectors.review_queue(inspector, new=new).query.sql_with_params()
        assert "= 'awaiting-review'" in sql and "awaiting-review" not in params


def test_only_the_vocabularys_statuses_are_written_into_the_sql():
    with pytest.raises(ValueError):
        HasStatus("complete' OR 1=1 --")


@pytest.mark.parametrize("due", ["", "overdue"])
def test_a_page_of_several_forces_open_items_is_read_from_the_index_alone(due):
    """SQLite tests a partial index's condition again on each row: with the status among the
    index's columns it need not read the table (page 200 of five forces at a million items:
    31 ms against 160 ms; migration 0014)."""
    forces = [ForceLeadFactory().force for _ in range(3)]
    for force in forces:
        ItemFactory.create_batch(2, force=force)
    items = filter_items(
        Item.objects.filter(force__in=forces).order_by(*selectors.BY_DUE), {"due": due}, today=TODAY
    )
    page_ids = items.values_list("pk", flat=True)[100:150]

    if connection.vendor == "sqlite":
        plan = page_ids.explain()
        # Which of the two covering indexes depends on the statistics; never the table.
        assert "USING COVERING INDEX" in plan, plan
        assert "USING INDEX" not in plan.replace("USING COVERING INDEX", ""), plan

"""The partial indexes (migrations 0011, 0012) serve the lists and counts, as planned.

At a million items the difference is an index walk against a sort of every open item of the
force (SQLite: 43 ms against 0.1 ms for a first page); docs/performance.md has the figures.
"""

from datetime import date

import pytest
from django.db import connection

from recommendations import selectors
from recommendations.models import HasStatus
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

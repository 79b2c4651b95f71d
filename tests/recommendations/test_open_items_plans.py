"""The open-items indexes (migration 0012) serve a force's list, as the database plans it.

At a million items the difference is an index walk against a sort of every open item of the
force (SQLite: 43 ms against 0.1 ms for a first page); docs/performance.md has the figures.
"""

from datetime import date

import pytest
from django.db import connection

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

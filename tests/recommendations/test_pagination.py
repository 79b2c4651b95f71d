"""Item lists read a page as its ids, then those rows: the pages keep the list's order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from recommendations import selectors
from recommendations.pagination import ItemPaginator
from tests import factories

pytestmark = pytest.mark.django_db


def test_pages_follow_the_lists_order(force, lead, django_assert_num_queries):
    inspection = factories.InspectionFactory(force=force)
    for n in range(7):
        factories.ItemFactory(
            inspection=inspection, reference=f"R{n}", due_on=date(2024, 1, 1) + timedelta(days=-n)
        )
    items = selectors.filter_items(selectors.items_for_user(lead), {}, today=date(2024, 1, 1))
    expected = [item.reference for item in items.all()]

    paginator = ItemPaginator(items, 3)
    pages = [paginator.page(n) for n in (1, 2, 3)]

    assert [item.reference for page in pages for item in page.object_list] == expected
    assert expected == [f"R{n}" for n in range(6, -1, -1)]
    with django_assert_num_queries(0):  # the rows came with what the list shows
        assert pages[1].object_list[0].inspection.title == inspection.title

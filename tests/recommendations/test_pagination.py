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


@pytest.mark.parametrize(
    ("asked", "shown", "queries"),
    [
        ("2", 2, 2),  # the ids with the count, then the rows
        (None, 1, 2),
        ("not a number", 1, 2),
        ("9", 3, 4),  # past the end: the count, then the last page's ids and rows
        ("0", 3, 3),  # before the first: the last, as Django's paginator does
    ],
)
def test_a_search_reads_its_count_with_the_ids(
    force, lead, asked, shown, queries, django_assert_num_queries
):
    inspection = factories.InspectionFactory(force=force)
    for n in range(7):
        factories.ItemFactory(inspection=inspection, reference=f"R{n}", due_on=date(2024, 1, 1))
    items = selectors.filter_items(selectors.items_for_user(lead), {}, today=date(2024, 1, 1))
    expected = [item.reference for item in items.all()]

    with django_assert_num_queries(queries):
        paginator = ItemPaginator(items, 3, one_pass=True)
        page = paginator.get_page(asked)

    assert page.number == shown
    assert paginator.count == 7 and paginator.num_pages == 3
    assert [item.reference for item in page.object_list] == expected[(shown - 1) * 3 :][:3]


def test_an_empty_search_has_one_empty_page(force, lead):
    items = selectors.filter_items(selectors.items_for_user(lead), {}, today=date(2024, 1, 1))

    page = ItemPaginator(items, 3, one_pass=True).get_page("1")

    assert page.number == 1 and list(page.object_list) == [] and page.paginator.count == 0

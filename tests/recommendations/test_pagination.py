"""Item lists read a page as its ids, then those rows: the pages keep the list's order."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection

from recommendations import selectors
from recommendations.deadlines import DeadlineRule
from recommendations.models import Status
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


@pytest.mark.parametrize("filters", [{}, {"due": "overdue"}, {"status": "being-progressed"}])
def test_a_list_of_several_forces_pages_as_one_list(filters, django_assert_num_queries):
    """An inspector's list of three forces: every page holds what the one sorted list holds
    there (on SQLite read force by force, ItemPaginator._page_ids), in the same order, with
    no item twice or missing, items of one due date and position in several forces too."""
    forces = [factories.ForceFactory() for _ in range(3)]
    inspector = factories.InspectorFactory(forces=forces)
    elsewhere = factories.ItemFactory(due_on=date(2024, 1, 1))  # a force not inspected
    for n in range(21):
        due_on = None if n % 7 == 0 else date(2024, 1, 1) + timedelta(days=n % 4 * 10 - 15)
        factories.ItemFactory(
            inspection__force=forces[n % 3],
            position=n % 2,
            due_on=due_on,
            deadline_rule=DeadlineRule.NONE if due_on is None else DeadlineRule.RELATIVE,
            status=Status.BEING_PROGRESSED if n % 2 else Status.AWAITING_REVIEW,
        )
    items = selectors.filter_items(
        selectors.items_for_user(inspector), filters, today=date(2024, 1, 1)
    )
    expected = list(items.values_list("pk", flat=True))
    assert elsewhere.pk not in expected and len(expected) >= 5

    paginator = ItemPaginator(items, 4, forces=[f.pk for f in forces])
    pages = []
    for number in range(1, paginator.num_pages + 1):
        with django_assert_num_queries(2) as queries:  # the ids, then the rows
            pages.append([item.pk for item in paginator.page(number).object_list])
        by_force = 'U0."force_id" = ' in queries.captured_queries[0]["sql"]
        assert by_force == (connection.vendor == "sqlite")

    assert [pk for page in pages for pk in page] == expected


def test_a_count_read_already_is_not_read_again(force, lead, django_assert_num_queries):
    """The review queue's tabs count their lists; the pager takes that count."""
    inspection = factories.InspectionFactory(force=force)
    factories.ItemFactory.create_batch(5, inspection=inspection)
    items = selectors.filter_items(selectors.items_for_user(lead), {}, today=date(2024, 1, 1))

    with django_assert_num_queries(2):  # the page's ids, then its rows
        page = ItemPaginator(items, 3, count=5).get_page("2")

    assert page.number == 2 and len(page.object_list) == 2
    assert page.paginator.num_pages == 2

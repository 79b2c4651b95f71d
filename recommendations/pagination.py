"""Pages of item lists read in two steps, so a deep page stays quick on a large list."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class ItemPaginator(Paginator):
    """A page is read as its ids first (the sort and the skip on the item table alone: narrow
    rows, no joins, an index where the order has one), then those rows with everything the list
    shows. One query more than a plain page, whatever its number; the order is the list's."""

    def page(self, number) -> Page:
        page = super().page(number)
        if not isinstance(page.object_list, QuerySet):
            return page  # the list was read already
        ids = list(page.object_list.values_list("pk", flat=True))
        assert isinstance(self.object_list, QuerySet), "the page is a slice of it"
        rows = self.object_list.in_bulk(ids)
        page.object_list = [rows[pk] for pk in ids]
        return page

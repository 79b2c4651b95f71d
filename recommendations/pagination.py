"""Pages of item lists read in two steps, so a deep page stays quick on a large list."""

from __future__ import annotations

from collections.abc import Collection

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, QuerySet, Window

from recommendations.selectors import BY_DUE, in_first_of_each

# On SQLite, a list of a few forces reads its first pages force by force (see `_page_ids`):
# up to this many forces, and down to this depth (page 20 of 50 rows); past it, the one
# sorted read of every item is quicker.
BY_FORCE_MAX_FORCES = 10
BY_FORCE_MAX_DEPTH = 1_000


class ItemPaginator(Paginator):
    """A page is read as its ids first (the sort and the skip on the item table alone: narrow
    rows, no joins, an index where the order has one), then those rows with everything the list
    shows.

    With `one_pass` (a text search), the ids come with the list's count, a window over the
    same rows, so the search's filter runs once rather than once to count and again for the
    page (232 against 103 ms at a million items). Not otherwise: counting every row before
    the first is returned stops the database walking an index for the first 50 only, and an
    index answers those lists' counts alone."""

    def __init__(
        self,
        *args,
        one_pass: bool = False,
        forces: Collection[int] | None = None,
        count: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.one_pass = one_pass
        if count is not None:  # counted already by the caller, with the same conditions
            self.__dict__["count"] = count  # Paginator.count is a cached property
        # The forces the list can hold (the user's), when it is ordered by due date.
        self.forces = sorted(forces) if forces is not None else None

    def get_page(self, number) -> Page:
        """As Paginator.get_page: not a number shows the first page, past the end the last."""
        if not self.one_pass or not isinstance(self.object_list, QuerySet):
            return super().get_page(number)
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        if wanted < 1:  # as Paginator.get_page does: before the first page is the last
            return super().get_page(number)
        bottom = (wanted - 1) * self.per_page
        rows = list(
            self.object_list.annotate(list_total=Window(Count("*"))).values_list(
                "pk", "list_total"
            )[bottom : bottom + self.per_page]
        )
        if not rows:  # an empty list, or past its end: count, then the nearest page
            return super().get_page(number)
        self.__dict__["count"] = rows[0][1]  # Paginator.count is a cached property
        return self._rows_page([pk for pk, _total in rows], wanted)

    def page(self, number) -> Page:
        page = super().page(number)
        if not isinstance(page.object_list, QuerySet) or not isinstance(self.object_list, QuerySet):
            return page  # the list was read already
        return self._rows_page(self._page_ids(page.object_list), page.number)

    def _page_ids(self, sliced: QuerySet) -> list[int]:
        """The ids of the page (`sliced` is the list's slice for it).

        SQLite cannot walk one index for several forces in the list's order, so it sorted
        every open item of an inspector's five forces for each page (65 ms at a million
        items). Each force's first rows, up to the page's end, come from that force's own
        index instead; the page is the same slice of those few in the same order (3 ms for
        the first page, 11 ms for the twentieth)."""
        items = self.object_list
        assert isinstance(items, QuerySet)  # the caller checked
        bottom, top = sliced.query.low_mark, sliced.query.high_mark
        if (
            self.forces is not None
            and 1 < len(self.forces) <= BY_FORCE_MAX_FORCES
            and top is not None
            and top <= BY_FORCE_MAX_DEPTH
            and connections[items.db].vendor == "sqlite"
            and tuple(items.query.order_by) == BY_DUE
        ):
            groups = ({"force_id": force_id} for force_id in self.forces)
            sliced = items.filter(in_first_of_each(items, groups, top))[bottom:top]
        return list(sliced.values_list("pk", flat=True))

    def _rows_page(self, ids: list[int], number: int) -> Page:
        """The page of these ids, in their order, with everything the list shows."""
        items = self.object_list
        assert isinstance(items, QuerySet)  # the callers checked
        # A row of the list names its inspection and force only (item_rows); the owner and
        # the cause of concern that other pages read with an item are left out.
        rows = items.select_related(None).select_related("inspection", "force").in_bulk(ids)
        return Page([rows[pk] for pk in ids], number, self)

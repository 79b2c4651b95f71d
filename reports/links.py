"""Where each figure of the page leads: the filtered list of the items behind it.

The lists show items as they are now, so they match the figures only for a period that ends
today; for a past period a figure leads to the pack's own table of those items where it has
one, and otherwise to nothing.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from recommendations import charts
from reports.pack import Pack

# The list filter (`recommendations.forms.ItemFilterForm`) for each headline count.
COUNT_FILTERS = {
    "total": {"status": "all"},
    "open": {"status": ""},
    "overdue": {"due": "overdue"},
    "returned": {"status": "returned"},
    "new": {"status": "new"},
    "awaiting_review": {"status": "submitted"},
    "being_progressed": {"status": "being-progressed"},
    "complete": {"status": "complete"},
    "no_further_action": {"status": "no-further-action-needed"},
}
# The pack's own tables, for any period.
IN_PAGE = {
    "new": "#new",
    "completed": "#completed",
    "due_changes": "#due-changes",
    "extensions": "#due-changes",
}
PAST_COUNTS = {"overdue": "#overdue", "awaiting_review": "#awaiting-inspector"}


def _list(slug: str | None, national: bool = False) -> str:
    """A force's own list (its dashboard) for one force; the list of all the user's items for
    several (and for a national inspection, which the dashboard's filter does not offer)."""
    if slug and not national:
        return reverse("recommendations:force-dashboard", args=[slug])
    return reverse("recommendations:item-list")


def figure_links(pack: Pack, *, slug: str | None, live: bool) -> dict:
    """{"counts": {key: url}, "in_period": {key: url}, "inspections": {inspection id:
    {column: url}}} for the page's figures."""
    in_period = dict(IN_PAGE)
    if not live:
        return {"counts": dict(PAST_COUNTS), "in_period": in_period, "inspections": {}}
    base = _list(slug)
    filters = dict(COUNT_FILTERS)
    if str(pack.due_soon_days) in ("30", "90"):  # the windows the list's filter offers
        filters["due_soon"] = {"due": str(pack.due_soon_days)}
    counts = {key: f"{base}?{urlencode(query)}" for key, query in filters.items()}
    inspections = {}
    for progress in pack.by_inspection:
        url = _list(slug, progress.national)
        by: dict[str, str | int] = {"inspection": progress.inspection_id}
        inspections[progress.inspection_id] = {
            column: f"{url}?{urlencode({**by, **query})}"
            for column, query in {
                "recommendations": {"kind": "recommendation", "status": "all"},
                "recommendations_complete": {"kind": "recommendation", "status": "complete"},
                "areas": {"kind": "area-for-improvement", "status": "all"},
                "areas_complete": {"kind": "area-for-improvement", "status": "complete"},
                "open": {},
                "overdue": {"due": "overdue"},
            }.items()
        }
    return {"counts": counts, "in_period": in_period, "inspections": inspections}


def page_charts(pack: Pack) -> dict:
    """The dashboard's two charts (SVG geometry), drawn from the pack's figures."""
    rows = [
        {
            "inspection_id": n,
            "inspection__title": f"{p.force}: {p.title}" if pack.several_forces else p.title,
            "rag_value": rag,
            "count": count,
        }
        for n, p in enumerate(pack.by_inspection)
        for rag, count in p.rag.items()
    ]
    return {"rag": charts.rag_bars(rows), "trend": charts.line_chart(pack.trend)}

"""The rows of an item table, rendered in Python.

Every list page (item lists, the dashboard, the inspection page, the review queue) shows up
to 50 or 100 of these rows. Written as template markup, a row resolved about thirty
variables and filters and cost about a millisecond: two thirds of a list page's time
(docs/decisions/0020). The markup is the same as the template's was; the header, caption and
empty state stay in templates/includes/items_table.html.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from recommendations.templatetags.tracker import rag_tag, status_tag

register = template.Library()

# A placeholder key reversed once a render: `reverse` for each row cost more than the row's text.
_PLACEHOLDER = 987654321


def _day(value: date | datetime | None, months: list[str]) -> str:
    """ "4 Mar 2026", as the date filter "j M Y" writes it (a time in the local zone);
    `months` are the month abbreviations, read once a table."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {months[value.month - 1]} {value.year}"


def _months() -> list[str]:
    # As django.utils.dateformat's "M": the translated three-letter name, capitalised.
    return [str(MONTHS_3[month]).title() for month in range(1, 13)]


def _due(item: Any, months: list[str]) -> str:
    if not item.due_on:
        return "No deadline"
    html = _day(item.due_on, months)
    if item.deadline_rule == "immediate":
        html += '<span class="govuk-body-s govuk-!-display-block">immediate</span>'
    extensions = getattr(item, "extension_count", 0)
    if extensions:
        times = "time" if extensions == 1 else "times"
        html += (
            f'<span class="govuk-body-s govuk-!-display-block">extended {extensions} {times}</span>'
        )
    return html


def _row(
    item: Any,
    context: Any,
    url: str,
    months: list[str],
    *,
    show_force: bool,
    review: bool,
    new: bool,
    bulk: bool,
) -> str:
    # Every text from the database goes through `escape`; the rest is this module's markup.
    pk = int(item.pk)
    label = escape(item.label)
    force = escape(str(item.force)) if show_force or review else ""
    also_force = f", {force}" if show_force else ""
    cells = []
    if bulk:
        cells.append(
            '<td class="govuk-table__cell app-select-cell"><div class="govuk-checkboxes'
            ' govuk-checkboxes--small" data-module="govuk-checkboxes"><div'
            ' class="govuk-checkboxes__item"><input class="govuk-checkboxes__input"'
            f' type="checkbox" name="bulk-items" value="{pk}" id="select-{pk}" form="bulk-form">'
            f'<label class="govuk-label govuk-checkboxes__label" for="select-{pk}"><span'
            f' class="govuk-visually-hidden">Select {label}{also_force}</span></label></div>'
            "</div></td>"
        )
    hidden_force = f'<span class="govuk-visually-hidden">{also_force}</span>' if show_force else ""
    force_line = (
        f'\n        <span class="govuk-body-s govuk-!-display-block">{force}</span>'
        if show_force and not review
        else ""
    )
    cells.append(
        f'<td class="govuk-table__cell">\n        <a class="govuk-link"'
        f' href="{url.replace(str(_PLACEHOLDER), str(pk))}">{label}{hidden_force}</a>\n'
        f'        <span class="govuk-body-s govuk-!-display-block">'
        f"{escape(Truncator(item.text).words(18, truncate=' …'))}</span>{force_line}\n      </td>"
    )
    if review:
        heading = "Published" if new else "Submitted"
        when = item.inspection.published_on if new else item.submitted_at
        cells.append(f'<td class="govuk-table__cell" data-label="Force">{force}</td>')
        cells.append(
            f'<td class="govuk-table__cell" data-label="{heading}">{_day(when, months)}</td>'
        )
    else:
        cells.append(
            '<td class="govuk-table__cell govuk-body-s" data-label="Inspection">'
            f"{escape(item.inspection.title)}</td>"
        )
    cells.append(f'<td class="govuk-table__cell" data-label="Due">{_due(item, months)}</td>')
    if not review:
        status = status_tag(item.status, item.get_status_display())
        cells.append(f'<td class="govuk-table__cell" data-label="Status">{status}</td>')
    cells.append(f'<td class="govuk-table__cell" data-label="RAG">{rag_tag(context, item)}</td>')
    return '    <tr class="govuk-table__row">\n      ' + "\n      ".join(cells) + "\n    </tr>\n"


@register.simple_tag(takes_context=True)
def item_rows(
    context: Any,
    items: Iterable[Any],
    *,
    show_force: bool = False,
    review: bool = False,
    new: bool = False,
    bulk: bool = False,
) -> SafeString:
    """The table body's rows: each item's link and text, inspection (or, in the review queue,
    force and date), due date, status and RAG; with a checkbox when `bulk`."""
    url = reverse("recommendations:item-detail", args=[_PLACEHOLDER])
    flags = {
        "show_force": bool(show_force),
        "review": bool(review),
        "new": bool(new),
        "bulk": bool(bulk),
    }
    months = _months()
    rows = "".join(_row(item, context, url, months, **flags) for item in items)
    return mark_safe(rows)  # noqa: S308 - _row escapes every text from the database

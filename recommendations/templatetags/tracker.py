from django import template
from django.template.defaultfilters import pluralize
from django.utils.html import format_html

from recommendations.models import MonitoringStage, Rag, Status

register = template.Library()


@register.simple_tag(takes_context=True)
def query_without_page(context) -> str:
    """The current filters as a query string prefix for pagination links."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


@register.filter
def stage_label(value: str) -> str:
    """The words for a monitoring stage slug, as the dashboard shows them."""
    try:
        return MonitoringStage(value).label
    except ValueError:
        return value


@register.filter
def status_label(value: str) -> str:
    """The words for a status slug, for timeline entries that store the slug."""
    try:
        return Status(value).label
    except ValueError:
        return value


@register.filter
def thousands(value: int) -> str | int:
    """1354 -> "1,354", as the e-mails write day counts (anything else unchanged)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


# Table rows render these tags as Python rather than an include each: an include per row made
# a page of thousands of rows take seconds.
_STATUS_TAGS: dict[str, str] = {
    Status.AWAITING_REVIEW: "govuk-tag--blue",
    Status.BEING_PROGRESSED: "govuk-tag--yellow",
    Status.COMPLETE: "govuk-tag--green",
}


@register.simple_tag
def status_tag(status: str, label: str) -> str:
    """The GOV.UK tag for a status, in its colour."""
    css = _STATUS_TAGS.get(status, "govuk-tag--grey")
    return format_html('<strong class="govuk-tag {}">{}</strong>', css, label)


@register.simple_tag(takes_context=True)
def rag_tag(context, item) -> str:
    """The item's RAG: the words and colour of recommendations.models.Rag, with how late or
    how soon (as of the page's `today`, read once by the view, else today)."""
    today = context.get("today")
    rag = item.rag(today)
    tag = format_html(
        '<strong class="govuk-tag {} app-rag-tag" data-rag="{}">{}</strong>',
        rag.tag_class,
        rag.value,
        rag.label,
    )
    if rag == Rag.OVERDUE:
        days = item.days_overdue(today)
        note = f"by {days:,} day{pluralize(days)}"
    elif rag == Rag.DUE_SOON:
        days = item.days_until_due(today)
        note = {0: "due today", 1: "due tomorrow"}.get(days, f"due in {days} days")
    else:
        return tag
    return format_html(
        '{}<span class="govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">{}</span>',
        tag,
        note,
    )

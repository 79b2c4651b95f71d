from django import template

from recommendations.models import MonitoringStage, Status

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

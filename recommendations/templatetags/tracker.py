from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_without_page(context) -> str:
    """The current filters as a query string prefix for pagination links."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""

from django import template

from accounts import selectors
from accounts.services import MAX_SAVED_VIEWS, list_filters
from tracker.errors import ServiceError

register = template.Library()


@register.simple_tag(takes_context=True)
def saved_views_of_this_list(context) -> list:
    """The signed-in user's saved views of the list being shown (one query)."""
    request = context["request"]
    return list(selectors.saved_views_for(request.user, path=request.path)[:MAX_SAVED_VIEWS])


@register.simple_tag(takes_context=True)
def current_filters(context) -> str:
    """The list's filters as they are now, to save under a name."""
    try:
        return list_filters(context["request"].GET.urlencode())
    except ServiceError:
        return ""

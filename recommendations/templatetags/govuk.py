"""Page-wide GOV.UK patterns that base.html needs on every page, error pages included (which
render without a request, so these read settings and the template context, never the database)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.forms import BaseForm

register = template.Library()


def _shows_errors(value, depth: int = 2) -> bool:
    # type(), not isinstance(): isinstance would evaluate lazy objects such as csrf_token
    # (which would set a CSRF cookie on every page) or the user.
    kind = type(value)
    if issubclass(kind, BaseForm):
        return value.is_bound and bool(value.errors)
    if depth and kind in (list, tuple):
        return any(_shows_errors(entry, depth - 1) for entry in value)
    if depth and kind is dict:
        return any(_shows_errors(entry, depth - 1) for entry in value.values())
    return False


@register.simple_tag(takes_context=True)
def error_prefix(context) -> str:
    """ "Error: " before the page title when the page shows an error summary (GOV.UK), that is
    when any form in the page's context (or in a list of forms) has errors, or the page passes
    the links of its own error summary as ``errors``."""
    values = context.flatten()
    own_summary = values.get("errors")
    if type(own_summary) in (list, tuple) and own_summary:
        return "Error: "
    return "Error: " if any(_shows_errors(value) for value in values.values()) else ""


@register.simple_tag
def feedback_url() -> str:
    """Where the beta banner's feedback link goes (TRACKER_FEEDBACK_URL)."""
    return settings.TRACKER_FEEDBACK_URL

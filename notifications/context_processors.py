"""The signed-in user's unread count, for the header of every page."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from notifications import selectors


def unread_for_request(request) -> int:
    """Counted once per request, however often the page shows it."""
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = selectors.unread_count(request.user)
    return request._unread_notifications


def inbox(request) -> dict:
    """`unread_notifications`: counted only if the page shows it (one query, no query on
    pages that do not), and only for a signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_for_request(request))}

"""Reads of a user's own settings."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import SavedView, User


def saved_views_for(user: User, *, path: str | None = None) -> QuerySet[SavedView]:
    """The user's saved views, by name; only those of one list when `path` is given."""
    views = SavedView.objects.filter(user_id=user.pk).order_by("name", "pk")
    return views.filter(path=path) if path is not None else views

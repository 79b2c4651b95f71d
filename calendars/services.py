"""Making, using and revoking calendar feed addresses."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from calendars.models import CalendarFeed, token_hash
from tracker.errors import NotAllowed

if TYPE_CHECKING:
    from accounts.models import User

# A feed is polled every few minutes by calendar programs: its "last used" time is written at
# most this often, so polling does not write to the database on every request.
LAST_USED_RESOLUTION = timedelta(minutes=15)


@transaction.atomic
def calendar_feed_create(*, user: User) -> str:
    """Give the user a new secret feed address and return its token (shown once, stored only
    as a hash); the previous address, if any, stops working at once."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise NotAllowed("Sign in to make a calendar feed.")
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user,
        defaults={
            "token_hash": token_hash(token),
            "created_at": timezone.now(),
            "last_used_at": None,
        },
    )
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> bool:
    """Turn the user's feed off: its address stops working. False if there was none."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def calendar_feed_use(*, token: str) -> CalendarFeed | None:
    """The feed a token opens, noting when it was last read; None for a token that was never
    issued, has been replaced or revoked, or belongs to a deactivated account."""
    if not token or len(token) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user", "user__force")
        .filter(token_hash=token_hash(token), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at >= LAST_USED_RESOLUTION:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
        feed.last_used_at = now
    return feed

"""Each user's secret calendar feed address."""

import hashlib

from django.conf import settings
from django.db import models


def token_hash(token: str) -> str:
    """What is stored of a feed token: its SHA-256. The token is 256 random bits, so a fast
    hash is enough; the address itself is shown once, when it is made."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A user's calendar feed: whoever holds the address reads the user's due dates, so only
    its hash is kept; making a new address or turning the feed off revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

"""Use cases of personal API tokens: make one (its secret shown once), revoke one, record use."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from api.models import TOKEN_PREFIX, ApiToken, TokenScope, token_hash
from recommendations.rules import is_administrator
from tracker.errors import InvalidInput, NotAllowed

if TYPE_CHECKING:
    from accounts.models import User

# How often the last-used time is written: every request would make every read a write.
LAST_USED_PRECISION = timedelta(minutes=1)


def live_tokens(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


@transaction.atomic
def api_token_create(
    *, user: User, name: str, scope: str, lifetime_days: int
) -> tuple[ApiToken, str]:
    """Make a token for the user's own use, returning it and its secret, which is never
    stored and cannot be shown again. It expires after `lifetime_days` (at most
    API_TOKEN_MAX_DAYS); a user holds at most API_TOKENS_PER_USER live tokens."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        raise NotAllowed("Sign in to make an API token.")
    name = (name or "").strip()
    if not name:
        raise InvalidInput("Enter a name for the token", field="name")
    if scope not in TokenScope.values:
        raise InvalidInput("Choose what the token may do", field="scope")
    if not 1 <= lifetime_days <= settings.API_TOKEN_MAX_DAYS:
        raise InvalidInput(
            f"Choose when the token expires: within {settings.API_TOKEN_MAX_DAYS} days",
            field="lifetime_days",
        )
    # Locks the user's row, so two requests at once cannot both take the last place.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if live_tokens(user).count() >= settings.API_TOKENS_PER_USER:
        raise InvalidInput(
            f"You already have {settings.API_TOKENS_PER_USER} active tokens: "
            "revoke one you no longer use first"
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        hint=secret[: len(TOKEN_PREFIX) + 4],
        key_hash=token_hash(secret),
        expires_at=timezone.now() + timedelta(days=lifetime_days),
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, user: User) -> ApiToken:
    """The token's owner (or an administrator, e.g. for a leaked token) revokes it; it is
    refused from the next request on."""
    if token.user_id != getattr(user, "pk", None) and not is_administrator(user):
        raise NotAllowed("You can only revoke your own tokens.")
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if not updated:
        raise NotAllowed("This token is already revoked.")
    token.refresh_from_db()
    return token


def api_token_record_use(token: ApiToken) -> None:
    """Note when the token was last used, to the minute (one write a minute at most)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now

"""`Authorization: Bearer <token>` with a personal API token."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api.models import ApiToken, token_hash
from api.services import api_token_record_use


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A live token (not revoked, not expired) of an active user authenticates as that user;
    `request.auth` is the token, so its scope can be checked. Any other bearer token is
    refused with 401, saying why without revealing whose it was."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None  # not ours: the session may authenticate the request
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as “Authorization: Bearer <token>”."
            )
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError as wrong:
            raise exceptions.AuthenticationFailed("This token is not valid.") from wrong
        token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(secret)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("This token is not valid.")
        if token.is_revoked:
            raise exceptions.AuthenticationFailed("This token has been revoked.")
        if token.is_expired(timezone.now()):
            raise exceptions.AuthenticationFailed("This token has expired.")
        api_token_record_use(token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How the schema (and the docs page's "Authorize" button) describes the token."""

    target_class = BearerTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token, made on the “API tokens” page.",
        }

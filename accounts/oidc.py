"""Single sign-on with OpenID Connect (mozilla-django-oidc), configured from the environment.

Off unless OIDC_RP_CLIENT_ID and the provider's endpoints (or its discovery document) are set.
The provider only proves who someone is: the tracker matches their verified e-mail address
(case-insensitively) to an existing active account, whose role and forces are granted here.
An unknown address is refused, or (TRACKER_OIDC_CREATE_USERS) given an account with no role.

The ID token is checked more strictly than mozilla-django-oidc does by default: signature,
audience (our client id), issuer, expiry and issue time, nonce, and the user info's subject.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts import services
from accounts.models import User

log = logging.getLogger(__name__)

BACKEND = "accounts.oidc.SignOnBackend"
DISCOVERY_CACHE_SECONDS = 3600


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read, or lacks an endpoint."""


@dataclass(frozen=True)
class Provider:
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    issuer: str


def sso_enabled() -> bool:
    return bool(
        settings.OIDC_RP_CLIENT_ID
        and (settings.OIDC_OP_DISCOVERY_URL or settings.OIDC_OP_AUTHORIZATION_ENDPOINT)
    )


def _discovered() -> dict:
    url = settings.OIDC_OP_DISCOVERY_URL
    if not url:
        return {}
    key = f"oidc:discovery:{url}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as failure:
            raise ProviderUnavailable(f"Cannot read {url}: {failure}") from failure
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def provider() -> Provider:
    """The provider's endpoints: those set in the environment, the rest from discovery."""
    found = _discovered()
    endpoints = {
        "authorization_endpoint": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.OIDC_OP_TOKEN_ENDPOINT,
        "userinfo_endpoint": settings.OIDC_OP_USER_ENDPOINT,
        "jwks_uri": settings.OIDC_OP_JWKS_ENDPOINT,
        "issuer": settings.OIDC_OP_ISSUER,
    }
    endpoints = {name: value or str(found.get(name) or "") for name, value in endpoints.items()}
    missing = [name for name, value in endpoints.items() if not value and name != "issuer"]
    if missing:
        raise ProviderUnavailable(f"No {', '.join(missing)} for the OpenID Connect provider")
    return Provider(**endpoints)


class Refused(Exception):
    """A sign-in the tracker turns down, with the reason shown to the person."""

    def __init__(self, reason: str, email: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.email = email


class SignOnBackend(OIDCAuthenticationBackend):
    """Exchanges the code, checks the tokens and finds the tracker account.

    Only the sign-on callback calls it (with a nonce): password sign-ins never reach it, since
    Django skips a backend whose `authenticate` does not accept the credentials given.
    """

    def __init__(self, *args, **kwargs):
        # mozilla-django-oidc reads its settings here and fails if they are absent; ours are
        # read at each sign-in instead, so the backend loads (for sessions) with SSO off.
        self.UserModel = get_user_model()

    def _configure(self) -> None:
        found = provider()
        self.OIDC_OP_TOKEN_ENDPOINT = found.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = found.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = found.jwks_uri
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.issuer = found.issuer

    def authenticate(self, request, *, nonce: str, code_verifier: str | None = None):
        """The account for the code in the callback; raises Refused with the reason."""
        if request is None or not sso_enabled():
            return None
        try:
            self._configure()
            user = super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except Refused:
            raise
        except (
            ProviderUnavailable,
            SuspiciousOperation,
            jwt.PyJWTError,
            requests.RequestException,
            KeyError,
            TypeError,
            ValueError,
        ) as failure:
            log.warning("Single sign-on refused: %s", failure)
            raise Refused("failed") from failure
        if user is None:
            raise Refused("failed")
        return user

    def _verify_jws(self, payload, key):
        """The signature with the expected algorithm, and the claims that say the token was
        issued by our provider, for us, recently (OpenID Connect Core 3.1.3.7)."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"Token signed with {header.get('alg')!r}")
        claims = jwt.decode(
            payload,
            key,
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=self.issuer or None,
            leeway=settings.OIDC_LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "aud", "sub"]},
        )
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("Token for several audiences without us as its azp")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The user info is about someone else")
        email = str(claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            raise Refused("no-email")
        matches = list(User.objects.filter(email__iexact=email).order_by("pk")[:2])
        if len(matches) > 1:
            raise Refused("ambiguous", email)
        if matches:
            if not matches[0].is_active:
                raise Refused("inactive", email)
            return matches[0]
        if settings.TRACKER_OIDC_CREATE_USERS:
            return services.user_create_from_sign_on(
                email=email,
                first_name=str(claims.get("given_name") or ""),
                last_name=str(claims.get("family_name") or ""),
            )
        raise Refused("unknown", email)

    def get_user(self, user_id):
        # ModelBackend's: a deactivated account's session ends at its next request.
        return ModelBackend.get_user(self, user_id)

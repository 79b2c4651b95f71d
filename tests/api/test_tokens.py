"""Personal API tokens: made and revoked on a page, shown once, stored hashed, with an expiry,
a last-used time and a scope; the API refuses any token that is not live."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken, TokenScope
from api.services import api_token_create, api_token_revoke
from tests import factories
from tests.api.conftest import token_for
from tracker.errors import InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db

ITEMS = "/api/items/"


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def make_on_the_page(client, **data) -> str:
    """Make a token on the page; returns the secret the page shows."""
    response = client.post(
        reverse("tokens:list"),
        {"name": "Power BI", "scope": "read", "lifetime_days": "30", **data},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return re.search(r'value="(trk_[^"]+)"', response.content.decode()).group(1)


def test_a_token_made_on_the_page_is_shown_once_and_stored_hashed(client, lead):
    client.force_login(lead)
    assert client.get(reverse("tokens:list")).status_code == 200

    secret = make_on_the_page(client)

    token = ApiToken.objects.get(user=lead)
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())  # only its hash is kept
    assert len(secret) >= 40
    listing = client.get(reverse("tokens:list")).content.decode()
    assert "Power BI" in listing and token.hint in listing
    assert secret not in listing  # never shown again
    assert token.scope == TokenScope.READ
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert bearer(secret).get(ITEMS).status_code == 200


def test_the_page_explains_what_is_wrong(client, lead):
    client.force_login(lead)
    response = client.post(reverse("tokens:list"), {"name": "", "scope": "admin"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter name" in page
    assert not ApiToken.objects.exists()


def test_tokens_page_needs_sign_in_and_is_linked_from_every_page(client, lead):
    response = client.get(reverse("tokens:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(lead)
    home = client.get(reverse("recommendations:item-list")).content.decode()
    assert f'href="{reverse("tokens:list")}"' in home


def test_revoking_on_the_page_stops_the_token_at_once(client, lead):
    client.force_login(lead)
    secret = make_on_the_page(client)
    token = ApiToken.objects.get(user=lead)
    api = bearer(secret)
    assert api.get(ITEMS).status_code == 200
    url = reverse("tokens:revoke", args=[token.pk])
    assert "Are you sure" in client.get(url).content.decode()

    response = client.post(url)

    assert response.status_code == 302
    refused = api.get(ITEMS)
    assert refused.status_code == 401
    assert refused.json()["detail"] == "This token has been revoked."
    assert refused["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "Revoked" in client.get(reverse("tokens:list")).content.decode()


def test_nobody_revokes_or_sees_someone_elses_token(client, lead, other_lead):
    secret = token_for(lead)
    token = ApiToken.objects.get(user=lead)
    client.force_login(other_lead)
    assert client.get(reverse("tokens:revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("tokens:revoke", args=[token.pk])).status_code == 404
    assert token.name not in client.get(reverse("tokens:list")).content.decode()
    assert bearer(secret).get(ITEMS).status_code == 200
    with pytest.raises(NotAllowed):
        api_token_revoke(token=token, user=other_lead)


def test_an_administrator_may_revoke_any_token(lead, administrator):
    secret = token_for(lead)
    api_token_revoke(token=ApiToken.objects.get(user=lead), user=administrator)
    assert bearer(secret).get(ITEMS).status_code == 401


def test_expired_tokens_are_refused(lead, time_machine):
    secret = token_for(lead, days=7)
    time_machine.shift(timedelta(days=7, seconds=1))
    response = bearer(secret).get(ITEMS)
    assert response.status_code == 401
    assert response.json()["detail"] == "This token has expired."


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer trk_wrong", "Bearer a b", "Bearer \u00e9t\u00e9"],
)
def test_unknown_or_malformed_tokens_are_refused(lead, header):
    token_for(lead)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    response = client.get(ITEMS)
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


def test_a_read_only_token_reads_but_never_writes(lead, item):
    secret = token_for(lead, scope=TokenScope.READ)
    api = bearer(secret)
    assert api.get(ITEMS).status_code == 200
    response = api.post(
        reverse("api:item-progress-updates", args=[item.pk]), {"text": "No"}, format="json"
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


def test_last_used_time_is_recorded_to_the_minute(lead, time_machine):
    secret = token_for(lead)
    token = ApiToken.objects.get(user=lead)
    assert token.last_used_at is None
    bearer(secret).get(ITEMS)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    time_machine.shift(timedelta(seconds=10))
    bearer(secret).get(ITEMS)
    token.refresh_from_db()
    assert token.last_used_at == first  # not a write per request
    time_machine.shift(timedelta(minutes=2))
    bearer(secret).get(ITEMS)
    token.refresh_from_db()
    assert token.last_used_at > first


def test_lifetime_and_number_of_tokens_are_bounded(lead, settings):
    settings.API_TOKEN_MAX_DAYS = 90
    settings.API_TOKENS_PER_USER = 2
    with pytest.raises(InvalidInput):
        api_token_create(user=lead, name="Long", scope=TokenScope.READ, lifetime_days=365)
    for n in range(2):
        api_token_create(user=lead, name=f"T{n}", scope=TokenScope.READ, lifetime_days=30)
    with pytest.raises(InvalidInput):
        api_token_create(user=lead, name="Third", scope=TokenScope.READ, lifetime_days=30)
    api_token_revoke(token=ApiToken.objects.first(), user=lead)
    api_token_create(user=lead, name="Third", scope=TokenScope.READ, lifetime_days=30)


def test_a_deactivated_user_cannot_make_a_token():
    user = factories.ForceLeadFactory(is_active=False)
    with pytest.raises(NotAllowed):
        api_token_create(user=user, name="T", scope=TokenScope.READ, lifetime_days=7)


def test_administrators_list_and_revoke_tokens_in_the_admin_without_seeing_secrets(client, lead):
    secret = token_for(lead)
    token = ApiToken.objects.get(user=lead)
    client.force_login(factories.AdministratorFactory(is_superuser=True))
    listing = client.get(reverse("admin:api_apitoken_changelist"))
    assert listing.status_code == 200
    assert token.hint in listing.content.decode()
    assert secret not in listing.content.decode()
    assert client.get(reverse("admin:api_apitoken_add")).status_code == 403
    response = client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    assert bearer(secret).get(ITEMS).status_code == 401

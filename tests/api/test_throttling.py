"""Requests are rate-limited per token (API_THROTTLE_RATE)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.api.conftest import token_for

pytestmark = pytest.mark.django_db

ITEMS = "/api/items/"


@pytest.fixture(autouse=True)
def _fresh_counts():
    """The counts live in the cache: each test starts with none, and leaves none."""
    cache.clear()
    yield
    cache.clear()


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_token_over_its_rate_waits(lead, settings, time_machine):
    settings.API_THROTTLE_RATE = "3/minute"
    first, second = bearer(token_for(lead)), bearer(token_for(lead))
    assert [first.get(ITEMS).status_code for _ in range(3)] == [200, 200, 200]

    refused = first.get(ITEMS)

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"].lower()
    # Counted per token: another token of the same user has its own allowance.
    assert second.get(ITEMS).status_code == 200
    time_machine.shift(timedelta(seconds=61))
    assert first.get(ITEMS).status_code == 200


def test_the_browsable_api_is_limited_per_user(lead, client, settings):
    settings.API_THROTTLE_RATE = "2/hour"
    client.force_login(lead)
    assert [client.get(ITEMS).status_code for _ in range(3)] == [200, 200, 429]

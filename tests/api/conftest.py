"""Two forces, each with one of everything the API serves, and a token for every role."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken, TokenScope, token_hash
from api.services import api_token_create
from recommendations.models import Status, TimelineKind
from tests import factories

# A fixed "today" for every API test: the world's dates are built around it.
TODAY = date(2024, 6, 3)

# Every way of calling the API that the tests check, by the name the tests use.
ROLES = (
    "lead",
    "owner",
    "sponsor",
    "inspector",
    "other_inspector",
    "other_lead",
    "administrator",
    "anonymous",
    "read_only_token",
    "expired_token",
)
# Who sees force A's data (read-only and expired tokens are the lead's).
SEES_A = {"lead", "owner", "sponsor", "inspector", "administrator", "read_only_token"}
SEES_B = {"other_inspector", "other_lead", "administrator"}


@pytest.fixture(scope="session")
def live_server(live_server_settings, live_server):
    """pytest-django's live server (for the contract test), started with the settings below."""
    return live_server


@pytest.fixture(scope="session")
def live_server_settings() -> Iterator[None]:
    """As tests/browser does: the security middleware reads SECURE_SSL_REDIRECT once, when
    the live server builds it, before any per-test settings apply."""
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(autouse=True)
def _today(time_machine):
    zone = timezone.get_current_timezone()
    time_machine.move_to(datetime.combine(TODAY, time(10), tzinfo=zone), tick=True)


def make_side(force, *, lead, owner) -> SimpleNamespace:
    """One force's data: an inspection with grades, a cause of concern, an open item with an
    action, a progress update, evidence (a file and a link) and timeline entries."""
    inspection = factories.InspectionFactory(force=force)
    judgment = factories.GradedJudgmentFactory(inspection=inspection, area="Investigating crime")
    cause = factories.CauseOfConcernFactory(inspection=inspection)
    item = factories.ItemFactory(
        inspection=inspection,
        cause_of_concern=cause,
        status=Status.BEING_PROGRESSED,
        due_on=TODAY - timedelta(days=10),
        owner=owner,
    )
    closed = factories.ItemFactory(
        inspection=inspection, status=Status.COMPLETE, due_on=TODAY + timedelta(days=60)
    )
    action = factories.ActionFactory(item=item, owner=owner)
    update = factories.ProgressUpdateFactory(item=item, author=lead)
    file_evidence = factories.FileEvidenceFactory(item=item, uploaded_by=lead)
    link_evidence = factories.LinkEvidenceFactory(item=item, uploaded_by=lead)
    entry = factories.TimelineEntryFactory(item=item, kind=TimelineKind.COMMENT, actor=lead)
    cause_entry = factories.TimelineEntryFactory(
        item=None, cause_of_concern=cause, kind=TimelineKind.CAUSE_OF_CONCERN_CLOSED
    )
    return SimpleNamespace(
        force=force,
        inspection=inspection,
        judgment=judgment,
        cause=cause,
        item=item,
        closed=closed,
        action=action,
        update=update,
        file_evidence=file_evidence,
        link_evidence=link_evidence,
        entry=entry,
        cause_entry=cause_entry,
    )


def token_for(user, *, scope=TokenScope.READ_WRITE, days=30) -> str:
    _token, secret = api_token_create(user=user, name="Test", scope=scope, lifetime_days=days)
    return secret


@pytest.fixture
def world(force, other_force, lead, owner, sponsor, inspector, other_inspector, other_lead):
    admin = factories.AdministratorFactory(username="api-admin")
    users = {
        "lead": lead,
        "owner": owner,
        "sponsor": sponsor,
        "inspector": inspector,
        "other_inspector": other_inspector,
        "other_lead": other_lead,
        "administrator": admin,
    }
    tokens = {role: token_for(user) for role, user in users.items()}
    tokens["read_only_token"] = token_for(lead, scope=TokenScope.READ)
    tokens["expired_token"] = token_for(lead, days=1)
    ApiToken.objects.filter(key_hash=token_hash(tokens["expired_token"])).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    return SimpleNamespace(
        a=make_side(force, lead=lead, owner=owner),
        b=make_side(other_force, lead=other_lead, owner=other_lead),
        users=users,
        tokens=tokens,
    )


def api_client(world, role: str) -> APIClient:
    """A client calling as `role`: with that role's token (the anonymous one with none)."""
    client = APIClient()
    if role != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {world.tokens[role]}")
    return client

"""Dates outside 1 January 2000 to 31 December 2100 are typing mistakes: every service that
takes a date refuses them with a clear message, whoever calls it (a form, the API, a task)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from recommendations import services
from recommendations.models import Action, CauseOfConcern, Item, MonitoringStageChange, Status
from tests import factories
from tracker.errors import InvalidInput

pytestmark = pytest.mark.django_db

FAR = [date(1, 1, 1), date(1999, 12, 31), date(2101, 1, 1), date(9999, 12, 31)]


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(datetime(2025, 3, 10, 10, tzinfo=UTC), tick=False)


@pytest.fixture
def item(force):
    return factories.ItemFactory(inspection__force=force, status=Status.BEING_PROGRESSED)


@pytest.mark.parametrize("day", FAR)
def test_every_dated_service_refuses_a_date_out_of_range(day, item, force, lead, inspector):
    action = factories.ActionFactory(item=item)
    cause = factories.CauseOfConcernFactory(inspection=item.inspection)
    calls = [
        lambda: services.item_change_due_date(item=item, user=inspector, due_on=day, reason="r"),
        lambda: services.extension_request_create(item=item, user=lead, due_on=day, reason="r"),
        lambda: services.action_create(item=item, user=lead, description="d", target_on=day),
        lambda: services.action_update(
            action=action, user=lead, description="d", target_on=day, status=action.status
        ),
        lambda: services.cause_of_concern_close(
            cause_of_concern=cause, user=inspector, closed_on=day, letter_reference="L"
        ),
        lambda: services.force_record_monitoring_stage(
            force=force, user=inspector, stage="engage", started_on=day
        ),
    ]
    for call in calls:
        with pytest.raises(InvalidInput) as refused:
            call()
        assert "between 1 January 2000 and 31 December 2100" in refused.value.message
    assert Item.objects.get(pk=item.pk).due_on == item.due_on
    assert not item.extension_requests.exists()
    assert Action.objects.count() == 1
    assert CauseOfConcern.objects.get(pk=cause.pk).closed_on is None
    assert not MonitoringStageChange.objects.exists()

"""Extension requests: the force lead asks for a later due date with a reason, the force's
inspectors are told and approve (the date moves, the original is kept, the extension counted)
or refuse with a reason (the date stays). Reminders follow the approved date only."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from notifications.models import Kind, Notification
from recommendations import services
from recommendations.models import ExtensionState, Item, Status, TimelineEntry, TimelineKind
from tests import factories
from tests.dates import date_fields
from tracker.errors import InvalidInput, NotAllowed, StaleDecision

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 10)
DUE = date(2025, 4, 15)
ASKED = date(2025, 6, 30)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(datetime(2025, 3, 10, 9, tzinfo=ZoneInfo("Europe/London")), tick=False)


@pytest.fixture
def item(force, owner):
    return factories.ItemFactory(
        inspection__force=force,
        status=Status.BEING_PROGRESSED,
        due_on=DUE,
        reference="9207/1",
        owner=owner,
    )


def ask(item, lead, due_on=ASKED, reason="The audit needs another quarter."):
    return services.extension_request_create(item=item, user=lead, due_on=due_on, reason=reason)


def test_a_request_leaves_the_due_date_and_tells_the_inspectors(item, lead, inspector, owner):
    request = ask(item, lead)

    stored = Item.objects.get(pk=item.pk)
    assert stored.due_on == DUE and stored.extension_count == 0
    assert request.state == ExtensionState.PENDING
    entry = TimelineEntry.objects.get(item=item, kind=TimelineKind.EXTENSION_REQUESTED)
    assert (entry.actor, entry.due_from, entry.due_to) == (lead, DUE, ASKED)
    told = Notification.objects.filter(kind=Kind.EXTENSION_REQUESTED)
    assert [n.recipient for n in told] == [inspector]


def test_approval_moves_the_due_date_keeps_the_original_and_counts_it(item, lead, owner, inspector):
    services.extension_request_decide(request=ask(item, lead), user=inspector, approve=True)

    stored = Item.objects.get(pk=item.pk)
    assert (stored.due_on, stored.original_due_on, stored.extension_count) == (ASKED, DUE, 1)
    entry = TimelineEntry.objects.get(item=item, kind=TimelineKind.EXTENSION_APPROVED)
    assert (entry.actor, entry.due_from, entry.due_to) == (inspector, DUE, ASKED)
    told = Notification.objects.filter(kind=Kind.EXTENSION_DECISION)
    assert sorted(n.recipient.username for n in told) == ["lead", "owner"]


def test_refusal_needs_a_reason_and_leaves_the_date(item, lead, inspector):
    request = ask(item, lead)
    with pytest.raises(InvalidInput):
        services.extension_request_decide(request=request, user=inspector, approve=False)

    services.extension_request_decide(
        request=request, user=inspector, approve=False, comment="Finish the audit first."
    )

    stored = Item.objects.get(pk=item.pk)
    assert (stored.due_on, stored.extension_count) == (DUE, 0)
    request.refresh_from_db()
    assert request.state == ExtensionState.REFUSED
    entry = TimelineEntry.objects.get(item=item, kind=TimelineKind.EXTENSION_REFUSED)
    assert entry.comment == "Finish the audit first."


def test_a_decided_request_cannot_be_decided_again(item, lead, inspector):
    request = ask(item, lead)
    services.extension_request_decide(request=request, user=inspector, approve=True)
    with pytest.raises(StaleDecision) as refused:
        services.extension_request_decide(
            request=request, user=inspector, approve=False, comment="No."
        )
    assert "already approved" in refused.value.message
    assert Item.objects.get(pk=item.pk).due_on == ASKED


def test_one_request_waits_at_a_time(item, lead):
    ask(item, lead)
    with pytest.raises(NotAllowed):
        ask(item, lead, due_on=ASKED + timedelta(days=1))


@pytest.mark.parametrize(
    ("due_on", "message"),
    [
        (TODAY, "The new due date must be in the future"),
        (DUE - timedelta(days=1), "The new due date must be later than the current one"),
        (DUE, "The new due date must be later than the current one"),
    ],
)
def test_the_new_date_must_be_later(item, lead, due_on, message):
    with pytest.raises(InvalidInput) as refused:
        ask(item, lead, due_on=due_on)
    assert refused.value.message == message


@pytest.mark.parametrize("who", ["owner", "sponsor", "inspector", "other_lead"])
def test_only_the_forces_lead_may_ask(item, who, request):
    with pytest.raises(NotAllowed):
        ask(item, request.getfixturevalue(who))
    assert not item.extension_requests.exists()


@pytest.mark.parametrize("who", ["lead", "owner", "other_inspector"])
def test_only_the_forces_inspectors_may_decide(item, lead, who, request):
    extension = ask(item, lead)
    with pytest.raises(NotAllowed):
        services.extension_request_decide(
            request=extension, user=request.getfixturevalue(who), approve=True
        )
    assert Item.objects.get(pk=item.pk).due_on == DUE


@pytest.mark.parametrize("status", [Status.COMPLETE, Status.NO_FURTHER_ACTION_NEEDED])
def test_closed_items_take_no_request(force, lead, status):
    closed = factories.ItemFactory(inspection__force=force, status=status, due_on=DUE)
    with pytest.raises(NotAllowed):
        ask(closed, lead)


def test_reminders_follow_the_approved_date_only(item, lead, inspector, settings):
    from notifications.sweep import sweep

    def plan_reminders(today):
        sweep(today=today)

    ask(item, lead)
    # Still due 15 April: the 30-day reminder for that date is planned on 16 March.
    plan_reminders(today=date(2025, 3, 17))
    keys = set(Notification.objects.filter(kind=Kind.DUE_REMINDER).values_list("key", flat=True))
    assert keys and all(key.endswith("@2025-04-15") for key in keys)

    services.extension_request_decide(
        request=item.extension_requests.get(), user=inspector, approve=True
    )
    Notification.objects.filter(kind=Kind.DUE_REMINDER).delete()
    plan_reminders(today=date(2025, 4, 16))  # the old date has passed: nothing is overdue
    assert not Notification.objects.filter(kind=Kind.OVERDUE).exists()
    plan_reminders(today=date(2025, 6, 1))
    keys = set(Notification.objects.filter(kind=Kind.DUE_REMINDER).values_list("key", flat=True))
    assert keys and all(key.endswith("@2025-06-30") for key in keys)


# --- Through the item page ---------------------------------------------------------------


def page(client, item) -> str:
    response = client.get(reverse("recommendations:item-detail", args=[item.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_lead_asks_and_the_inspector_approves_through_the_item_page(
    client, item, lead, inspector
):
    client.force_login(lead)
    assert "Ask for an extension" in page(client, item)
    assert "Change due date" not in page(client, item)
    response = client.post(
        reverse("recommendations:extension-request", args=[item.pk]),
        {**date_fields("extension-due_on", ASKED.isoformat()), "extension-reason": "Audit."},
    )
    assert response.status_code == 302
    html = page(client, item)
    assert "Extension requested" in html and "Waiting for the inspector" in html
    assert "Ask for an extension</span>" not in html

    client.force_login(inspector)
    html = page(client, item)
    assert "Save extension decision" in html and "Change due date" in html
    extension = item.extension_requests.get()
    response = client.post(
        reverse("recommendations:extension-decision", args=[item.pk, extension.pk]),
        {"extension-decision-decision": "approve", "extension-decision-comment": ""},
        follow=True,
    )
    assert "Extension approved" in response.content.decode()
    html = page(client, item)
    assert "extended 1 time" in html and "Originally 15 April 2025" in html


def test_refusing_without_a_reason_shows_the_error(client, item, lead, inspector):
    extension = ask(item, lead)
    client.force_login(inspector)
    response = client.post(
        reverse("recommendations:extension-decision", args=[item.pk, extension.pk]),
        {"extension-decision-decision": "refuse", "extension-decision-comment": " "},
    )
    assert response.status_code == 400
    assert "Enter why you are refusing the extension" in response.content.decode()
    extension.refresh_from_db()
    assert extension.state == ExtensionState.PENDING


def test_another_forces_inspector_gets_404(client, item, lead, other_inspector):
    extension = ask(item, lead)
    client.force_login(other_inspector)
    response = client.post(
        reverse("recommendations:extension-decision", args=[item.pk, extension.pk]),
        {"extension-decision-decision": "approve"},
    )
    assert response.status_code == 404
    extension.refresh_from_db()
    assert extension.state == ExtensionState.PENDING


def test_the_count_of_extensions_is_in_lists_and_exports(client, item, lead, inspector):
    services.extension_request_decide(request=ask(item, lead), user=inspector, approve=True)
    client.force_login(lead)
    listing = client.get(reverse("recommendations:item-list")).content.decode()
    assert "extended 1 time" in listing
    export = client.get(reverse("recommendations:item-list"), {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert [row["Extensions"] for row in rows] == ["1"]

"""Due dates: the force only asks for a later date in the future; an inspector may set any
date, with a reason. Causes of concern: closing one while its recommendations are open warns
and needs confirmation; an inspector can reopen a closed one, with a reason."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from recommendations import services
from recommendations.models import CauseOfConcern, Item, Status, TimelineEntry, TimelineKind
from tests import factories
from tests.dates import date_fields
from tracker.errors import InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 10)
DUE = date(2025, 4, 15)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(datetime(2025, 3, 10, 9, tzinfo=ZoneInfo("Europe/London")), tick=False)


@pytest.fixture
def item(force):
    return factories.ItemFactory(
        inspection__force=force, status=Status.BEING_PROGRESSED, due_on=DUE, reference="9207/1"
    )


# --- Due dates --------------------------------------------------------------------------------


@pytest.mark.parametrize("day", [TODAY - timedelta(days=400), TODAY - timedelta(days=1), TODAY])
def test_the_force_cannot_ask_for_a_due_date_that_is_not_in_the_future(item, lead, day):
    with pytest.raises(InvalidInput) as refused:
        services.extension_request_create(item=item, user=lead, due_on=day, reason="Late start.")

    assert refused.value.message == "The new due date must be in the future"
    assert refused.value.field == "due_on"
    assert Item.objects.get(pk=item.pk).due_on == DUE
    assert not TimelineEntry.objects.exists()


def test_the_force_cannot_change_a_due_date_even_to_tomorrow(item, lead):
    with pytest.raises(NotAllowed):
        services.item_change_due_date(
            item=item, user=lead, due_on=TODAY + timedelta(days=1), reason="Agreed."
        )
    assert Item.objects.get(pk=item.pk).due_on == DUE


@pytest.mark.parametrize("day", [TODAY - timedelta(days=30), TODAY])
def test_an_inspector_may_set_a_past_due_date_with_a_reason(item, inspector, day):
    services.item_change_due_date(
        item=item, user=inspector, due_on=day, reason="The letter of 1 February set it."
    )

    stored = Item.objects.get(pk=item.pk)
    assert (stored.due_on, stored.original_due_on) == (day, DUE)
    entry = TimelineEntry.objects.get(item=item, kind=TimelineKind.DUE_DATE_CHANGED)
    assert (entry.due_from, entry.due_to, entry.actor) == (DUE, day, inspector)
    assert entry.comment == "The letter of 1 February set it."


def test_an_inspector_still_needs_a_reason_for_a_past_due_date(item, inspector):
    with pytest.raises(InvalidInput):
        services.item_change_due_date(
            item=item, user=inspector, due_on=TODAY - timedelta(days=3), reason=" "
        )
    assert Item.objects.get(pk=item.pk).due_on == DUE


def _post_due_date(client, item, day: date):
    url = reverse("recommendations:item-due-date", args=[item.pk])
    return client.post(url, {**date_fields("due-due_on", day.isoformat()), "due-reason": "Late."})


def test_the_item_page_shows_the_refusal_next_to_the_new_date(client, item, lead):
    client.force_login(lead)
    url = reverse("recommendations:extension-request", args=[item.pk])
    response = client.post(
        url,
        {
            **date_fields("extension-due_on", (TODAY - timedelta(days=1)).isoformat()),
            "extension-reason": "Late start.",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert '<p id="id_extension-due_on-error" class="govuk-error-message">' in html
    assert '<a href="#id_extension-due_on-day">The new due date must be in the future</a>' in html
    assert html.count("<title>Error: ") == 1
    assert Item.objects.get(pk=item.pk).due_on == DUE


def test_the_item_page_lets_an_inspector_backdate(client, item, inspector):
    client.force_login(inspector)
    response = _post_due_date(client, item, TODAY - timedelta(days=1))

    assert response.status_code == 302
    assert Item.objects.get(pk=item.pk).due_on == TODAY - timedelta(days=1)


# --- Closing a cause of concern with open recommendations -------------------------------------


@pytest.fixture
def cause(force):
    cause = factories.CauseOfConcernFactory(inspection__force=force, reference="9207")
    make = factories.ItemFactory
    make(inspection=cause.inspection, cause_of_concern=cause, reference="9207/1", position=0)
    make(
        inspection=cause.inspection,
        cause_of_concern=cause,
        reference="9207/2",
        position=1,
        status=Status.BEING_PROGRESSED,
    )
    make(
        inspection=cause.inspection,
        cause_of_concern=cause,
        reference="9207/3",
        position=2,
        status=Status.COMPLETE,
    )
    return cause


def _close(cause, inspector, **extra):
    return services.cause_of_concern_close(
        cause_of_concern=cause, user=inspector, closed_on=TODAY, letter_reference="L/7", **extra
    )


def test_closing_with_open_recommendations_needs_confirmation(cause, inspector):
    with pytest.raises(InvalidInput) as refused:
        _close(cause, inspector)

    assert refused.value.message.startswith(
        "2 recommendations of this cause of concern are still open: 9207/1, 9207/2."
    )
    assert refused.value.field == "close_anyway"
    assert CauseOfConcern.objects.get(pk=cause.pk).is_open
    assert not TimelineEntry.objects.exists()


def test_closing_anyway_records_what_was_still_open(cause, inspector):
    _close(cause, inspector, close_anyway=True)

    stored = CauseOfConcern.objects.get(pk=cause.pk)
    assert (stored.closed_on, stored.closing_letter_reference) == (TODAY, "L/7")
    entry = TimelineEntry.objects.get(cause_of_concern=cause)
    assert "2 recommendations of this cause of concern are still open: 9207/1, 9207/2." in (
        entry.comment
    )
    # The recommendations themselves stay as they were.
    assert sorted(cause.recommendations.values_list("status", flat=True)) == [
        Status.AWAITING_REVIEW,
        Status.BEING_PROGRESSED,
        Status.COMPLETE,
    ]


def test_no_confirmation_once_every_recommendation_is_closed(cause, inspector):
    cause.recommendations.update(status=Status.COMPLETE)
    _close(cause, inspector)
    assert not CauseOfConcern.objects.get(pk=cause.pk).is_open


def test_one_open_recommendation_is_named_in_the_singular(cause, inspector):
    cause.recommendations.filter(reference="9207/1").update(status=Status.COMPLETE)
    with pytest.raises(InvalidInput) as refused:
        _close(cause, inspector)
    assert refused.value.message.startswith(
        "1 recommendation of this cause of concern is still open: 9207/2."
    )


def test_close_page_warns_and_asks_to_confirm(client, cause, inspector):
    client.force_login(inspector)
    url = reverse("recommendations:cause-of-concern-close", args=[cause.pk])

    html = client.get(url).content.decode()
    assert "2 recommendations of this cause of concern are still open: 9207/1, 9207/2." in html
    assert "Close it anyway" in html
    for item in cause.recommendations.exclude(status=Status.COMPLETE):
        assert reverse("recommendations:item-detail", args=[item.pk]) in html

    data = {"closed_on": TODAY.isoformat(), "letter_reference": "L/7"}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert 'href="#id_close_anyway"' in refused.content.decode()
    assert CauseOfConcern.objects.get(pk=cause.pk).is_open

    assert client.post(url, {**data, "close_anyway": "on"}).status_code == 302
    assert not CauseOfConcern.objects.get(pk=cause.pk).is_open


def test_close_page_asks_nothing_more_when_all_are_closed(client, cause, inspector):
    cause.recommendations.update(status=Status.NO_FURTHER_ACTION_NEEDED)
    client.force_login(inspector)
    url = reverse("recommendations:cause-of-concern-close", args=[cause.pk])
    assert "Close it anyway" not in client.get(url).content.decode()
    data = {"closed_on": TODAY.isoformat(), "letter_reference": "L/7"}
    assert client.post(url, data).status_code == 302


# --- Reopening a cause of concern ---------------------------------------------------------------


@pytest.fixture
def closed_cause(cause, inspector):
    return _close(cause, inspector, close_anyway=True)


def test_an_inspector_reopens_a_closed_cause_of_concern_with_a_reason(closed_cause, inspector):
    services.cause_of_concern_reopen(
        cause_of_concern=closed_cause, user=inspector, reason="The revisit found gaps."
    )

    stored = CauseOfConcern.objects.get(pk=closed_cause.pk)
    assert stored.is_open
    assert (stored.closing_letter_reference, stored.closed_by) == ("", None)
    entry = TimelineEntry.objects.filter(cause_of_concern=stored).order_by("-pk").first()
    assert (entry.kind, entry.actor) == (TimelineKind.CAUSE_OF_CONCERN_REOPENED, inspector)
    assert entry.comment.startswith("The revisit found gaps.")
    assert "L/7" in entry.comment and "10 March 2025" in entry.comment


@pytest.mark.parametrize("reason", ["", "  \n"])
def test_reopening_needs_a_reason(closed_cause, inspector, reason):
    with pytest.raises(InvalidInput) as refused:
        services.cause_of_concern_reopen(
            cause_of_concern=closed_cause, user=inspector, reason=reason
        )
    assert refused.value.field == "reason"
    assert not CauseOfConcern.objects.get(pk=closed_cause.pk).is_open


def test_an_open_cause_of_concern_cannot_be_reopened(cause, inspector):
    with pytest.raises(NotAllowed):
        services.cause_of_concern_reopen(cause_of_concern=cause, user=inspector, reason="Why")
    assert not TimelineEntry.objects.exists()


@pytest.mark.parametrize("who", ["lead", "sponsor", "other_inspector", "administrator"])
def test_only_the_forces_inspector_reopens(closed_cause, who, request):
    user = request.getfixturevalue(who)
    entries = TimelineEntry.objects.count()
    with pytest.raises(NotAllowed):
        services.cause_of_concern_reopen(cause_of_concern=closed_cause, user=user, reason="Why")
    assert not CauseOfConcern.objects.get(pk=closed_cause.pk).is_open
    assert TimelineEntry.objects.count() == entries


def test_inspection_page_offers_reopening_to_the_inspector_only(
    client, closed_cause, inspector, lead
):
    page = reverse("recommendations:inspection-detail", args=[closed_cause.inspection_id])
    reopen = reverse("recommendations:cause-of-concern-reopen", args=[closed_cause.pk])
    client.force_login(lead)
    html = client.get(page).content.decode()
    assert reopen not in html
    assert "Cause of concern closed" in html  # its history, for everyone who sees it

    client.force_login(inspector)
    html = client.get(page).content.decode()
    assert f'href="{reopen}"' in html

    assert client.post(reopen, {"reason": ""}).status_code == 400
    response = client.post(reopen, {"reason": "The revisit found gaps."}, follow=True)
    assert response.redirect_chain == [(page, 302)]
    html = response.content.decode()
    assert "Cause of concern reopened." in html
    assert "The revisit found gaps." in html  # in the cause of concern's history
    assert reverse("recommendations:cause-of-concern-close", args=[closed_cause.pk]) in html

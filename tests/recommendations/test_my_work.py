"""My work: what is a force user's own, in four sections, and updating an action from there."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.models import (
    Action,
    ActionStatus,
    ProgressUpdate,
    Status,
    TimelineEntry,
    TimelineKind,
)
from recommendations.selectors_work import my_work
from tests import factories
from tests.dates import date_fields
from tracker.errors import InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)
URL = reverse("recommendations:my-work")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(
        datetime(2026, 3, 10, 10, tzinfo=timezone.get_current_timezone()), tick=False
    )


def _item(force, *, due_in: int | None = 60, **fields):
    fields.setdefault("status", Status.BEING_PROGRESSED)
    if due_in is None:
        return factories.AreaForImprovementFactory(inspection__force=force, **fields)
    return factories.ItemFactory(
        inspection__force=force, due_on=TODAY + timedelta(days=due_in), **fields
    )


def _listed(user) -> dict[str, list[str]]:
    work = my_work(user, today=TODAY)
    return {s.key: [i.reference for i in s.items] for s in work.sections if s.items}


def _post(action, **data):
    prefix = f"action-{action.pk}"
    target = data.pop("target_on", action.target_on)
    fields = {
        f"{prefix}-status": data.pop("status", action.status),
        f"{prefix}-note": data.pop("note", ""),
        **date_fields(f"{prefix}-target_on", target),
    }
    return reverse("recommendations:my-work-action", args=[action.pk]), fields


# --- What is whose ---------------------------------------------------------------------------


def test_action_owner_sees_items_they_own_and_items_with_their_open_actions(
    force, other_force, owner, lead
):
    _item(force, reference="OWNED", owner=owner)
    with_action = _item(force, reference="ACTION", owner=lead)
    factories.ActionFactory(item=with_action, owner=owner)
    done = _item(force, reference="DONE-ACTION", owner=lead)
    factories.ActionFactory(item=done, owner=owner, status=ActionStatus.DONE)
    _item(force, reference="SOMEONE-ELSES", owner=lead)
    _item(force, reference="UNOWNED")
    _item(force, reference="CLOSED", owner=owner, status=Status.COMPLETE)
    other = factories.ActionOwnerFactory(force=other_force)
    _item(other_force, reference="OTHER-FORCE", owner=other)
    assert _listed(owner) == {"rest": ["OWNED", "ACTION"]}


def test_force_lead_also_sees_the_forces_items_with_no_owner(force, lead, owner):
    _item(force, reference="MINE", owner=lead, due_in=50)
    _item(force, reference="UNOWNED", due_in=40)
    _item(force, reference="OWNERS", owner=owner, due_in=45)
    with_action = _item(force, reference="LEADS-ACTION", owner=owner, due_in=70)
    factories.ActionFactory(item=with_action, owner=lead)
    assert _listed(lead) == {"rest": ["UNOWNED", "MINE", "LEADS-ACTION"]}
    reasons = {i.reference: i.yours_because for i in my_work(lead, today=TODAY).sections[3].items}
    assert reasons == {
        "UNOWNED": "No owner yet",
        "MINE": "You own it",
        "LEADS-ACTION": "You own an action",
    }


def test_sponsor_sees_the_forces_overdue_items(force, sponsor, owner):
    _item(force, reference="LATE", owner=owner, due_in=-3)
    _item(force, reference="IN-DATE", owner=owner, due_in=5)
    assert _listed(sponsor) == {"overdue": ["LATE"]}


def test_inspector_and_administrator_have_no_work_list(inspector, administrator, force):
    _item(force, reference="UNOWNED")
    assert _listed(inspector) == {}
    assert _listed(administrator) == {}


def test_sections_overdue_due_soon_returned_and_the_rest_soonest_first(force, owner):
    for reference, due_in in [("LATER", 90), ("SOON", 10), ("LATE", -5), ("SOONER", 2)]:
        _item(force, reference=reference, owner=owner, due_in=due_in)
    _item(force, reference="NO-DEADLINE", owner=owner, due_in=None)
    _item(force, reference="RETURNED", owner=owner, due_in=200, returned_at=timezone.now())
    _item(force, reference="LATE-AND-RETURNED", owner=owner, due_in=-1, returned_at=timezone.now())
    assert _listed(owner) == {
        "overdue": ["LATE", "LATE-AND-RETURNED"],
        "due-soon": ["SOONER", "SOON"],
        "returned": ["RETURNED"],
        "rest": ["LATER", "NO-DEADLINE"],
    }


def test_the_list_is_bounded(force, lead):
    for n in range(4):
        _item(force, reference=f"U{n}")
    work = my_work(lead, today=TODAY, limit=3)
    assert work.count == 3 and work.truncated


# --- The page --------------------------------------------------------------------------------


def test_action_owner_lands_on_my_work_after_signing_in(client, owner):
    response = client.post(
        reverse("login"), {"username": "owner", "password": "correct-horse-battery"}
    )
    assert response["Location"] == reverse("recommendations:home")
    assert client.get(response["Location"])["Location"] == URL


@pytest.mark.parametrize("role", ["lead", "sponsor"])
def test_force_leads_and_sponsors_still_land_on_the_dashboard(client, request, role, force):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("recommendations:home"))
    assert response["Location"] == reverse("recommendations:force-dashboard", args=[force.slug])


def test_my_work_is_in_the_navigation_of_force_users_only(client, lead, owner, sponsor, inspector):
    for user in (lead, owner, sponsor):
        client.force_login(user)
        page = client.get(reverse("recommendations:item-list")).content.decode()
        assert f'href="{URL}"' in page
    client.force_login(inspector)
    assert f'href="{URL}"' not in client.get(reverse("recommendations:item-list")).content.decode()


def test_page_shows_sections_items_and_an_update_form_per_action(client, force, owner, lead):
    late = _item(force, reference="9207/1", owner=lead, due_in=-4)
    action = factories.ActionFactory(
        item=late, owner=owner, description="Audit the control room", target_on=TODAY
    )
    _item(force, reference="9207/2", owner=owner, due_in=100)
    client.force_login(owner)
    page = client.get(URL).content.decode()
    assert page.index('id="overdue"') < page.index("9207/1") < page.index('id="rest"')
    assert page.index('id="rest"') < page.index("9207/2")
    assert "Your action: Audit the control room" in page
    assert f'action="{reverse("recommendations:my-work-action", args=[action.pk])}"' in page
    assert f'id="id_action-{action.pk}-target_on-day"' in page
    assert "You own an action" in page and "You own it" in page


def test_page_says_when_nothing_is_yours(client, owner):
    client.force_login(owner)
    assert "Nothing is yours at the moment." in client.get(URL).content.decode()


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_page_runs_the_same_queries_with_3_as_with_30_actions(client, force, owner):
    client.force_login(owner)

    def add(n):
        for _ in range(n):
            item = _item(force, owner=factories.ForceLeadFactory(force=force))
            factories.ActionFactory(item=item, owner=owner, target_on=TODAY)

    add(3)
    few = _count_queries(client, URL)
    add(27)
    assert Action.objects.filter(owner=owner).count() == 30
    assert _count_queries(client, URL) == few


# --- Updating an action from the list -------------------------------------------------------


def test_owner_updates_status_target_date_and_adds_a_note(client, force, owner, lead):
    item = _item(force, owner=lead)
    action = factories.ActionFactory(item=item, owner=owner, description="Audit calls")
    client.force_login(owner)
    new_target = TODAY + timedelta(days=14)
    url, data = _post(action, status="in-progress", target_on=new_target, note="Half done.")
    response = client.post(url, data, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Action updated: Audit calls" in response.content.decode()
    action.refresh_from_db()
    assert (action.status, action.target_on) == (ActionStatus.IN_PROGRESS, new_target)
    update = ProgressUpdate.objects.get(item=item)
    assert (update.text, update.author) == ("Half done.", owner)
    kinds = set(TimelineEntry.objects.filter(item=item).values_list("kind", flat=True))
    assert {TimelineKind.ACTION_CHANGED, TimelineKind.PROGRESS_UPDATE} <= kinds


def test_a_refused_date_shows_the_page_again_in_error_and_changes_nothing(client, force, owner):
    action = factories.ActionFactory(item=_item(force, owner=owner), owner=owner)
    client.force_login(owner)
    url, data = _post(action, status="done", note="Finished.")
    data[f"action-{action.pk}-target_on-month"] = "13"
    data[f"action-{action.pk}-target_on-day"] = "1"
    data[f"action-{action.pk}-target_on-year"] = "2026"
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: My work" in page
    assert "Target date must be a real date" in page
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED
    assert not ProgressUpdate.objects.exists()


def test_nothing_changed_and_nothing_said_is_refused(client, force, owner):
    action = factories.ActionFactory(item=_item(force, owner=owner), owner=owner)
    client.force_login(owner)
    response = client.post(*_post(action))
    assert response.status_code == 400
    assert "Change the status or the target date, or write a progress note." in (
        response.content.decode()
    )
    assert not TimelineEntry.objects.filter(kind=TimelineKind.ACTION_CHANGED).exists()


def test_another_owners_action_is_refused(client, force, owner):
    someone = factories.ActionOwnerFactory(force=force)
    action = factories.ActionFactory(item=_item(force), owner=someone)
    client.force_login(owner)
    assert client.post(*_post(action, status="done")).status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


def test_another_forces_action_is_not_found(client, other_force, owner):
    action = factories.ActionFactory(item=_item(other_force))
    client.force_login(owner)
    assert client.post(*_post(action, status="done")).status_code == 404


def test_closed_item_refuses_the_update(client, force, owner):
    action = factories.ActionFactory(
        item=_item(force, owner=owner, status=Status.COMPLETE), owner=owner
    )
    client.force_login(owner)
    response = client.post(*_post(action, status="done", note="Done."))
    assert response.status_code == 400
    assert "so it is locked" in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


# --- The service ------------------------------------------------------------------------------


def test_service_saves_the_action_and_the_note_together(force, owner, monkeypatch):
    action = factories.ActionFactory(item=_item(force, owner=owner), owner=owner)

    def broken(**kwargs):
        raise RuntimeError("the note could not be saved")

    monkeypatch.setattr("recommendations.services.work.progress_update_create", broken)
    with pytest.raises(RuntimeError):
        services.action_update_with_note(
            action=action, user=owner, status=ActionStatus.DONE, note="Finished."
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED
    assert not TimelineEntry.objects.filter(kind=TimelineKind.ACTION_CHANGED).exists()


def test_service_with_only_a_note_leaves_the_action_as_it_is(force, owner):
    action = factories.ActionFactory(item=_item(force, owner=owner), owner=owner, target_on=TODAY)
    services.action_update_with_note(
        action=action, user=owner, status=action.status, target_on=TODAY, note="On track."
    )
    assert ProgressUpdate.objects.get().text == "On track."
    assert not TimelineEntry.objects.filter(kind=TimelineKind.ACTION_CHANGED).exists()


def test_service_refuses_a_sponsor_named_on_an_action(force, sponsor):
    action = factories.ActionFactory(item=_item(force), owner=sponsor)
    with pytest.raises(NotAllowed):
        services.action_update_with_note(
            action=action, user=sponsor, status=action.status, note="A note."
        )
    assert not ProgressUpdate.objects.exists()


def test_service_refuses_an_empty_request(force, owner):
    action = factories.ActionFactory(item=_item(force, owner=owner), owner=owner)
    with pytest.raises(InvalidInput):
        services.action_update_with_note(action=action, user=owner, status=action.status)


def test_lead_may_update_an_action_owned_by_someone_else(force, lead, owner):
    action = factories.ActionFactory(item=_item(force), owner=owner)
    services.action_update_with_note(action=action, user=lead, status=ActionStatus.DONE)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_a_sponsor_named_on_an_action_is_offered_no_form(client, force, sponsor):
    action = factories.ActionFactory(item=_item(force, due_in=-2), owner=sponsor)
    client.force_login(sponsor)
    page = client.get(URL).content.decode()
    assert f"Your action: {action.description}" in page
    assert reverse("recommendations:my-work-action", args=[action.pk]) not in page

"""Inspectors publish an inspection on the public register (and withdraw it), and choose which
timeline comments the public may read; nobody else can."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from recommendations import services
from recommendations.models import Inspection, TimelineEntry, TimelineKind
from tests import factories
from tracker.errors import InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection(force):
    inspection = factories.InspectionFactory(force=force, title="PEEL 2021/22")
    factories.ItemFactory(inspection=inspection, text="Audit the crime records.")
    return inspection


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_inspector_of_the_force_publishes_and_unpublishes(inspection, inspector):
    services.inspection_publish(inspection=inspection, user=inspector)
    stored = Inspection.objects.get(pk=inspection.pk)
    assert stored.on_register
    assert stored.register_published_by == inspector

    services.inspection_unpublish(inspection=inspection, user=inspector)
    stored.refresh_from_db()
    assert not stored.on_register
    assert stored.register_published_by is None


@pytest.mark.parametrize("who", ["lead", "sponsor", "other_inspector", "administrator"])
def test_nobody_else_may_publish(inspection, request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        services.inspection_publish(inspection=inspection, user=user)
    assert not Inspection.objects.get(pk=inspection.pk).on_register


def test_publishing_twice_unpublishing_what_is_not_published_or_an_empty_inspection_is_refused(
    inspection, inspector, force
):
    services.inspection_publish(inspection=inspection, user=inspector)
    with pytest.raises(NotAllowed):
        services.inspection_publish(inspection=inspection, user=inspector)
    empty = factories.InspectionFactory(force=force)
    with pytest.raises(NotAllowed):
        services.inspection_unpublish(inspection=empty, user=inspector)
    with pytest.raises(InvalidInput):
        services.inspection_publish(inspection=empty, user=inspector)


def test_a_national_inspection_is_published_by_an_inspector_of_a_force_it_holds(
    force, other_force, inspector, other_inspector, administrator
):
    national = factories.InspectionFactory(force=None, title="National thematic")
    factories.ItemFactory(inspection=national, force=force)
    for refused in (other_inspector, administrator):
        with pytest.raises(NotAllowed):
            services.inspection_publish(inspection=national, user=refused)
    services.inspection_publish(inspection=national, user=inspector)
    assert Inspection.objects.get(pk=national.pk).on_register


def test_the_publish_page_says_what_becomes_public_and_publishes(inspection, inspector):
    client = client_of(inspector)
    url = reverse("recommendations:inspection-publish", args=[inspection.pk])
    page = client.get(url).content.decode()
    assert "its 1 recommendation" in page
    assert "names of force staff are never shown" in page

    response = client.post(url)
    assert response.status_code == 302
    assert Inspection.objects.get(pk=inspection.pk).on_register
    detail = client.get(response["Location"]).content.decode()
    assert "Published on the public register." in detail
    assert reverse("register:inspection", args=[inspection.pk]) in detail
    assert reverse("recommendations:inspection-unpublish", args=[inspection.pk]) in detail

    response = client.post(reverse("recommendations:inspection-unpublish", args=[inspection.pk]))
    assert response.status_code == 302
    assert not Inspection.objects.get(pk=inspection.pk).on_register


def test_publishing_again_shows_the_refusal(inspection, inspector):
    services.inspection_publish(inspection=inspection, user=inspector)
    response = client_of(inspector).post(
        reverse("recommendations:inspection-publish", args=[inspection.pk])
    )
    assert response.status_code == 400
    assert "already on the public register" in response.content.decode()


def test_the_inspection_page_offers_publishing_to_its_inspector_only(inspection, inspector, lead):
    url = reverse("recommendations:inspection-detail", args=[inspection.pk])
    publish = reverse("recommendations:inspection-publish", args=[inspection.pk])
    assert publish in client_of(inspector).get(url).content.decode()
    page = client_of(lead).get(url).content.decode()
    assert publish not in page
    assert "Not published" in page


@pytest.fixture
def decision(inspection, inspector):
    item = inspection.items.get()
    return factories.TimelineEntryFactory(
        item=item, kind=TimelineKind.STATUS_CHANGED, comment="Closed: the audit is done."
    )


def test_an_inspector_marks_a_comment_public_from_the_item_page(decision, inspector):
    client = client_of(inspector)
    item_url = reverse("recommendations:item-detail", args=[decision.item_id])
    toggle = reverse("recommendations:timeline-entry-public", args=[decision.item_id, decision.pk])
    assert toggle in client.get(item_url).content.decode()

    response = client.post(toggle, {"public": "true"})
    assert response.status_code == 302
    assert TimelineEntry.objects.get(pk=decision.pk).public
    page = client.get(item_url).content.decode()
    assert "Hide from the public register" in page
    assert "shown on the public register once the inspection is published" in page

    client.post(toggle, {"public": "false"})
    assert not TimelineEntry.objects.get(pk=decision.pk).public
    assert client.post(toggle, {"public": "maybe"}).status_code == 400


def test_only_the_forces_inspector_may_mark_comments_public(
    decision, lead, other_inspector, other_lead
):
    toggle = reverse("recommendations:timeline-entry-public", args=[decision.item_id, decision.pk])
    assert client_of(lead).post(toggle, {"public": "true"}).status_code == 403
    assert client_of(other_inspector).post(toggle, {"public": "true"}).status_code == 404
    assert client_of(other_lead).post(toggle, {"public": "true"}).status_code == 404
    page = client_of(lead).get(reverse("recommendations:item-detail", args=[decision.item_id]))
    assert toggle not in page.content.decode()
    assert not TimelineEntry.objects.get(pk=decision.pk).public


@pytest.mark.parametrize(
    "kind",
    [
        TimelineKind.ACTION_ADDED,
        TimelineKind.ACTION_CHANGED,
        TimelineKind.EVIDENCE_ADDED,
        TimelineKind.PROGRESS_UPDATE,
        TimelineKind.ASSIGNED,
    ],
)
def test_the_forces_work_and_owner_changes_can_never_be_public(inspection, inspector, kind):
    entry = factories.TimelineEntryFactory(item=inspection.items.get(), kind=kind)
    with pytest.raises(InvalidInput):
        services.timeline_entry_set_public(entry=entry, user=inspector, public=True)
    assert not TimelineEntry.objects.get(pk=entry.pk).public


def test_an_entry_of_another_item_is_404(decision, inspector, force):
    elsewhere = factories.ItemFactory(inspection__force=force)
    toggle = reverse("recommendations:timeline-entry-public", args=[elsewhere.pk, decision.pk])
    assert client_of(inspector).post(toggle, {"public": "true"}).status_code == 404

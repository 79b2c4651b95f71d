"""The Django admin keeps the audit trail: even a superuser cannot add, change or delete a
timeline entry, nor delete items with their history; items are listed by reference and text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations.models import Item, TimelineEntry, TimelineKind
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    """A signed-in superuser (pytest-django's own would lack the administrator role)."""
    superuser = factories.AdministratorFactory(username="root", is_superuser=True)
    client.force_login(superuser)
    return client


@pytest.fixture
def entry(force):
    item = factories.ItemFactory(
        inspection__force=force,
        reference="9207/2",
        text="Within three months, the force should review how it records reports of crime "
        "and make sure that every report is recorded within twenty-four hours.",
    )
    return TimelineEntry.objects.create(item=item, kind=TimelineKind.COMMENT, comment="Original")


def test_a_superuser_cannot_add_a_timeline_entry(admin_client, entry):
    url = reverse("admin:recommendations_timelineentry_add")
    assert admin_client.get(url).status_code == 403
    data = {"item": entry.item_id, "kind": TimelineKind.COMMENT, "comment": "Forged"}
    assert admin_client.post(url, data).status_code == 403
    assert TimelineEntry.objects.count() == 1


def test_a_superuser_can_read_but_not_change_a_timeline_entry(admin_client, entry):
    url = reverse("admin:recommendations_timelineentry_change", args=[entry.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert b"Original" in page.content
    assert b'name="_save"' not in page.content  # a read-only view
    admin_client.post(url, {"item": entry.item_id, "kind": entry.kind, "comment": "Rewritten"})
    assert TimelineEntry.objects.get(pk=entry.pk).comment == "Original"


def test_a_superuser_cannot_delete_a_timeline_entry(admin_client, entry):
    url = reverse("admin:recommendations_timelineentry_delete", args=[entry.pk])
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:recommendations_timelineentry_changelist")
    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert b"delete_selected" not in admin_client.get(changelist).content
    assert TimelineEntry.objects.filter(pk=entry.pk).exists()


def test_the_items_timeline_inline_is_read_only(admin_client, entry):
    page = admin_client.get(reverse("admin:recommendations_item_change", args=[entry.item_id]))
    assert page.status_code == 200
    formset = page.context["inline_admin_formsets"]
    (timeline,) = [f for f in formset if f.formset.model is TimelineEntry]
    assert (timeline.has_add_permission, timeline.has_change_permission) == (False, False)
    assert timeline.has_delete_permission is False
    assert b"Original" in page.content


@pytest.mark.parametrize("model", ["item", "recommendation"])
def test_items_cannot_be_bulk_deleted(admin_client, entry, model):
    changelist = reverse(f"admin:recommendations_{model}_changelist")
    page = admin_client.get(changelist)
    assert b'value="delete_selected"' not in page.content
    response = admin_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [entry.item_id], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Item.objects.filter(pk=entry.item_id).exists()
    assert TimelineEntry.objects.filter(pk=entry.pk).exists()


def test_an_item_with_a_history_cannot_be_deleted_one_by_one_either(admin_client, entry):
    url = reverse("admin:recommendations_item_delete", args=[entry.item_id])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Item.objects.filter(pk=entry.item_id).exists()
    assert TimelineEntry.objects.filter(pk=entry.pk).exists()


def test_items_are_listed_by_reference_and_text(admin_client, entry):
    html = admin_client.get(reverse("admin:recommendations_item_changelist")).content.decode()
    assert "9207/2" in html
    assert "Within three months, the force should review how it records reports of" in html
    assert "twenty-four hours" not in html  # the text is truncated

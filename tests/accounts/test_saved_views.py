"""Saved views: a list's filters saved under a name, found again from the list, deleted;
each user's own, and only of lists they may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import SavedView
from accounts.services import MAX_SAVED_VIEWS
from tracker.errors import InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db

ITEMS = reverse("recommendations:item-list")
CREATE = reverse("accounts:saved-view-create")
MANAGE = reverse("accounts:saved-views")


def dashboard(force) -> str:
    return reverse("recommendations:force-dashboard", args=[force.slug])


# --- The service -------------------------------------------------------------------------------


def test_saves_the_filters_without_the_page_or_the_csv_switch(lead):
    saved = services.saved_view_create(
        user=lead, name="  Overdue  ", path=ITEMS, query="due=overdue&page=3&format=csv&kind="
    )
    assert (saved.name, saved.path, saved.query) == ("Overdue", ITEMS, "due=overdue&kind=")
    assert saved.url == f"{ITEMS}?due=overdue&kind="


def test_a_dashboard_of_a_visible_force_can_be_saved(lead, inspector, administrator, force):
    for user in (lead, inspector, administrator):
        saved = services.saved_view_create(user=user, name="Mine", path=dashboard(force))
        assert saved.url == dashboard(force)


@pytest.mark.parametrize(
    "path",
    [
        "/review/",
        "/admin/",
        "https://evil.example/items/",
        "//evil.example/items/",
        "/nowhere/",
        "/items/?due=overdue",
        "",
        "items/",
    ],
)
def test_only_the_item_list_and_dashboards_can_be_saved(lead, path):
    with pytest.raises(InvalidInput):
        services.saved_view_create(user=lead, name="Odd", path=path)
    assert not SavedView.objects.exists()


def test_another_forces_dashboard_cannot_be_saved(lead, other_inspector, force, other_force):
    for user, theirs in ((lead, other_force), (other_inspector, force)):
        with pytest.raises(InvalidInput) as refused:
            services.saved_view_create(user=user, name="Theirs", path=dashboard(theirs))
        # Refused in the same words as an address that is no list at all: no hint it exists.
        assert refused.value.message == services.NOT_A_LIST
    assert not SavedView.objects.exists()


def test_names_are_unique_per_user_whatever_the_capitals(lead, owner):
    services.saved_view_create(user=lead, name="Overdue", path=ITEMS)
    with pytest.raises(InvalidInput) as refused:
        services.saved_view_create(user=lead, name="OVERDUE", path=ITEMS, query="kind=x")
    assert refused.value.field == "name"
    services.saved_view_create(user=owner, name="Overdue", path=ITEMS)  # another user's: fine
    assert SavedView.objects.count() == 2


def test_a_name_is_required_and_the_number_of_views_bounded(lead):
    with pytest.raises(InvalidInput):
        services.saved_view_create(user=lead, name="   ", path=ITEMS)
    SavedView.objects.bulk_create(
        SavedView(user=lead, name=f"View {n}", path=ITEMS) for n in range(MAX_SAVED_VIEWS)
    )
    with pytest.raises(InvalidInput):
        services.saved_view_create(user=lead, name="One more", path=ITEMS)


def test_only_the_owner_deletes_a_saved_view(lead, owner):
    saved = services.saved_view_create(user=lead, name="Overdue", path=ITEMS)
    with pytest.raises(NotAllowed):
        services.saved_view_delete(saved_view=saved, user=owner)
    services.saved_view_delete(saved_view=saved, user=lead)
    assert not SavedView.objects.exists()


# --- The pages ---------------------------------------------------------------------------------


def test_save_from_the_list_and_find_it_there_again(client, lead):
    client.force_login(lead)
    page = client.get(ITEMS, {"due": "overdue", "page": "1"}).content.decode()
    assert 'name="query" value="due=overdue"' in page
    assert f'name="path" value="{ITEMS}"' in page
    response = client.post(
        CREATE, {"name": "Overdue", "path": ITEMS, "query": "due=overdue"}, follow=True
    )
    assert response.redirect_chain == [(f"{ITEMS}?due=overdue", 302)]
    page = response.content.decode()
    assert "Saved view “Overdue” saved: find it under “Your saved views”." in page
    assert f'<a class="govuk-link" href="{ITEMS}?due=overdue">Overdue</a>' in page


def test_a_dashboards_saved_views_are_listed_on_that_dashboard_only(client, lead, force):
    services.saved_view_create(
        user=lead, name="Due soon here", path=dashboard(force), query="due=30"
    )
    client.force_login(lead)
    assert "Due soon here" in client.get(dashboard(force)).content.decode()
    assert "Due soon here" not in client.get(ITEMS).content.decode()
    assert "Due soon here" in client.get(MANAGE).content.decode()


def test_a_refused_name_is_asked_for_again(client, lead):
    services.saved_view_create(user=lead, name="Overdue", path=ITEMS)
    client.force_login(lead)
    response = client.post(CREATE, {"name": "overdue", "path": ITEMS, "query": "due=overdue"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: Save these filters" in page
    assert "You already have a saved view called “overdue”" in page
    assert f'href="{ITEMS}?due=overdue">Back to the list' in page


def test_a_list_the_user_may_not_see_is_refused_and_not_linked_back(client, lead, other_force):
    client.force_login(lead)
    response = client.post(CREATE, {"name": "Theirs", "path": dashboard(other_force)})
    assert response.status_code == 400
    assert f'href="{ITEMS}">Back to the list' in response.content.decode()
    assert not SavedView.objects.exists()


def test_users_see_only_their_own_saved_views(client, lead, owner):
    services.saved_view_create(user=owner, name="Owner's view", path=ITEMS, query="due=30")
    client.force_login(lead)
    assert "Owner's view" not in client.get(ITEMS).content.decode()
    assert "Owner&#x27;s view" not in client.get(MANAGE).content.decode()


def test_delete_from_the_manage_page(client, lead):
    saved = services.saved_view_create(user=lead, name="Overdue", path=ITEMS)
    client.force_login(lead)
    response = client.post(reverse("accounts:saved-view-delete", args=[saved.pk]), follow=True)
    assert response.redirect_chain == [(MANAGE, 302)]
    assert "Saved view “Overdue” deleted." in response.content.decode()
    assert not SavedView.objects.exists()


def test_another_users_saved_view_cannot_be_deleted(client, lead, owner):
    saved = services.saved_view_create(user=owner, name="Mine", path=ITEMS)
    client.force_login(lead)
    response = client.post(reverse("accounts:saved-view-delete", args=[saved.pk]))
    assert response.status_code == 404
    assert SavedView.objects.filter(pk=saved.pk).exists()

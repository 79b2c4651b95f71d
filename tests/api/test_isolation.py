"""Every read endpoint, for every role: a token of one force never sees another's data.

Lists hold exactly the objects of the forces the role may see; one object of a force the role
may not see is a 404 (never a 403 that would say it exists); no credentials, or an expired
token, are a 401.
"""

from __future__ import annotations

from itertools import product

import pytest
from django.urls import reverse

from tests.api.conftest import ROLES, SEES_A, SEES_B, api_client

pytestmark = pytest.mark.django_db

# List URL name -> the ids of one side's objects it lists.
LISTS = {
    "api:force-list": lambda s: {s.force.pk},
    "api:inspection-list": lambda s: {s.inspection.pk},
    "api:cause-of-concern-list": lambda s: {s.cause.pk},
    "api:item-list": lambda s: {s.item.pk, s.closed.pk},
    "api:action-list": lambda s: {s.action.pk},
    "api:progress-update-list": lambda s: {s.update.pk},
    "api:evidence-list": lambda s: {s.file_evidence.pk, s.link_evidence.pk},
    "api:timeline-entry-list": lambda s: {s.entry.pk, s.cause_entry.pk},
}

# Detail URL name -> its kwargs for one side's object.
DETAILS = {
    "api:force-detail": lambda s: {"slug": s.force.slug},
    "api:inspection-detail": lambda s: {"pk": s.inspection.pk},
    "api:cause-of-concern-detail": lambda s: {"pk": s.cause.pk},
    "api:item-detail": lambda s: {"pk": s.item.pk},
    "api:item-transitions": lambda s: {"pk": s.item.pk},
    "api:action-detail": lambda s: {"pk": s.action.pk},
    "api:progress-update-detail": lambda s: {"pk": s.update.pk},
    "api:evidence-detail": lambda s: {"pk": s.file_evidence.pk},
    "api:timeline-entry-detail": lambda s: {"pk": s.entry.pk},
}
# A cause of concern's own history is scoped by its force too.
CAUSE_ENTRY = {"api:timeline-entry-detail": lambda s: {"pk": s.cause_entry.pk}}

REFUSED = {"anonymous", "expired_token"}


def visible_ids(world, role: str, ids_of) -> set:
    seen = set()
    if role in SEES_A:
        seen |= ids_of(world.a)
    if role in SEES_B:
        seen |= ids_of(world.b)
    return seen


def every_id(client, url: str) -> set:
    """Every id of the list, following its pages."""
    ids, page = set(), url + "?page_size=1"
    while page:
        response = client.get(page)
        assert response.status_code == 200, (url, response.status_code)
        body = response.json()
        ids |= {row["id"] for row in body["results"]}
        page = body["next"]
    return ids


@pytest.mark.parametrize("role", ROLES)
def test_every_list_holds_only_the_forces_the_role_sees(world, role):
    client = api_client(world, role)
    for name, ids_of in LISTS.items():
        url = reverse(name)
        if role in REFUSED:
            assert client.get(url).status_code == 401, name
        else:
            assert every_id(client, url) == visible_ids(world, role, ids_of), name


@pytest.mark.parametrize("role", ROLES)
def test_every_object_of_another_force_is_not_found(world, role):
    client = api_client(world, role)
    details = [*DETAILS.items(), *CAUSE_ENTRY.items()]
    for (name, kwargs), (side, sees) in product(details, [(world.a, SEES_A), (world.b, SEES_B)]):
        response = client.get(reverse(name, kwargs=kwargs(side)))
        expected = 401 if role in REFUSED else 200 if role in sees else 404
        assert response.status_code == expected, (name, side.force.name)
        if expected == 200:
            body = response.json()
            assert body.get("id", body.get("version")) is not None
        else:
            # Nothing of the object in a refusal: only why.
            assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("role", ["lead", "inspector", "other_lead"])
def test_filters_cannot_reach_another_force(world, role):
    """Asking by another force's slug or ids finds nothing, rather than its data."""
    client = api_client(world, role)
    other = world.b if role in SEES_A else world.a
    queries = [
        ("api:item-list", {"force": other.force.slug}),
        ("api:item-list", {"inspection": other.inspection.pk}),
        ("api:item-list", {"cause_of_concern": other.cause.pk}),
        ("api:item-list", {"owner": other.action.owner_id}),
        ("api:action-list", {"item": other.item.pk}),
        ("api:progress-update-list", {"item": other.item.pk}),
        ("api:evidence-list", {"item": other.item.pk}),
        ("api:timeline-entry-list", {"item": other.item.pk}),
        ("api:timeline-entry-list", {"cause_of_concern": other.cause.pk}),
        ("api:cause-of-concern-list", {"inspection": other.inspection.pk}),
        ("api:inspection-list", {"force": other.force.slug}),
    ]
    for name, query in queries:
        response = client.get(reverse(name), query)
        assert response.status_code == 200
        assert response.json()["results"] == [], (name, query)


def test_evidence_metadata_only_and_its_download_still_checked(world, client):
    """The API gives no file bytes: a file's download is the item page's, which checks who
    asks."""
    api = api_client(world, "lead")
    body = api.get(reverse("api:evidence-detail", args=[world.a.file_evidence.pk])).json()
    assert body["kind"] == "file"
    assert body["file_name"] == world.a.file_evidence.file_name
    assert "%PDF" not in str(body)
    client.force_login(world.users["other_lead"])
    assert client.get(body["download_url"]).status_code == 404
    client.force_login(world.users["lead"])
    assert client.get(body["download_url"]).status_code == 200


def test_a_deactivated_users_tokens_stop_working(world):
    client = api_client(world, "lead")
    assert client.get(reverse("api:item-list")).status_code == 200
    world.users["lead"].is_active = False
    world.users["lead"].save()
    assert client.get(reverse("api:item-list")).status_code == 401


def test_session_sign_in_works_for_the_browsable_api(world, client):
    client.force_login(world.users["lead"])
    response = client.get(reverse("api:item-list"), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert world.a.item.text in response.content.decode()
    assert world.b.item.display_reference not in response.content.decode()

"""The first page: after sign-in, the items the user may see and nothing else."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations.models import Status
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("recommendations:item-list")


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_then_see_the_list(client, lead):
    response = client.post(
        reverse("login"), {"username": "lead", "password": "correct-horse-battery"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "recommendations:force-dashboard", args=[lead.force.slug]
    )
    assert b"Open items, most urgent first" in response.content


def test_wrong_password_shows_an_error(client, lead):
    response = client.post(reverse("login"), {"username": "lead", "password": "nope"})
    assert response.status_code == 200
    assert b"Enter a correct username and password" in response.content


@time_machine.travel(date(2024, 6, 1), tick=False)
def test_lead_sees_own_items_with_due_date_status_and_overdue(client, lead, force, other_force):
    mine = factories.ItemFactory(
        inspection__force=force, reference="9207/1", due_on=date(2024, 5, 1)
    )
    factories.ItemFactory(inspection__force=other_force, reference="NS-SECRET")
    client.force_login(lead)
    html = client.get(URL).content.decode()
    assert "9207/1" in html
    assert mine.inspection.title in html
    assert "1 May 2024" in html
    assert "Awaiting review" in html
    assert 'data-rag="overdue">Overdue</strong>' in html
    assert "by 31 days" in html
    assert "NS-SECRET" not in html


@time_machine.travel(date(2024, 6, 1), tick=False)
def test_closed_items_are_not_overdue(client, lead, force):
    item = factories.ItemFactory(
        inspection__force=force, due_on=date(2024, 1, 1), status=Status.COMPLETE
    )
    client.force_login(lead)
    html = client.get(URL, {"status": "all"}).content.decode()
    assert item.reference in html
    assert 'data-rag="overdue"' not in html
    assert 'data-rag="complete">Complete</strong>' in html
    assert item.reference not in client.get(URL).content.decode()  # open items by default


def test_inspector_sees_assigned_forces_only(client, force, other_force):
    third = factories.ForceFactory(name="Elsewhere Constabulary")
    inspector = factories.InspectorFactory(forces=[force, other_force])
    factories.ItemFactory(inspection__force=force, reference="A-1")
    factories.ItemFactory(inspection__force=other_force, reference="B-1")
    factories.ItemFactory(inspection__force=third, reference="C-1")
    client.force_login(inspector)
    html = client.get(URL).content.decode()
    assert "A-1" in html and "B-1" in html
    assert "C-1" not in html


def test_list_runs_a_fixed_number_of_queries(client, lead, force, django_assert_num_queries):
    client.force_login(lead)
    factories.ItemFactory.create_batch(3, inspection__force=force)
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"status": "all"})
    factories.ItemFactory.create_batch(60, inspection__force=force)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"status": "all"})
    assert response.context["page"].paginator.count == 63

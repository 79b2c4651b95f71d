"""Styled GOV.UK error pages with production settings (DEBUG off, as in every test): 400, 403,
the CSRF failure, 404, 500 (rendered without a request or the database) and the maintenance
switch's 503."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from recommendations.views.items import ItemListView
from tests import factories

pytestmark = pytest.mark.django_db

STYLESHEET = '<link rel="stylesheet" href="/static/build/tracker.css">'


def page_of(response) -> tuple[str, str]:
    """The page's title and its main heading."""
    html = response if isinstance(response, str) else response.content.decode()
    assert STYLESHEET in html and "govuk-phase-banner" in html  # the service's own layout
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    heading = re.search(r'<h1 class="govuk-heading-l">(.*?)</h1>', html, re.S).group(1)
    return title, heading


def test_debug_is_off_as_in_production(settings):
    assert settings.DEBUG is False


def test_a_page_that_does_not_exist(client, lead, other_lead):
    assert page_of(client.get("/no-such-page/")) == (
        "Page not found – Inspection tracker",
        "Page not found",
    )
    # Another force's item reads exactly the same: never a hint that it exists.
    item = factories.ItemFactory(inspection__force=other_lead.force)
    client.force_login(lead)
    response = client.get(reverse("recommendations:item-detail", args=[item.pk]))
    assert response.status_code == 404
    assert page_of(response)[1] == "Page not found"
    assert ">Sign out</button>" in response.content.decode()


def test_a_page_the_role_does_not_allow(client, lead):
    client.force_login(lead)
    response = client.get(reverse("notifications:status"))
    assert response.status_code == 403
    assert page_of(response) == (
        "You do not have permission to do this – Inspection tracker",
        "You do not have permission to do this",
    )
    assert "Force improvement lead" in response.content.decode()


def test_a_form_without_its_security_token(lead):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "lead", "password": "x"})
    assert response.status_code == 403
    assert page_of(response)[1] == "Sorry, we could not accept that form"
    assert "Nothing was saved" in response.content.decode()


def test_a_request_for_a_host_the_service_does_not_serve(client):
    response = client.get("/", HTTP_HOST="tracker.evil.example")
    assert response.status_code == 400
    assert page_of(response)[1] == "Sorry, there is a problem with that request"


def test_a_server_error(client, lead, monkeypatch):
    def broken(self, request):
        raise RuntimeError("boom")

    monkeypatch.setattr(ItemListView, "get", broken)
    client.raise_request_exception = False
    client.force_login(lead)
    response = client.get(reverse("recommendations:item-list"))
    assert response.status_code == 500
    assert page_of(response) == (
        "Sorry, there is a problem with the service – Inspection tracker",
        "Sorry, there is a problem with the service",
    )
    assert "boom" not in response.content.decode()


def test_the_server_error_page_needs_no_request_and_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert page_of(html)[1] == "Sorry, there is a problem with the service"
    assert "Sign out" not in html


def test_the_maintenance_switch_answers_503_without_the_database(
    client, settings, lead, django_assert_num_queries
):
    client.force_login(lead)
    settings.TRACKER_MAINTENANCE = True
    for url in (reverse("recommendations:item-list"), reverse("login"), "/admin/"):
        with django_assert_num_queries(0):
            response = client.get(url)
        assert response.status_code == 503, url
        assert page_of(response) == (
            "Sorry, the service is unavailable – Inspection tracker",
            "Sorry, the service is unavailable",
        )
        assert response["Retry-After"] == "3600"
        assert "script-src 'self'" in response["Content-Security-Policy"]
    with django_assert_num_queries(0):
        assert client.post(reverse("logout")).status_code == 503

    settings.TRACKER_MAINTENANCE = False
    assert client.get(reverse("recommendations:item-list")).status_code == 200


def test_the_feedback_link_is_on_the_error_pages_too(settings):
    settings.TRACKER_FEEDBACK_URL = "https://forms.example.gov.uk/tracker"
    for template in ("500.html", "503.html"):
        assert 'href="https://forms.example.gov.uk/tracker"' in render_to_string(template)

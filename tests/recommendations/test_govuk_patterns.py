"""GOV.UK patterns on every page: the three-field date input (never the browser's date picker),
"Error: " page titles, one "(optional)" rule, sign out in the header, the beta banner's
feedback link."""

from __future__ import annotations

import inspect
import re
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from django import forms as django_forms
from django.urls import reverse
from django.utils import timezone

from notifications import forms as notification_forms
from recommendations import forms, forms_import
from recommendations.forms_dates import GovUKDateField
from recommendations.models import Status
from tests import factories
from tests.dates import date_fields

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 2)
REGISTER = (
    Path(__file__).resolve().parents[1] / "fixtures/publications/register_cleveland_2018_9207.txt"
)


@pytest.fixture(autouse=True)
def _fixed_today():
    with time_machine.travel(TODAY, tick=False):
        yield


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def header(response) -> str:
    html = response.content.decode()
    return html[html.index("<header>") : html.index("</header>")]


@pytest.fixture
def world(force, lead, owner, inspector):
    inspection = factories.InspectionFactory(force=force, published_on=date(2025, 1, 10))
    cause = factories.CauseOfConcernFactory(inspection=inspection)
    item = factories.ItemFactory(
        inspection=inspection,
        cause_of_concern=cause,
        status=Status.BEING_PROGRESSED,
        due_on=date(2025, 9, 30),
    )
    factories.ActionFactory(item=item, owner=owner, target_on=date(2025, 8, 1))
    submitted = factories.ItemFactory(
        inspection=inspection,
        status=Status.AWAITING_REVIEW,
        due_on=date(2025, 9, 30),
        submitted_at=timezone.make_aware(datetime(2025, 5, 20, 10)),
    )
    return {"item": item, "submitted": submitted, "cause": cause, "force": force}


def pages_with_forms(client, world, lead, inspector):
    """Every page that has a form, as the user who sees its forms: (name, response)."""
    item_url = reverse("recommendations:item-detail", args=[world["item"].pk])
    slug = world["force"].slug
    client.force_login(lead)
    yield "item page (force lead)", client.get(item_url)
    yield "dashboard", client.get(reverse("recommendations:force-dashboard", args=[slug]))
    yield "all items", client.get(reverse("recommendations:item-list"))
    yield "preferences", client.get(reverse("notifications:preferences"))
    yield "password", client.get(reverse("password_change"))
    client.force_login(inspector)
    submitted_url = reverse("recommendations:item-detail", args=[world["submitted"].pk])
    yield "item page (inspector)", client.get(submitted_url)
    yield "monitoring stage", client.get(reverse("recommendations:monitoring-stage", args=[slug]))
    close_url = reverse("recommendations:cause-of-concern-close", args=[world["cause"].pk])
    yield "close cause of concern", client.get(close_url)
    yield "review queue", client.get(reverse("recommendations:review-queue"))
    yield "import", client.get(reverse("recommendations:import"))
    client.post(
        reverse("recommendations:import"),
        {"force": world["force"].pk, "text": REGISTER.read_text(encoding="utf-8")},
    )
    yield "import preview", client.get(reverse("recommendations:import-preview"))
    client.logout()
    yield "sign in", client.get(reverse("login"))


def test_no_page_uses_the_browsers_date_picker(client, world, lead, inspector):
    with_dates = set()
    for name, response in pages_with_forms(client, world, lead, inspector):
        assert response.status_code == 200, name
        html = response.content.decode()
        assert 'type="date"' not in html, name
        assert "(optional) (optional)" not in html, name
        if "govuk-date-input" in html:
            with_dates.add(name)
    assert with_dates >= {
        "item page (force lead)",
        "item page (inspector)",
        "monitoring stage",
        "close cause of concern",
        "import",
        "import preview",
    }


def _form_classes():
    for module in (forms, forms_import, notification_forms):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, django_forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_date_field_is_the_govuk_one_and_no_label_says_optional():
    classes = list(_form_classes())
    assert forms.DueDateForm in classes and forms_import.PreviewRowForm in classes
    for cls in classes:
        for name, field in cls.base_fields.items():
            if isinstance(field, django_forms.DateField | django_forms.DateTimeField):
                pytest.fail(f"{cls.__name__}.{name} is not a GovUKDateField")
            assert "optional" not in str(field.label or "").lower(), f"{cls.__name__}.{name}"
    assert isinstance(forms.DueDateForm.base_fields["due_on"], GovUKDateField)


def test_optional_is_added_once_by_the_field_include(client, world, inspector):
    client.force_login(inspector)
    html = client.get(
        reverse("recommendations:item-detail", args=[world["submitted"].pk])
    ).content.decode()
    assert html.count("Reference of the item that replaces it (optional)") == 1
    html = client.get(reverse("recommendations:monitoring-stage", args=[world["force"].slug]))
    html = html.content.decode()
    assert "Date the stage started</legend>" in html  # required: no "(optional)"
    assert "Note (optional)" in html


def test_titles_start_with_error_when_a_form_on_the_page_has_errors(client, world, lead, inspector):
    item = world["item"]
    client.force_login(lead)
    item_url = reverse("recommendations:item-detail", args=[item.pk])
    assert not title(client.get(item_url)).startswith("Error:")
    refused = client.post(
        reverse("recommendations:extension-request", args=[item.pk]),
        {**date_fields("extension-due_on", None), "extension-reason": ""},
    )
    assert refused.status_code == 400
    assert title(refused).startswith("Error: Recommendation")
    bad_filter = client.get(reverse("recommendations:item-list"), {"status": "bogus"})
    assert title(bad_filter) == "Error: All items – Inspection tracker"
    assert (
        title(client.get(reverse("recommendations:item-list"))) == "All items – Inspection tracker"
    )

    client.force_login(inspector)
    stage_url = reverse("recommendations:monitoring-stage", args=[world["force"].slug])
    assert not title(client.get(stage_url)).startswith("Error:")
    assert title(client.post(stage_url, {"stage": "engage"})).startswith("Error: Monitoring stage")
    assert title(client.post(reverse("recommendations:import"), {})).startswith(
        "Error: Import a publication"
    )

    client.logout()
    failed = client.post(reverse("login"), {"username": "lead", "password": "wrong"})
    assert title(failed) == "Error: Sign in – Inspection tracker"


def test_sign_out_is_in_the_header_of_every_signed_in_page_and_works(client, world, lead):
    client.force_login(lead)
    for url in (
        reverse("recommendations:item-detail", args=[world["item"].pk]),
        reverse("recommendations:force-dashboard", args=[world["force"].slug]),
        reverse("notifications:preferences"),
        reverse("password_change"),
    ):
        top = header(client.get(url))
        assert f'<form method="post" action="{reverse("logout")}"' in top, url
        assert ">Sign out</button>" in top, url

    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    after = client.get(reverse("recommendations:item-list"))
    assert after.status_code == 302 and after["Location"].startswith(reverse("login"))
    assert "Sign out" not in header(client.get(reverse("login")))


def test_the_beta_banner_links_to_the_configured_feedback_address(client, settings, lead):
    settings.TRACKER_FEEDBACK_URL = "mailto:improve-the-tracker@example.gov.uk"
    client.force_login(lead)
    page = client.get(reverse("recommendations:item-list")).content.decode()
    link = '<a class="govuk-link" href="mailto:improve-the-tracker@example.gov.uk">'
    assert f"{link}give your feedback by email</a>" in page
    settings.TRACKER_FEEDBACK_URL = "https://forms.example.gov.uk/tracker-feedback"
    client.logout()
    page = client.get(reverse("login")).content.decode()
    banner = page[page.index('class="govuk-phase-banner"') :]
    assert (
        '<a class="govuk-link" href="https://forms.example.gov.uk/tracker-feedback">'
        "give your feedback</a>"
    ) in banner


def test_a_refused_date_on_the_import_page_is_shown_open(client, world, inspector):
    client.force_login(inspector)
    response = client.post(
        reverse("recommendations:import"),
        {
            "force": world["force"].pk,
            "text": REGISTER.read_text(encoding="utf-8"),
            **date_fields("published_on", None),
            "published_on-year": "1899",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert (
        '<a href="#id_published_on-day">Publication date must include a day and month</a>'
    ) in html
    assert '<details class="govuk-details" open>' in html

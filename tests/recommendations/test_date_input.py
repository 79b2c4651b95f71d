"""The GOV.UK date input: three fields, GOV.UK's error wording naming the date, the part in
error highlighted, the error summary linking to the day, the value shown back."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django import forms as django_forms
from django.template.loader import render_to_string
from django.urls import reverse

from recommendations.forms import GovUKFormMixin, MonitoringStageForm
from recommendations.forms_dates import PARTS, GovUKDateField
from recommendations.models import Item, Status
from tests import factories
from tests.dates import date_fields, date_shown

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_today():
    with time_machine.travel(date(2025, 6, 2), tick=False):
        yield


class DateForm(GovUKFormMixin, django_forms.Form):
    started_on = GovUKDateField(label="Date the stage started")
    target_on = GovUKDateField(label="Target date", required=False)


def submit(day="", month="", year="", **extra) -> DateForm:
    form = DateForm(
        {"started_on-day": day, "started_on-month": month, "started_on-year": year, **extra}
    )
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (("7", "8", "2018"), date(2018, 8, 7)),
        ((" 07 ", "08", "2018"), date(2018, 8, 7)),
        (("1", "Mar", "2024"), date(2024, 3, 1)),
        (("1", "march", "2024"), date(2024, 3, 1)),
        (("29", "2", "2024"), date(2024, 2, 29)),
        (("1", "1", "2000"), date(2000, 1, 1)),
        (("31", "12", "2100"), date(2100, 12, 31)),
    ],
)
def test_a_real_date_is_accepted(typed, expected):
    form = submit(*typed)
    assert form.errors == {}
    assert form.cleaned_data["started_on"] == expected


@pytest.mark.parametrize(
    ("typed", "message", "parts"),
    [
        (("", "", ""), "Enter the date the stage started", {"day", "month", "year"}),
        (("12", "", "2024"), "Date the stage started must include a month", {"month"}),
        (("", "", "2024"), "Date the stage started must include a day and month", {"day", "month"}),
        (("5", "6", ""), "Date the stage started must include a year", {"year"}),
        (("32", "1", "2024"), "Date the stage started must be a real date", {"day"}),
        (("1", "13", "2024"), "Date the stage started must be a real date", {"month"}),
        (("31", "2", "2025"), "Date the stage started must be a real date", {"day"}),
        (("x", "y", "z"), "Date the stage started must be a real date", {"day", "month", "year"}),
        (("1", "1", "24"), "Date the stage started must include a year with 4 numbers", {"year"}),
        (
            ("31", "12", "1999"),
            "Date the stage started must be between 1 January 2000 and 31 December 2100",
            {"year"},
        ),
        (
            ("1", "1", "9999"),
            "Date the stage started must be between 1 January 2000 and 31 December 2100",
            {"year"},
        ),
        (
            ("1", "1", "9" * 5000),
            "Date the stage started must include a year with 4 numbers",
            {"year"},
        ),
        (("١", "1", "2024"), "Date the stage started must be a real date", {"day"}),
    ],
)
def test_a_wrong_date_is_refused_in_govuk_words_with_the_part_in_error(typed, message, parts):
    form = submit(*typed)
    assert form.errors["started_on"] == [message]
    html = str(form["started_on"])
    for part in ("day", "month", "year"):
        tag = re.search(rf'<input [^>]*id="id_started_on-{part}"[^>]*>', html).group(0)
        assert ("govuk-input--error" in tag) == (part in parts), part
        assert ('aria-invalid="true"' in tag) == (part in parts), part


def test_an_optional_date_may_be_left_blank_but_not_half_filled():
    assert submit("1", "2", "2024").cleaned_data["target_on"] is None
    form = submit("1", "2", "2024", **{"target_on-month": "3"})
    assert form.errors["target_on"] == ["Target date must include a day and year"]


def test_one_iso_value_under_the_fields_own_name_is_accepted_too():
    form = DateForm({"started_on": "2024-05-01"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["started_on"] == date(2024, 5, 1)
    assert DateForm({"started_on": "1 May"}).errors["started_on"] == [
        "Date the stage started must be a real date"
    ]


def test_an_error_the_form_adds_highlights_the_whole_date():
    form = submit("1", "2", "2024")
    form.add_error("started_on", "The stage cannot start before the inspection.")
    html = str(form["started_on"])
    assert html.count("govuk-input--error") == 3


def test_the_three_fields_follow_the_govuk_markup_and_show_the_initial_date():
    form = MonitoringStageForm(initial={"started_on": date(2024, 3, 5)})
    html = render_to_string("includes/field.html", {"field": form["started_on"]})
    assert '<fieldset class="govuk-fieldset" role="group"' in html
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">'
        "Date the stage started</legend>"
    ) in html
    assert '<div class="govuk-date-input" id="id_started_on">' in html
    for part, width, value in (("day", 2, "5"), ("month", 2, "3"), ("year", 4, "2024")):
        label = f'<label class="govuk-label govuk-date-input__label" for="id_started_on-{part}">'
        assert label in html
        tag = re.search(rf'<input [^>]*id="id_started_on-{part}"[^>]*>', html).group(0)
        assert f'name="started_on-{part}"' in tag
        assert f'value="{value}"' in tag
        assert 'type="text"' in tag and 'inputmode="numeric"' in tag
        assert f"govuk-input--width-{width}" in tag
    assert 'type="date"' not in html


def test_a_wrong_date_on_the_item_page_links_the_summary_to_the_day(client, force, inspector):
    item = factories.ItemFactory(
        inspection__force=force, status=Status.BEING_PROGRESSED, due_on=date(2030, 1, 31)
    )
    client.force_login(inspector)
    page = client.get(reverse("recommendations:item-detail", args=[item.pk])).content.decode()
    assert date_shown(page, "id_due-due_on") == ("31", "1", "2030")  # the current one to edit
    response = client.post(
        reverse("recommendations:item-due-date", args=[item.pk]),
        {
            "due-due_on-day": "31",
            "due-due_on-month": "",
            "due-due_on-year": "2030",
            "due-reason": "x",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#id_due-due_on-day">New due date must include a month</a>' in html
    assert date_shown(html, "id_due-due_on") == ("31", "", "2030")  # what was typed, kept
    assert Item.objects.get(pk=item.pk).due_on == date(2030, 1, 31)


def test_an_action_is_changed_through_its_own_three_fields(client, force, lead, owner):
    item = factories.ItemFactory(inspection__force=force, status=Status.BEING_PROGRESSED)
    action = factories.ActionFactory(item=item, owner=owner, target_on=date(2030, 4, 1))
    client.force_login(lead)
    page = client.get(reverse("recommendations:item-detail", args=[item.pk])).content.decode()
    assert date_shown(page, f"id_action-{action.pk}-target_on") == ("1", "4", "2030")

    url = reverse("recommendations:action-update", args=[item.pk, action.pk])
    prefix = f"action-{action.pk}"
    data = {
        f"{prefix}-description": action.description,
        f"{prefix}-owner": owner.pk,
        f"{prefix}-status": "in-progress",
    }
    typed = dict(
        zip([f"{prefix}-target_on-{part}" for part in PARTS], ("40", "4", "2030"), strict=True)
    )
    refused = client.post(url, {**data, **typed})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert f'<a href="#id_{prefix}-target_on-day">Target date must be a real date</a>' in html
    # The action's own form is shown open with what was typed; "Add an action" stays closed.
    assert date_shown(html, f"id_{prefix}-target_on") == ("40", "4", "2030")
    summary = '<details class="govuk-details" open><summary class="govuk-details__summary">'
    assert f'{summary}<span class="govuk-details__summary-text">Change this action' in html
    assert f'{summary}<span class="govuk-details__summary-text">Add an action' not in html

    done = client.post(url, {**data, **date_fields(f"{prefix}-target_on", date(2030, 5, 6))})
    assert done.status_code == 302
    action.refresh_from_db()
    assert (action.target_on, action.status) == (date(2030, 5, 6), "in-progress")

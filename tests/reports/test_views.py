"""The report page: the period picker, figures that lead to the items behind them, scoping,
and a fixed number of queries however many items there are."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.views import period_query
from tests import factories
from tests.dates import date_fields, date_shown
from tests.reports.conftest import Q2, THIS_QUARTER, at

pytestmark = pytest.mark.django_db

PACK = reverse("reports:pack")


def figure(html: str, cell_id: str) -> tuple[str, str | None]:
    """The number in a figure's cell, and where its link goes (None if it has none)."""
    cell = re.search(rf'id="{cell_id}">(.*?)</td>', html, re.DOTALL).group(1)
    link = re.search(r'href="([^"]*)"', cell)
    number = re.sub(r"<[^>]+>", "", cell).strip()
    return number, link.group(1).replace("&amp;", "&") if link else None


def test_the_lead_sees_this_quarter_so_far_by_default(year, client, lead):
    client.force_login(lead)
    html = client.get(PACK).content.decode()

    assert date_shown(html, "id_start") == ("1", "7", "2025")
    assert date_shown(html, "id_end") == ("10", "7", "2025")
    assert "Period: 1 July 2025 to 10 July 2025." in html
    dashboard = reverse("recommendations:force-dashboard", args=["cleveland-police"])
    assert figure(html, "count-overdue") == ("2", f"{dashboard}?due=overdue")
    assert figure(html, "count-returned") == ("1", f"{dashboard}?status=returned")
    assert figure(html, "count-awaiting_review") == ("0", f"{dashboard}?status=submitted")
    assert figure(html, "count-due_soon")[1] == f"{dashboard}?due=30"
    assert figure(html, "in-period-due_changes") == ("1", "#due-changes")
    # The dashboard's filtered list has exactly the items the figure counts.
    listed = client.get(figure(html, "count-overdue")[1]).content.decode()
    assert len(re.findall(r'href="/items/\d+/"', listed)) == 2
    # Each format is offered for the same period.
    for key in ("docx", "pdf", "xlsx"):
        query = period_query(THIS_QUARTER).replace("&", "&amp;")
        assert f"?{query}&amp;format={key}" in html


def test_a_past_period_links_figures_to_its_own_tables(year, client, lead):
    client.force_login(lead)
    html = client.get(f"{PACK}?{period_query(Q2)}").content.decode()

    assert figure(html, "count-overdue") == ("3", "#overdue")
    assert figure(html, "count-complete") == ("2", None)  # the list would show today's
    assert figure(html, "in-period-completed") == ("1", "#completed")
    assert 'id="overdue"' in html and "Show the attendance records." not in html
    assert "The new IT system arrives in August." in html  # the due date change's reason
    assert figure(html, "ageing-3") == ("1", None)


def test_inspection_figures_lead_to_the_inspections_items(year, client, lead):
    client.force_login(lead)
    html = client.get(PACK).content.decode()
    dashboard = reverse("recommendations:force-dashboard", args=["cleveland-police"])
    expected = f"{dashboard}?inspection={year.peel.pk}&amp;kind=recommendation&amp;status=all"
    assert expected in html


def _period(start, end) -> dict[str, str]:
    return {**date_fields("start", start), **date_fields("end", end)}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (_period("2025-07-01", "2025-07-11"), "End date must be today or in the past"),
        (
            _period("2025-07-05", "2025-07-01"),
            "Start date must be the same as or before the end date",
        ),
        (_period(None, "2025-07-01"), "Enter the start date"),
        (
            {
                **_period(None, "2025-07-01"),
                "start-day": "31",
                "start-month": "2",
                "start-year": "2025",
            },
            "Start date must be a real date",
        ),
    ],
)
def test_a_wrong_period_is_explained(year, client, lead, fields, message):
    client.force_login(lead)
    response = client.get(PACK, {**fields, "format": "pdf"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error: " in html
    assert message in html
    assert "govuk-error-summary" in html


def test_choosing_a_force_goes_to_its_report(year, client, inspector, force):
    client.force_login(inspector)
    response = client.get(PACK, {"force": force.slug, **date_fields("start", "2025-04-01")})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reports:force-pack", args=[force.slug]))
    assert "start-day=1" in response["Location"]
    back = client.get(PACK, {"force": ""})
    assert back["Location"] == PACK


def test_the_inspector_sees_both_forces(year, client, inspector):
    client.force_login(inspector)
    html = client.get(PACK).content.decode()
    assert "Cleveland Police and Northshire Police (demo)" in html
    all_items = reverse("recommendations:item-list")
    assert figure(html, "count-total") == ("10", f"{all_items}?status=all")
    assert "All your forces (2)" in html


def test_one_force_cannot_see_another_forces_report(year, client, other_lead, force):
    client.force_login(other_lead)
    url = reverse("reports:force-pack", args=[force.slug])
    assert client.get(url).status_code == 404
    assert client.get(url, {"format": "pdf"}).status_code == 404
    assert client.get(PACK, {"force": force.slug}).status_code == 404
    # Their own report says nothing of Cleveland.
    html = client.get(PACK).content.decode()
    assert "Cleveland" not in html
    for key in ("docx", "pdf", "xlsx"):
        assert b"Cleveland" not in client.get(PACK, {"format": key}).content


def test_an_inspector_of_other_forces_cannot_see_it(year, client, force):
    stranger = factories.InspectorFactory(forces=[factories.ForceFactory(name="Elsewhere")])
    client.force_login(stranger)
    assert client.get(reverse("reports:force-pack", args=[force.slug])).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, force):
    for url in (PACK, reverse("reports:force-pack", args=[force.slug]) + "?format=docx"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["lead", "owner", "sponsor", "inspector"])
def test_reports_are_in_the_service_navigation(client, request, who):
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert f'href="{PACK}">Reports</a>' in html


def _items(force, count: int, time_machine) -> None:
    time_machine.move_to(at(date(2025, 1, 10)), tick=False)
    inspection = factories.InspectionFactory(force=force, published_on=date(2025, 1, 10))
    cause = factories.CauseOfConcernFactory(inspection=inspection)
    for n in range(count):
        item = factories.ItemFactory(
            inspection=inspection,
            cause_of_concern=cause if n % 2 else None,
            due_on=date(2025, 3, 1 + n % 28),
            owner=None,
        )
        factories.TimelineEntryFactory(item=item, kind="created", status_to=item.status)
        factories.ActionFactory(item=item)
    time_machine.move_to(at(date(2025, 7, 10)), tick=False)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("file_format", ["", "docx", "pdf", "xlsx"])
def test_same_queries_for_10_and_200_items(client, force, lead, time_machine, file_format):
    factories.GradedJudgmentFactory(inspection__force=force)
    client.force_login(lead)
    url = f"{PACK}?{period_query(Q2)}&format={file_format}"
    _items(force, 10, time_machine)
    few = _queries(client, url)
    _items(force, 190, time_machine)
    many = _queries(client, url)
    assert few == many
    assert many <= 20


def test_an_inspector_without_forces_is_told_so(client):
    client.force_login(factories.InspectorFactory())
    response = client.get(PACK, {"format": "docx"})
    assert response.status_code == 200
    assert "No forces are assigned to you" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"format": "exe"},
        {"start-day": "x", "start-month": "y", "start-year": "z"},
        {**date_fields("start", "1999-12-31"), **date_fields("end", "2000-01-01")},
        {"start": "2025-13-45", "end": "<script>"},
        {"force": "../../etc"},
        {"page": "-1", "format": ""},
    ],
)
def test_no_input_breaks_the_page(year, client, lead, query):
    client.force_login(lead)
    response = client.get(PACK, query)
    assert response.status_code in (200, 302, 400, 404)


def test_a_request_to_prepare_without_a_period_is_refused_gently(year, client, lead):
    client.force_login(lead)
    response = client.post(reverse("reports:downloads"), {"format": "pdf"})
    assert response.status_code == 302
    assert response["Location"] == PACK

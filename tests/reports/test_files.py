"""Each file, opened with its own library, holds the figures the database gives: for the
Cleveland lead and for the inspector of both forces, for the second quarter and for this
quarter so far, with the clock frozen on 10 July 2025."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations.models import Item
from reports.pack import COUNT_LABELS, IN_PERIOD_LABELS
from reports.renderers import FORMATS
from reports.selectors import pack_build, pack_forces
from reports.views import period_query
from tests.reports.conftest import Q2, THIS_QUARTER, TODAY, dashboard
from tests.reports.readers import pdf_figures, pdf_text, read_docx, read_xlsx

pytestmark = pytest.mark.django_db

CASES = [("lead", Q2), ("lead", THIS_QUARTER), ("inspector", Q2), ("inspector", THIS_QUARTER)]
# What the Cleveland lead reads for the second quarter, worked out by hand from the story.
LEAD_Q2 = {
    "completed": ["PEEL 2023–2025 R3"],
    "overdue": ["PEEL 2023–2025 R4", "Revisit letter 2025 R1", "Revisit letter 2025 R2"],
    "days_overdue": [150, 32, 32],
    "awaiting": ["Revisit letter 2025 R1"],
    "reasons": ["The new IT system arrives in August."],
}


def download(client, user, period, file_format: str):
    client.force_login(user)
    response = client.get(f"{reverse('reports:pack')}?{period_query(period)}&format={file_format}")
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[file_format].content_type
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response.content


def expected(year, user, period) -> dict[str, int]:
    """The headline numbers from the database: as the dashboard counted them on the last day
    of the second quarter, or as it counts them today."""
    counts = year.dashboard_at_q2_end[user.username] if period == Q2 else dashboard(user, TODAY)
    return {COUNT_LABELS[key]: n for key, n in counts.items()}


def _lists(figures) -> dict:
    return {name: getattr(figures, name) for name in LEAD_Q2}


@pytest.mark.parametrize(("who", "period"), CASES)
def test_word_document(year, client, request, who, period):
    user = request.getfixturevalue(who)
    figures, document = read_docx(download(client, user, period, "docx"))
    pack = pack_build(forces=pack_forces(user), period=period)

    assert figures.position == expected(year, user, period)
    assert figures.changes == {IN_PERIOD_LABELS[k]: n for k, n in pack.in_period.items()}
    assert figures.completed == [r.reference for r in pack.completed]
    assert figures.overdue == [r.reference for r in pack.overdue]
    assert figures.awaiting == [r.reference for r in pack.awaiting_inspector]
    if (who, period) == ("lead", Q2):
        assert _lists(figures) == LEAD_Q2
    # Headings for the navigation pane, both charts as pictures with a text alternative.
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == [
        "Summary",
        "Monitoring stage and latest graded judgments",
        "Progress by inspection",
    ]
    assert len(document.inline_shapes) == 2
    assert all(shape._inline.docPr.get("descr") for shape in document.inline_shapes)
    assert document.core_properties.title.startswith(pack.scope)
    assert document.sections[0].page_width.mm == pytest.approx(210, abs=0.5)


@pytest.mark.parametrize(("who", "period"), CASES)
def test_excel_workbook(year, client, request, who, period):
    user = request.getfixturevalue(who)
    figures, workbook = read_xlsx(download(client, user, period, "xlsx"))
    pack = pack_build(forces=pack_forces(user), period=period)

    assert figures.position == expected(year, user, period)
    assert figures.changes == {IN_PERIOD_LABELS[k]: n for k, n in pack.in_period.items()}
    assert figures.completed == [r.reference for r in pack.completed]
    assert figures.overdue == [r.reference for r in pack.overdue]
    assert figures.days_overdue == [r.days_overdue for r in pack.overdue]
    assert figures.awaiting == [r.reference for r in pack.awaiting_inspector]
    if (who, period) == ("lead", Q2):
        assert _lists(figures) == LEAD_Q2
    # One sheet per table; numbers are numbers.
    assert workbook.sheetnames[:4] == ["Contents", "Position", "Changes in the period", "RAG"]
    by_inspection = list(workbook["By inspection"].iter_rows(values_only=True))
    header = by_inspection[0]
    rows = {row[header.index("Inspection")]: row for row in by_inspection[1:]}
    peel = rows["PEEL 2023–2025: Cleveland Police"]
    assert peel[header.index("Recommendations")] == 4
    assert peel[header.index("% complete")] == pytest.approx(0.5)  # 2 of 4, as a percentage


def test_excel_never_runs_an_items_text_as_a_formula(year, client, lead):
    _, workbook = read_xlsx(download(client, lead, Q2, "xlsx"))
    sheet = workbook["New"]
    Item.objects.filter(pk=year.items["b1"].pk).update(text='=HYPERLINK("http://evil")')
    _, workbook = read_xlsx(download(client, lead, Q2, "xlsx"))
    cells = [c for row in workbook["New"].iter_rows() for c in row if c.value]
    hostile = [c for c in cells if str(c.value).startswith("=")]
    assert hostile and all(c.data_type == "s" for c in hostile)
    assert sheet.title == "New"


@pytest.mark.parametrize(("who", "period"), CASES)
def test_pdf(year, client, request, who, period):
    user = request.getfixturevalue(who)
    text, reader = pdf_text(download(client, user, period, "pdf"))
    pack = pack_build(forces=pack_forces(user), period=period)

    figures = pdf_figures(text)
    assert figures["position"] == expected(year, user, period)
    assert figures["changes"] == {IN_PERIOD_LABELS[k]: n for k, n in pack.in_period.items()}
    for row in [*pack.completed, *pack.overdue, *pack.awaiting_inspector]:
        assert row.reference.split()[-1] in text
    if (who, period) == ("lead", Q2):
        words = " ".join(text.split())  # table cells wrap their text
        assert "The new IT system arrives in August." in words
        assert "Extended by 143 days" in words
    # Paged A4 with "Page n of N"; language, title, bookmarks and tagged figures.
    pages = len(reader.pages)
    assert pages >= 2
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert float(reader.pages[0].mediabox.width) == pytest.approx(595.28, abs=1)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata.title == pack.title
    outline = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    nested = [e.title for entry in reader.outline if isinstance(entry, list) for e in entry]
    assert outline[0] == pack.scope
    assert "Overdue at the end of the period" in nested
    tagged = [e for e in _structure(root["/StructTreeRoot"]) if e.get("/S") == "/Figure"]
    described = [str(e["/Alt"]) for e in tagged if "/Alt" in e]
    assert len(described) == 2
    assert described[0].startswith("Bar chart of the RAG")


def _structure(node):
    """Every element of a PDF's structure tree."""
    node = node.get_object()
    if isinstance(node, list):
        for kid in node:
            yield from _structure(kid)
    elif hasattr(node, "get"):
        yield node
        if "/K" in node:
            yield from _structure(node["/K"])

"""Read the pack's figures back out of each file with that format's own library."""

from __future__ import annotations

import re
from io import BytesIO

import docx
import openpyxl
from pypdf import PdfReader

from reports.pack import COUNT_LABELS, IN_PERIOD_LABELS


def _column(rows: list[list[str]], header: str) -> list[str]:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


class Figures:
    """What a committee member reads in the file: the headline numbers, and the references
    listed as completed, overdue and awaiting the inspector, and the due date changes."""

    position: dict[str, int]
    changes: dict[str, int]
    completed: list[str]
    overdue: list[str]
    days_overdue: list[int]
    awaiting: list[str]
    reasons: list[str]


def _tables_by_header(tables: list[list[list[str]]]) -> Figures:
    figures = Figures()
    for rows in tables:
        header = rows[0]
        if header == ["Measure", "Number"]:
            values = {row[0]: int(row[1]) for row in rows[1:]}
            if "Items in the tracker" in values:
                figures.position = values
            elif "New in the period" in values:
                figures.changes = values
        elif "Completed on" in header:
            figures.completed = _column(rows, "Reference")
        elif "Days overdue" in header:
            figures.overdue = _column(rows, "Reference")
            figures.days_overdue = [int(n) for n in _column(rows, "Days overdue")]
        elif "Submitted on" in header:
            figures.awaiting = _column(rows, "Reference")
        elif "Reason" in header:
            figures.reasons = _column(rows, "Reason")
    for name in ("completed", "overdue", "awaiting", "reasons"):
        if not hasattr(figures, name):
            setattr(figures, name, [])  # an empty table is a sentence, not a table
    figures.days_overdue = getattr(figures, "days_overdue", [])
    return figures


def read_docx(content: bytes) -> tuple[Figures, docx.document.Document]:
    document = docx.Document(BytesIO(content))
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    return _tables_by_header(tables), document


def read_xlsx(content: bytes) -> tuple[Figures, openpyxl.Workbook]:
    workbook = openpyxl.load_workbook(BytesIO(content))

    def rows(title: str) -> list[list]:
        """The sheet's rows; only the header when its table is empty (no Excel table)."""
        sheet = workbook[title]
        values = [[cell.value for cell in row] for row in sheet.iter_rows()]
        return values if sheet.tables else values[:1]

    figures = Figures()
    figures.position = {row[0]: row[1] for row in rows("Position")[1:]}
    figures.changes = {row[0]: row[1] for row in rows("Changes in the period")[1:]}
    figures.completed = _column(rows("Completed"), "Reference")
    figures.overdue = _column(rows("Overdue"), "Reference")
    figures.days_overdue = _column(rows("Overdue"), "Days overdue")
    figures.awaiting = _column(rows("Awaiting the inspector"), "Reference")
    figures.reasons = _column(rows("Due date changes"), "Reason")
    return figures, workbook


def pdf_text(content: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[ \t]+", " ", text), reader


def pdf_figures(text: str) -> dict[str, dict[str, int]]:
    """The two headline tables: each row reads "words number" on one line."""
    found: dict[str, dict[str, int]] = {"position": {}, "changes": {}}
    for key, labels in (("position", COUNT_LABELS), ("changes", IN_PERIOD_LABELS)):
        for words in labels.values():
            match = re.search(rf"^{re.escape(words)} (\d+)$", text, re.MULTILINE)
            if match:
                found[key][words] = int(match.group(1))
    return found

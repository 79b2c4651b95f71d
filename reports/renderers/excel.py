"""The pack as an Excel workbook (.xlsx): a contents sheet, then one sheet per table, each an
Excel table (filters, banded rows) with a frozen header row, real dates and numbers.

Text is always stored as text: an item's text that begins with "=" is never run as a formula.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import cast

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.worksheet.table import TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from reports.pack import Pack
from reports.renderers.cells import SHEET, Table, clean
from reports.renderers.layout import sections

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "d mmm yyyy"
WIDTHS = {"text": 24, "long": 70, "number": 14, "date": 13, "percent": 12}


def tables(pack: Pack) -> list[Table]:
    return [block for s in sections(pack) for block in s.blocks if isinstance(block, Table)]


def render(pack: Pack) -> bytes:
    workbook = Workbook()
    contents = cast(Worksheet, workbook.active)  # a new workbook has one sheet
    contents.title = "Contents"
    _contents(contents, pack)
    for number, table in enumerate(tables(pack), start=1):
        sheet = workbook.create_sheet(table.sheet)
        _sheet(sheet, table, number)
        contents.cell(
            row=7 + number, column=1, value=table.sheet
        ).hyperlink = f"#'{table.sheet}'!A1"
        _text(contents.cell(row=7 + number, column=2), table.title)
        contents.cell(row=7 + number, column=3, value=len(table.rows))
    workbook.properties.title = clean(pack.title)
    workbook.properties.subject = clean(pack.subtitle)
    workbook.properties.creator = "Inspection tracker"
    workbook.properties.language = "en-GB"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _contents(sheet, pack: Pack) -> None:
    _text(sheet.cell(row=1, column=1), pack.title).font = Font(bold=True, size=14)
    _text(sheet.cell(row=2, column=1), pack.subtitle)
    _text(sheet.cell(row=3, column=1), f"{pack.generated_label} by the Inspection tracker.")
    _text(
        sheet.cell(row=4, column=1),
        "Every figure is rebuilt from each item's history as it stood at the end of the period.",
    )
    for column, header in enumerate(("Sheet", "Table", "Rows"), start=1):
        sheet.cell(row=7, column=column, value=header).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 60


def _sheet(sheet, table: Table, number: int) -> None:
    columns = table.columns_for(SHEET)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[column.kind]
    for row_number, values in enumerate(table.rows, start=2):
        for index, column in enumerate(columns, start=1):
            _value(sheet.cell(row=row_number, column=index), column.kind, values.get(column.key))
    sheet.freeze_panes = "A2"
    if not table.rows:
        _text(sheet.cell(row=2, column=1), table.empty)
        return
    reference = f"A1:{get_column_letter(len(columns))}{len(table.rows) + 1}"
    name = re.sub(r"\W", "", table.sheet.title()) or "Table"
    excel_table = ExcelTable(displayName=f"{name}{number}", ref=reference)
    excel_table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    sheet.add_table(excel_table)


def _value(cell, kind: str, value) -> None:
    if value is None or value == "":
        return
    if kind == "percent":
        cell.value = value / 100
        cell.number_format = "0%"
    elif kind == "date":
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif kind == "number":
        cell.value = value
    else:
        _text(cell, str(value))
        if kind == "long":
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _text(cell, text: str):
    cell.value = clean(text)
    cell.data_type = "s"  # never a formula, whatever the text begins with
    return cell

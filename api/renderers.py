"""CSV for spreadsheets: `?format=csv` (or `Accept: text/csv`) on any list gives its page as
rows, one column per field."""

from __future__ import annotations

import csv
import io

from rest_framework import renderers

# A cell that starts like a formula is run by spreadsheet programs: it is neutralised.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if isinstance(value, dict):  # a person by name; anything else by its values
        value = value["name"] if "name" in value else " ".join(map(str, value.values()))
    elif isinstance(value, list):  # e.g. an inspection's grades
        value = "; ".join(str(_cell(entry)) for entry in value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        rows = data.get("results", [data]) if isinstance(data, dict) else data or []
        out = io.StringIO()
        out.write("\ufeff")  # so spreadsheet programs read UTF-8
        if rows:
            writer = csv.writer(out)
            writer.writerow(rows[0].keys())
            for row in rows:
                writer.writerow(_cell(value) for value in row.values())
        return out.getvalue().encode(self.charset)

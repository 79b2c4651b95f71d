"""The GOV.UK date input as a browser posts and shows it: three fields, day, month and year."""

from __future__ import annotations

import re
from datetime import date


def date_fields(name: str, value: date | str | None) -> dict[str, str]:
    """The POST data of the date input called ``name`` (``<name>-day``, ``-month``, ``-year``);
    an ISO string is split as a user would type it, None leaves the three fields blank."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    parts = ("", "", "") if value is None else (value.day, value.month, value.year)
    names = (f"{name}-day", f"{name}-month", f"{name}-year")
    return {key: str(part) for key, part in zip(names, parts, strict=True)}


def date_shown(html: str, field_id: str) -> tuple[str, str, str]:
    """The (day, month, year) the page shows in the date input whose id is ``field_id``."""
    values = []
    for part in ("day", "month", "year"):
        tag = re.search(rf'<input [^>]*id="{re.escape(field_id)}-{part}"[^>]*>', html)
        assert tag, f"no {part} input for {field_id}"
        value = re.search(r'value="([^"]*)"', tag.group(0))
        values.append(value.group(1) if value else "")
    return tuple(values)

"""The GOV.UK date input: three text fields (day, month, year) instead of the browser's date
picker, with the GOV.UK error wording that names the date and highlights the part in error."""

from __future__ import annotations

import calendar
import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from recommendations.services.common import EARLIEST_DATE, LATEST_DATE

PARTS = ("day", "month", "year")
# A date outside this range is a typing mistake (0001-01-01, 9999-12-31), never a deadline:
# the sweep would plan an escalation thousands of years away.
EARLIEST = EARLIEST_DATE
LATEST = LATEST_DATE
_ISO = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
# "3", "03", "Mar", "march": GOV.UK asks services to accept month names as well as numbers.
_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}


class GovUKDateInput(forms.MultiWidget):
    """Day, month and year inputs posted as ``<name>-day``, ``<name>-month``, ``<name>-year``,
    with ids ``<id>-day`` and so on (the error summary links to the day)."""

    template_name = "widgets/govuk_date_input.html"

    def __init__(self, attrs=None):
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            part: forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-date-input__input govuk-input--width-"
                    + ("4" if part == "year" else "2"),
                    "inputmode": "numeric",
                }
            )
            for part in PARTS
        }
        super().__init__(widgets, attrs)
        self.widgets_names = [f"-{part}" for part in PARTS]
        # Set by GovUKDateField while cleaning: the parts to mark with govuk-input--error.
        self.error_parts: frozenset[str] = frozenset()

    def decompress(self, value):
        if isinstance(value, str) and _ISO.fullmatch(value.strip()):
            year, month, day = (str(int(part)) for part in value.strip().split("-"))
            return [day, month, year]
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        container_id = context["widget"]["attrs"].get("id", "")
        # Django marks a field in error with aria-invalid; an error the form added itself (not
        # the field) puts the whole date in error.
        in_error = context["widget"]["attrs"].get("aria-invalid") and (
            self.error_parts or frozenset(PARTS)
        )
        for part, sub in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            sub["label"] = part.capitalize()
            sub["attrs"].pop("required", None)  # GOV.UK forms validate on the server
            sub["attrs"].pop("aria-invalid", None)
            if container_id:
                sub["attrs"]["id"] = f"{container_id}-{part}"
            if in_error and part in in_error:
                sub["attrs"]["class"] += " govuk-input--error"
                sub["attrs"]["aria-invalid"] = "true"
        return context

    def id_for_label(self, id_):
        return f"{id_}-day" if id_ else ""

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        if all(part is None for part in parts) and name in data:
            # One ISO value under the field's own name (scripts, older clients): accepted too.
            return data[name]
        return parts

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and name not in data


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _long(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


class GovUKDateField(forms.Field):
    """A date entered as day, month and year, refused with GOV.UK's wording: "Enter the date
    the stage started", "Date the stage started must include a month", "... must be a real
    date", "... must be between 1 January 2000 and 31 December 2100".

    ``error_name`` is how the messages name the date, when the label does not read well in
    them (default: the label)."""

    widget = GovUKDateInput

    def __init__(
        self,
        *,
        error_name: str | None = None,
        earliest: date = EARLIEST,
        latest: date = LATEST,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.earliest, self.latest = earliest, latest
        self.error_name = error_name or str(self.label or "date")
        if not self.help_text:
            self.help_text = "For example, 27 3 2025"
        name = self.error_name[:1].lower() + self.error_name[1:]
        self.error_messages["required"] = f"Enter the {name}"

    @property
    def _name(self) -> str:
        return _capitalised(self.error_name)

    def clean(self, value):
        self.widget.error_parts = frozenset()
        try:
            return super().clean(value)
        except ValidationError as error:
            # The parts the refusal names; a missing date has every part in error.
            self.widget.error_parts = frozenset(getattr(error, "parts", PARTS))
            raise

    def to_python(self, value) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            value = GovUKDateInput().decompress(value) if value.strip() else ["", "", ""]
            if value == [None, None, None]:
                raise _DateError(f"{self._name} must be a real date", PARTS)
        given = dict(zip(PARTS, (str(raw or "").strip() for raw in value), strict=False))
        if not any(given.values()):
            return None
        if missing := [part for part in PARTS if not given.get(part)]:
            raise _DateError(f"{self._name} must include a {' and '.join(missing)}", missing)
        if given["year"].isascii() and given["year"].isdigit() and len(given["year"]) != 4:
            raise _DateError(f"{self._name} must include a year with 4 numbers", ["year"])
        numbers = {
            "day": _number(given["day"], 31),
            "month": _MONTHS.get(given["month"].lower().rstrip(".")) or _number(given["month"], 12),
            "year": _number(given["year"], 9999),
        }
        if wrong := [part for part in PARTS if not numbers[part]]:
            raise _DateError(f"{self._name} must be a real date", wrong)
        try:
            # Every part is a number here: a missing one was refused just above.
            result = date(numbers["year"], numbers["month"], numbers["day"])  # type: ignore[arg-type]
        except ValueError:  # 31 February
            raise _DateError(f"{self._name} must be a real date", ["day"]) from None
        if not self.earliest <= result <= self.latest:
            raise _DateError(
                f"{self._name} must be between {_long(self.earliest)} and {_long(self.latest)}",
                ["year"],
            )
        return result

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True


class _DateError(ValidationError):
    """A refusal that knows which of the three inputs to highlight."""

    def __init__(self, message: str, parts):
        super().__init__(message, code="invalid")
        self.parts = tuple(parts)

    def __reduce__(self):  # copies and pickles rebuild it with its own arguments
        return (type(self), (self.message, self.parts))


def _number(text: str, highest: int) -> int | None:
    """1 to ``highest`` written in ASCII digits, else None (never int() of a long string)."""
    if not (text.isascii() and text.isdigit() and len(text) <= 4):
        return None
    number = int(text)
    return number if 1 <= number <= highest else None

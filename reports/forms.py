"""The period picker and the request to prepare a large pack."""

from __future__ import annotations

from datetime import date

from django import forms

from recommendations.forms import GovUKFormMixin
from recommendations.forms_dates import GovUKDateField
from reports.models import PackFormat
from reports.pack import Period


class PeriodForm(GovUKFormMixin, forms.Form):
    """Any two dates up to today: usually from the last meeting of the board to today."""

    start = GovUKDateField(
        label="From",
        error_name="start date",
        help_text="The date of the last meeting, for example 1 4 2025",
    )
    end = GovUKDateField(label="To", error_name="end date", help_text="For example, 30 6 2025")

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if end is not None and end > self.today:
            self.add_error("end", "End date must be today or in the past")
        elif start is not None and end is not None and start > end:
            self.add_error("start", "Start date must be the same as or before the end date")
        return data

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])


class PrepareForm(PeriodForm):
    """What the pack page posts to have a large pack prepared: its forces, period and format."""

    force = forms.SlugField(required=False, max_length=200, widget=forms.HiddenInput)
    format = forms.ChoiceField(choices=PackFormat.choices)

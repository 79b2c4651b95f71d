from django import forms

from recommendations.forms import GovUKFormMixin


class SavedViewForm(GovUKFormMixin, forms.Form):
    """The name to save a list's current filters under; the list and its filters ride along."""

    name = forms.CharField(
        label="Name for these filters",
        max_length=100,
        help_text="For example, “Overdue in PEEL 2025”. Only you see your saved views.",
    )
    path = forms.CharField(widget=forms.HiddenInput, max_length=200)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)

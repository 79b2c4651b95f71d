"""Forms for extension requests: the force lead asks, an inspector decides."""

from __future__ import annotations

from django import forms

from recommendations.forms import GovUKFormMixin
from recommendations.forms_dates import GovUKDateField


class ExtensionRequestForm(GovUKFormMixin, forms.Form):
    due_on = GovUKDateField(label="New due date you are asking for")
    reason = forms.CharField(
        label="Why the force needs more time",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="The force’s inspectors are told and decide. The due date stays as it is "
        "until they approve.",
    )


class ExtensionDecisionForm(GovUKFormMixin, forms.Form):
    DECISIONS = [
        ("approve", "Approve: move the due date"),
        ("refuse", "Refuse: keep the current due date"),
    ]
    decision = forms.ChoiceField(label="Your decision", choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Comment for the force",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text="Required when you refuse: say why.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].error_messages["required"] = "Choose approve or refuse"

    def clean(self):
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Enter why you are refusing the extension")
        return data

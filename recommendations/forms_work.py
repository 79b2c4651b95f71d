"""The form of each action row on My work: status, target date and a progress note."""

from __future__ import annotations

from django import forms

from recommendations.forms import GovUKFormMixin
from recommendations.forms_dates import GovUKDateField
from recommendations.models import Action, ActionStatus


class ActionProgressForm(GovUKFormMixin, forms.Form):
    """Prefixed with the action (``action-<pk>``), so every row's fields have their own ids
    and a refused form is shown again in its own row."""

    status = forms.ChoiceField(choices=ActionStatus.choices)
    target_on = GovUKDateField(label="Target date", required=False)
    note = forms.CharField(
        label="Progress note",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Added to the item's progress updates.",
    )

    @classmethod
    def for_action(cls, action: Action, data=None) -> ActionProgressForm:
        return cls(
            data,
            prefix=f"action-{action.pk}",
            initial={"status": action.status, "target_on": action.target_on},
        )

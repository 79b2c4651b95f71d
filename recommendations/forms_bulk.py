"""The bulk decision form: which items, what to do, one comment (or one owner)."""

from __future__ import annotations

from typing import cast

from django import forms

from accounts.selectors import force_members
from recommendations import workflow
from recommendations.forms import GovUKFormMixin
from recommendations.services import BULK_LIMIT

ASSIGN_OWNER = "assign_owner"
# What each role may do in bulk: the force lead assigns or submits, an inspector decides.
FORCE_LEAD_ACTIONS = (ASSIGN_OWNER, "submit_for_review")
INSPECTOR_ACTIONS = ("complete", "send_back")


def _label(name: str) -> str:
    return "Assign an owner" if name == ASSIGN_OWNER else workflow.TRANSITIONS[name].choice


class BulkForm(GovUKFormMixin, forms.Form):
    items = forms.TypedMultipleChoiceField(coerce=int, widget=forms.MultipleHiddenInput)
    action = forms.ChoiceField(label="What to do with the selected items", widget=forms.RadioSelect)
    owner: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, label="Owner"
    )
    comment = forms.CharField(
        label="Comment", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, actions: tuple[str, ...], force_id: int | None, **kwargs):
        kwargs.setdefault("prefix", "bulk")
        super().__init__(*args, **kwargs)
        action = cast(forms.ChoiceField, self.fields["action"])
        action.choices = [(name, _label(name)) for name in actions]
        action.error_messages["required"] = "Choose what to do with the items"
        items = cast(forms.TypedMultipleChoiceField, self.fields["items"])
        items.error_messages["required"] = "Select at least one item"
        # Any id is accepted here; the service finds only what the user may see.
        items.valid_value = lambda value: str(value).isdigit()  # type: ignore[method-assign]
        if ASSIGN_OWNER in actions and force_id is not None:
            cast(forms.ModelChoiceField, self.fields["owner"]).queryset = force_members(force_id)
        else:
            del self.fields["owner"]

    def clean_items(self):
        items = self.cleaned_data["items"]
        if len(items) > BULK_LIMIT:
            raise forms.ValidationError(f"Select at most {BULK_LIMIT} items at once")
        return items

    def clean(self):
        data = super().clean() or {}
        action = data.get("action")
        if action in workflow.TRANSITIONS:
            info = workflow.TRANSITIONS[action]
            if info.comment_required and not (data.get("comment") or "").strip():
                self.add_error("comment", info.comment_error)
        return data

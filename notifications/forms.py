"""The preferences form: one set of radios per kind of e-mail."""

from __future__ import annotations

from django import forms

from notifications.selectors import PreferenceChoice


class PreferencesForm(forms.Form):
    def __init__(self, *args, preferences: list[PreferenceChoice], **kwargs):
        super().__init__(*args, **kwargs)
        for preference in preferences:
            self.fields[preference.kind] = forms.ChoiceField(
                label=preference.label,
                choices=preference.choices,
                initial=preference.delivery,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                help_text=(
                    "Escalations of overdue items cannot be turned off."
                    if preference.escalation
                    else ""
                ),
            )

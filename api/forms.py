from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings

from api.models import TokenScope
from recommendations.forms import GovUKFormMixin

LIFETIMES = [(7, "7 days"), (30, "30 days"), (90, "90 days"), (365, "1 year")]


class TokenForm(GovUKFormMixin, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, so you can tell your tokens apart, for example "
        "“Power BI overdue report”.",
    )
    scope = forms.ChoiceField(
        label="What the token may do",
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text="A read-only token lists and reads; a read and write token can also add "
        "progress updates, change actions and submit or decide on items, as you can on the "
        "item pages.",
    )
    lifetime_days = forms.TypedChoiceField(
        label="When the token expires",
        coerce=int,
        initial=90,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lifetime = cast(forms.TypedChoiceField, self.fields["lifetime_days"])
        lifetime.choices = [
            (days, label) for days, label in LIFETIMES if days <= settings.API_TOKEN_MAX_DAYS
        ] or [(settings.API_TOKEN_MAX_DAYS, f"{settings.API_TOKEN_MAX_DAYS} days")]

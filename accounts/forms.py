"""Account forms: sign-in forms that refuse an impossible username before anyone
authenticates it, and the name of a saved view.

django-axes records the username of every failed sign-in in a 255-character column; a longer
one made PostgreSQL fail the request (a 500). No account can have a username longer than the
model allows, so such a sign-in is refused as a wrong username, before axes sees it.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from recommendations.forms import GovUKFormMixin

# The length of django-axes' username columns (AccessAttempt, AccessFailureLog, AccessLog).
AXES_USERNAME_MAX_LENGTH = 255


class _UsernameLengthMixin:
    fields: dict[str, forms.Field]  # the form's, which this mixin comes before

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django sets max_length on the field after its validators were built, so the
        # length is otherwise only a hint to the browser: check it on the server too.
        username = cast(forms.CharField, self.fields["username"])
        username.validators.append(MaxLengthValidator(username.max_length))


class SignInForm(_UsernameLengthMixin, AuthenticationForm):
    pass


class AdminSignInForm(_UsernameLengthMixin, AdminAuthenticationForm):
    pass


def axes_username(request, credentials: dict | None) -> str | None:
    """The username django-axes records, cut to its column: a second line of defence for any
    sign-in path that does not use the forms above."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    return username[:AXES_USERNAME_MAX_LENGTH] if isinstance(username, str) else username


class SavedViewForm(GovUKFormMixin, forms.Form):
    """The name to save a list's current filters under; the list and its filters ride along."""

    name = forms.CharField(
        label="Name for these filters",
        max_length=100,
        help_text="For example, “Overdue in PEEL 2025”. Only you see your saved views.",
    )
    path = forms.CharField(widget=forms.HiddenInput, max_length=200)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)

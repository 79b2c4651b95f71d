"""Accounts: signing in (passwords and/or single sign-on, what a refused or role-less sign-in
sees) and a user's saved views (thin, one service each; a user only finds their own)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import admin, auth, messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import LoginView, redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.views import View
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from accounts import oidc, selectors, services
from accounts.forms import SavedViewForm
from accounts.models import SavedView
from recommendations.rules import awaits_a_role
from recommendations.views.common import add_service_error
from tracker.errors import ServiceError

# A sign-in started longer ago than this is refused at the callback: start again.
STATE_MAX_AGE_SECONDS = 600


class SignInView(LoginView):
    """The sign-in page: "Sign in with your organisation's account" when single sign-on is
    configured, the password form unless TRACKER_LOCAL_LOGIN is false (then a posted password
    is refused, 403)."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "sso_enabled": oidc.sso_enabled(),
            "local_login": settings.TRACKER_LOCAL_LOGIN,
        }

    def post(self, request, *args, **kwargs):
        if not settings.TRACKER_LOCAL_LOGIN:
            form = self.get_form_class()(request)  # unbound: nothing of the post is kept
            context = {**self.get_context_data(form=form), "password_refused": True}
            return self.render_to_response(context, status=403)
        return super().post(request, *args, **kwargs)


def admin_login(request):
    """The admin's own sign-in page, unless passwords are off: then the tracker's (single
    sign-on), which brings staff back to the admin."""
    if settings.TRACKER_LOCAL_LOGIN:
        return admin.site.login(request)
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


def refused(request, reason: str, email: str = "", status: int = 403):
    """The GOV.UK page that says why a single sign-on did not sign the person in."""
    return render(
        request,
        "registration/sso_refused.html",
        {"reason": reason, "email": email, "local_login": settings.TRACKER_LOCAL_LOGIN},
        status=status,
    )


class SignOnStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with a fresh state, nonce and PKCE challenge."""

    def __init__(self, *args, **kwargs):
        View.__init__(self, *args, **kwargs)  # settings are read per request, not at start-up

    def get(self, request):
        if not oidc.sso_enabled():
            raise Http404("Single sign-on is not configured")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.provider().authorization_endpoint
        except oidc.ProviderUnavailable:
            return refused(request, "unavailable", status=503)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SignOnCallbackView(View):
    """The provider sends the browser back here with a code and the state. The state must be
    one this browser's session started, unused and recent (so a replayed or forged callback
    is refused); the code is exchanged and the tokens checked by `oidc.SignOnBackend`."""

    def get(self, request):
        if not oidc.sso_enabled():
            raise Http404("Single sign-on is not configured")
        state = request.GET.get("state", "")
        started = request.session.get("oidc_states", {})
        pending = started.pop(state, None) if state else None
        if pending is not None:
            request.session.modified = True  # each state is used once
        if request.GET.get("error"):
            return refused(request, "cancelled")
        if pending is None or not request.GET.get("code"):
            return refused(request, "failed")
        if time.time() - pending.get("added_on", 0) > STATE_MAX_AGE_SECONDS:
            return refused(request, "expired")
        try:
            user = oidc.SignOnBackend().authenticate(
                request, nonce=pending["nonce"], code_verifier=pending.get("code_verifier")
            )
        except oidc.Refused as no:
            return refused(request, no.reason, no.email)
        next_url = request.session.pop("oidc_login_next", None)
        auth.login(request, user, backend=oidc.BACKEND)
        if awaits_a_role(user):
            return redirect("no-role")
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


class NoRoleView(LoginRequiredMixin, View):
    """Where an account with no role yet lands: nothing to see until an administrator acts."""

    def get(self, request):
        return render(request, "registration/no_role.html")


class SavedViewListView(LoginRequiredMixin, View):
    """Every saved view of the user, to open or delete."""

    def get(self, request):
        views = selectors.saved_views_for(request.user)
        return render(request, "accounts/saved_views.html", {"saved_views": views})


class SavedViewCreateView(LoginRequiredMixin, View):
    """POST only, from a list: save its current filters under a name, then show the list
    that way; a refused name is asked for again on a page of its own."""

    def post(self, request):
        form = SavedViewForm(request.POST)
        if form.is_valid():
            try:
                saved = services.saved_view_create(user=request.user, **form.cleaned_data)
            except ServiceError as refused:
                add_service_error(form, refused)
            else:
                messages.success(
                    request, f"Saved view “{saved.name}” saved: find it under “Your saved views”."
                )
                return redirect(saved.url)
        context = {"form": form, "back": _back_to_list(request.user, form)}
        return render(request, "accounts/saved_view_form.html", context, status=400)


def _back_to_list(user, form) -> str:
    """The list the user came from, if it is one they may save; the item list otherwise."""
    try:
        path = services.savable_path(user, form.data.get("path", ""))
        query = services.list_filters(form.data.get("query", ""))
    except ServiceError:
        return reverse("recommendations:item-list")
    return f"{path}?{query}" if query else path


class SavedViewDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        saved = get_object_or_404(SavedView, pk=pk, user_id=request.user.pk)
        services.saved_view_delete(saved_view=saved, user=request.user)
        messages.success(request, f"Saved view “{saved.name}” deleted.")
        return redirect("accounts:saved-views")

"""The user's own API tokens: list, make (the secret shown once) and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from api import services
from api.forms import TokenForm
from api.models import ApiToken
from recommendations.views.common import add_service_error
from tracker.errors import ServiceError


def _list_page(request, form, *, status: int = 200):
    context = {"form": form, "tokens": ApiToken.objects.filter(user=request.user)[:100]}
    return render(request, "api/tokens.html", context, status=status)


class TokenListView(LoginRequiredMixin, View):
    def get(self, request):
        return _list_page(request, TokenForm())

    def post(self, request):
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, secret = services.api_token_create(user=request.user, **form.cleaned_data)
            except ServiceError as refused:
                add_service_error(form, refused)
            else:
                # Shown in this answer only: never stored, never in a redirect or the session.
                response = render(
                    request, "api/token_created.html", {"token": token, "secret": secret}
                )
                response["Cache-Control"] = "no-store"
                return response
        return _list_page(request, form, status=400)


class TokenRevokeView(LoginRequiredMixin, View):
    """Asks first; another user's token is a 404."""

    def get(self, request, pk: int):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        return render(request, "api/token_revoke.html", {"token": token})

    def post(self, request, pk: int):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        try:
            services.api_token_revoke(token=token, user=request.user)
        except ServiceError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, f"The token “{token.name}” has been revoked.")
        return redirect("tokens:list")

"""Saved views: thin, one service each; a user only ever finds their own (404 otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from accounts import selectors, services
from accounts.forms import SavedViewForm
from accounts.models import SavedView
from recommendations.exceptions import ServiceError
from recommendations.views.common import add_service_error


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

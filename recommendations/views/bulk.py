"""Bulk decisions from the dashboard, the item list and the review queue."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from recommendations import services
from recommendations.forms_bulk import ASSIGN_OWNER, BulkForm
from recommendations.views.common import bulk_actions_for
from tracker.errors import ServiceError


class BulkView(LoginRequiredMixin, View):
    """POST only: apply one change to the selected items and show what happened to each."""

    def post(self, request):
        actions = bulk_actions_for(request.user)
        if not actions:
            raise PermissionDenied
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = ""
        form = BulkForm(request.POST, actions=actions, force_id=request.user.force_id)
        result, error = None, ""
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == ASSIGN_OWNER:
                    result = services.items_bulk_assign_owner(
                        item_ids=data["items"], user=request.user, owner=data.get("owner")
                    )
                else:
                    result = services.items_bulk_transition(
                        item_ids=data["items"],
                        user=request.user,
                        transition=data["action"],
                        comment=data["comment"],
                    )
            except ServiceError as refused:
                error = refused.message
        return render(
            request,
            "recommendations/bulk_result.html",
            {"form": form, "result": result, "error": error, "back": back},
            status=200 if result is not None else 400,
        )

"""The inspector's side of the public register: publish or withdraw an inspection, and show or
hide one timeline comment."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View

from recommendations import selectors, services
from recommendations.models import ItemKind, TimelineEntry
from recommendations.views.common import ScopedFormView, get_item_or_404, require
from tracker.errors import ServiceError


class _RegisterChangeView(ScopedFormView):
    """A confirmation page about one inspection the user may see (404 otherwise)."""

    permission = "recommendations.publish_inspection"
    form_class = forms.Form
    template_name = "recommendations/inspection_register.html"
    publishing: bool  # set by each subclass

    def get_object(self, request, *, pk: int):
        inspections = selectors.inspections_for_user(request.user).select_related("force")
        inspection = get_object_or_404(inspections, pk=pk)
        self.counts = inspection.items.aggregate(
            recommendations=Count("pk", filter=Q(kind=ItemKind.RECOMMENDATION)),
            areas=Count("pk", filter=Q(kind=ItemKind.AREA_FOR_IMPROVEMENT)),
        )
        return inspection

    def success_url(self) -> str:
        return reverse("recommendations:inspection-detail", args=[self.object.pk])

    def extra_context(self) -> dict:
        return {
            "inspection": self.object,
            "counts": self.counts,
            "areas_shown": settings.TRACKER_REGISTER_AREAS_FOR_IMPROVEMENT,
            "publishing": self.publishing,
        }


class PublishInspectionView(_RegisterChangeView):
    """What the public will see, and the button that publishes it."""

    publishing = True
    success_message = "Published on the public register."

    def act(self, request, form) -> None:
        services.inspection_publish(inspection=self.object, user=request.user)


class UnpublishInspectionView(_RegisterChangeView):
    publishing = False
    success_message = "Removed from the public register."

    def act(self, request, form) -> None:
        services.inspection_unpublish(inspection=self.object, user=request.user)


class TimelineEntryPublicView(LoginRequiredMixin, View):
    """POST-only, from the item page's timeline: show or hide one comment on the register."""

    def post(self, request, pk: int, entry_pk: int):
        item = get_item_or_404(request.user, pk)
        entry = get_object_or_404(TimelineEntry.objects.filter(item=item), pk=entry_pk)
        require("recommendations.publish_comment", request.user, entry)
        wanted = request.POST.get("public")
        if wanted not in ("true", "false"):
            return HttpResponseBadRequest("Choose whether the comment is public.")
        try:
            services.timeline_entry_set_public(
                entry=entry, user=request.user, public=wanted == "true"
            )
        except ServiceError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                "The comment is shown on the public register."
                if wanted == "true"
                else "The comment is no longer shown on the public register.",
            )
        return redirect(reverse("recommendations:item-detail", args=[item.pk]) + "#timeline")

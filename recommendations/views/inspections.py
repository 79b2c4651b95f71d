from __future__ import annotations

import rules
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from recommendations import forms, selectors, services
from recommendations.models import CauseOfConcern, ItemKind, TimelineEntry
from recommendations.rules import scope_to_user
from recommendations.services.oversight import open_recommendations_warning
from recommendations.views.common import (
    ScopedFormView,
    csv_response,
    get_visible_or_404,
    item_csv_columns,
    wants_csv,
)


class InspectionDetailView(LoginRequiredMixin, View):
    """Graded judgments, causes of concern with their recommendations, areas for improvement."""

    def get(self, request, pk: int):
        inspection = get_object_or_404(
            selectors.inspections_for_user(request.user).select_related(
                "force", "register_published_by"
            ),
            pk=pk,
        )
        items = selectors.items_for_user(request.user).filter(inspection=inspection)
        today = timezone.localdate()
        if wants_csv(request):
            return csv_response(f"inspection-{inspection.pk}", item_csv_columns(today), items)
        items = list(items.order_by("position", "pk"))
        causes = list(
            scope_to_user(inspection.causes_of_concern.all(), request.user)
            .select_related("carries_forward")
            .prefetch_related(_cause_timeline())
        )
        by_cause = {cause.pk: [] for cause in causes}
        direct, areas = [], []
        for item in items:
            if item.kind == ItemKind.AREA_FOR_IMPROVEMENT:
                areas.append(item)
            elif item.cause_of_concern_id in by_cause:
                by_cause[item.cause_of_concern_id].append(item)
            else:
                direct.append(item)
        for cause in causes:
            cause.items = by_cause[cause.pk]
            cause.may_close = cause.is_open and _may(request.user, "close", cause)
            cause.may_reopen = not cause.is_open and _may(request.user, "reopen", cause)
        return render(
            request,
            "recommendations/inspection_detail.html",
            {
                "inspection": inspection,
                "judgments": inspection.judgments.all(),
                "causes": causes,
                "direct_recommendations": direct,
                "areas": areas,
                "today": today,
                # A national inspection lists each force's items, numbered alike.
                "show_force": inspection.force_id is None,
                "may_publish": rules.has_perm(
                    "recommendations.publish_inspection", request.user, inspection
                ),
            },
        )


def _may(user, verb: str, cause) -> bool:
    return rules.has_perm(f"recommendations.{verb}_cause_of_concern", user, cause)


def _cause_timeline() -> Prefetch:
    """Each cause of concern's history (closed, reopened), newest first, in one query."""
    entries = TimelineEntry.objects.select_related("actor").order_by("-occurred_at", "-pk")
    return Prefetch("timeline", queryset=entries, to_attr="history")


class CloseCauseOfConcernView(ScopedFormView):
    """An inspector closes a cause of concern with the closing letter's date and reference;
    while some of its recommendations are open, the page says which and asks to confirm."""

    permission = "recommendations.close_cause_of_concern"
    form_class = forms.CloseCauseOfConcernForm
    template_name = "recommendations/close_cause_of_concern.html"
    success_message = "Cause of concern closed."

    def get_object(self, request, *, pk: int):
        causes = CauseOfConcern.objects.select_related("inspection", "force")
        cause = get_visible_or_404(causes, request.user, pk=pk)
        self.open_recommendations = selectors.open_recommendations(cause)
        return cause

    def form_kwargs(self) -> dict:
        return {"has_open_recommendations": bool(self.open_recommendations)}

    def act(self, request, form) -> None:
        services.cause_of_concern_close(
            cause_of_concern=self.object, user=request.user, **form.cleaned_data
        )

    def success_url(self) -> str:
        return reverse("recommendations:inspection-detail", args=[self.object.inspection_id])

    def extra_context(self) -> dict:
        still_open = self.open_recommendations
        return {
            "cause": self.object,
            "open_recommendations": still_open,
            "warning": open_recommendations_warning(still_open) if still_open else "",
        }


class ReopenCauseOfConcernView(ScopedFormView):
    """An inspector reopens a closed cause of concern, with a reason."""

    permission = "recommendations.reopen_cause_of_concern"
    form_class = forms.ReopenCauseOfConcernForm
    template_name = "recommendations/reopen_cause_of_concern.html"
    success_message = "Cause of concern reopened."

    def get_object(self, request, *, pk: int):
        causes = CauseOfConcern.objects.select_related("inspection", "force")
        return get_visible_or_404(causes, request.user, pk=pk)

    def act(self, request, form) -> None:
        services.cause_of_concern_reopen(
            cause_of_concern=self.object, user=request.user, reason=form.cleaned_data["reason"]
        )

    def success_url(self) -> str:
        return reverse("recommendations:inspection-detail", args=[self.object.inspection_id])

    def extra_context(self) -> dict:
        return {"cause": self.object}

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from recommendations import forms, selectors, services
from recommendations.exceptions import ServiceError
from recommendations.models import CauseOfConcern, ItemKind
from recommendations.rules import scope_to_user
from recommendations.views.common import (
    csv_response,
    get_visible_or_404,
    item_csv_columns,
    require,
    wants_csv,
)


class InspectionDetailView(LoginRequiredMixin, View):
    """Graded judgments, causes of concern with their recommendations, areas for improvement."""

    def get(self, request, pk: int):
        inspection = get_object_or_404(
            selectors.inspections_for_user(request.user).select_related("force"), pk=pk
        )
        items = selectors.items_for_user(request.user).filter(inspection=inspection)
        today = timezone.localdate()
        if wants_csv(request):
            return csv_response(f"inspection-{inspection.pk}", item_csv_columns(today), items)
        items = list(items.order_by("position", "pk"))
        causes = list(
            scope_to_user(inspection.causes_of_concern.all(), request.user).select_related(
                "carries_forward"
            )
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
            cause.may_close = cause.is_open and _may_close(request.user, cause)
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
            },
        )


def _may_close(user, cause) -> bool:
    return rules.has_perm("recommendations.close_cause_of_concern", user, cause)


class CloseCauseOfConcernView(LoginRequiredMixin, View):
    """An inspector closes a cause of concern with the closing letter's date and reference."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.cause = get_visible_or_404(
            CauseOfConcern.objects.select_related("inspection", "force"),
            request.user,
            pk=kwargs["pk"],
        )
        require("recommendations.close_cause_of_concern", request.user, self.cause)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk: int):
        return self._render(request, forms.CloseCauseOfConcernForm())

    def post(self, request, pk: int):
        form = forms.CloseCauseOfConcernForm(request.POST)
        if form.is_valid():
            try:
                services.cause_of_concern_close(
                    cause_of_concern=self.cause, user=request.user, **form.cleaned_data
                )
            except ServiceError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, "Cause of concern closed.")
                return redirect("recommendations:inspection-detail", pk=self.cause.inspection_id)
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        return render(
            request,
            "recommendations/close_cause_of_concern.html",
            {"cause": self.cause, "form": form},
            status=status,
        )

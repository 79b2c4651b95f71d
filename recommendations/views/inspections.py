from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from recommendations import forms, selectors, selectors_pages, services
from recommendations.models import CauseOfConcern, Inspection
from recommendations.services.oversight import open_recommendations_warning
from recommendations.views.common import (
    ScopedFormView,
    get_visible_or_404,
    item_csv_response,
    wants_csv,
)


class InspectionDetailView(LoginRequiredMixin, View):
    """Graded judgments, causes of concern with their recommendations, areas for improvement;
    each section lists its first items and links to all of them in the item list."""

    def get(self, request, pk: int):
        try:
            inspection = selectors_pages.inspection_for_user(request.user, pk)
        except Inspection.DoesNotExist as missing:
            raise Http404("No such inspection") from missing
        today = timezone.localdate()
        if wants_csv(request):
            items = selectors_pages.inspection_items(request.user, inspection)
            return item_csv_response(f"inspection-{inspection.pk}", items, today)
        page = selectors_pages.inspection_page(user=request.user, inspection=inspection)
        return render(
            request,
            "recommendations/inspection_detail.html",
            {"page": page, "inspection": inspection, "today": today},
        )


class _CauseOfConcernFormView(ScopedFormView):
    """A form about one cause of concern, back to its inspection's page when done."""

    def get_object(self, request, *, pk: int):
        causes = CauseOfConcern.objects.select_related("inspection", "force")
        return get_visible_or_404(causes, request.user, pk=pk)

    def success_url(self) -> str:
        return reverse("recommendations:inspection-detail", args=[self.object.inspection_id])

    def extra_context(self) -> dict:
        return {"cause": self.object}


class CloseCauseOfConcernView(_CauseOfConcernFormView):
    """An inspector closes a cause of concern with the closing letter's date and reference;
    while some of its recommendations are open, the page says which and asks to confirm."""

    permission = "recommendations.close_cause_of_concern"
    form_class = forms.CloseCauseOfConcernForm
    template_name = "recommendations/close_cause_of_concern.html"
    success_message = "Cause of concern closed."

    def get_object(self, request, *, pk: int):
        cause = super().get_object(request, pk=pk)
        self.open_recommendations = selectors.open_recommendations(cause)
        return cause

    def form_kwargs(self) -> dict:
        return {"has_open_recommendations": bool(self.open_recommendations)}

    def act(self, request, form) -> None:
        services.cause_of_concern_close(
            cause_of_concern=self.object, user=request.user, **form.cleaned_data
        )

    def extra_context(self) -> dict:
        still_open = self.open_recommendations
        return {
            **super().extra_context(),
            "open_recommendations": still_open,
            "warning": open_recommendations_warning(still_open) if still_open else "",
        }


class ReopenCauseOfConcernView(_CauseOfConcernFormView):
    """An inspector reopens a closed cause of concern, with a reason."""

    permission = "recommendations.reopen_cause_of_concern"
    form_class = forms.ReopenCauseOfConcernForm
    template_name = "recommendations/reopen_cause_of_concern.html"
    success_message = "Cause of concern reopened."

    def act(self, request, form) -> None:
        services.cause_of_concern_reopen(
            cause_of_concern=self.object, user=request.user, reason=form.cleaned_data["reason"]
        )

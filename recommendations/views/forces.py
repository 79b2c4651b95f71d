from __future__ import annotations

import rules
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from recommendations import charts, forms, selectors, selectors_pages, services
from recommendations.models import Force
from recommendations.rules import is_action_owner
from recommendations.views.common import (
    ScopedFormView,
    bulk_form_for,
    csv_response,
    get_visible_or_404,
    item_csv_response,
    wants_csv,
)
from recommendations.views.items import filtered_items, list_page


class HomeView(LoginRequiredMixin, View):
    """Action owners land on My work; the rest of the force's staff on their force's
    dashboard; inspectors and administrators on the overview of their forces."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if rules.has_perm("recommendations.view_my_work", user):
            if is_action_owner(user):
                return redirect("recommendations:my-work")
            # view_my_work is for force staff: signed in (LoginRequiredMixin), with a force.
            assert user.is_authenticated and user.force is not None
            return redirect("recommendations:force-dashboard", slug=user.force.slug)
        if rules.has_perm("recommendations.view_force_overview", user):
            return redirect("recommendations:force-overview")
        return redirect("recommendations:item-list")


class ForceDashboardView(LoginRequiredMixin, View):
    """Counts, the open items by urgency with filters, stage, latest grades and two charts."""

    def get(self, request, slug: str):
        force = get_visible_or_404(Force.objects.all(), request.user, slug=slug, force_field="pk")
        form, items, today = filtered_items(request, force=force)
        if wants_csv(request):
            return item_csv_response(f"{force.slug}-items", items, today)
        page = list_page(form, items, request.GET.get("page"))
        dashboard = selectors_pages.force_dashboard(user=request.user, force=force, today=today)
        return render(
            request,
            "recommendations/force_dashboard.html",
            {
                "force": force,
                "today": today,
                "counts": dashboard.counts,
                "stage": dashboard.stage,
                "judged_inspection": dashboard.judged_inspection,
                "judgments": dashboard.judgments,
                "filter_form": form,
                "page": page,
                "items": page.object_list,
                "rag_chart": charts.rag_bars(dashboard.rag_rows),
                "trend_chart": charts.line_chart(dashboard.series),
                "may_record_stage": dashboard.may_record_stage,
                "bulk_form": bulk_form_for(request.user, force=force)
                if request.user.force_id == force.pk
                else None,
            },
        )


class ForceOverviewView(LoginRequiredMixin, View):
    """All the user's forces side by side: open, overdue, awaiting review, monitoring stage."""

    def get(self, request):
        today = timezone.localdate()
        forces = selectors.force_overview(request.user, today=today)
        if wants_csv(request):
            columns = [
                ("Force", lambda f: f.name),
                ("Monitoring stage", lambda f: f.stage or ""),
                ("Stage since", lambda f: f.stage_since or ""),
                ("Open", lambda f: f.open_count),
                ("Overdue", lambda f: f.overdue_count),
                ("Awaiting review", lambda f: f.awaiting_review_count),
            ]
            return csv_response("forces", columns, forces)
        return render(
            request, "recommendations/force_overview.html", {"forces": forces, "today": today}
        )


class MonitoringStageView(ScopedFormView):
    """An inspector records a change of a force's monitoring stage."""

    permission = "recommendations.record_monitoring_stage"
    form_class = forms.MonitoringStageForm
    template_name = "recommendations/monitoring_stage_form.html"
    success_message = "Monitoring stage recorded."

    def get_object(self, request, *, slug: str):
        return get_visible_or_404(Force.objects.all(), request.user, slug=slug, force_field="pk")

    def initial(self) -> dict:
        return {"started_on": timezone.localdate()}

    def act(self, request, form) -> None:
        services.force_record_monitoring_stage(
            force=self.object, user=request.user, **form.cleaned_data
        )

    def success_url(self) -> str:
        return reverse("recommendations:force-dashboard", args=[self.object.slug])

    def extra_context(self) -> dict:
        return {
            "force": self.object,
            "history": self.object.stage_history.select_related("recorded_by"),
        }

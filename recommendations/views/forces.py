from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from accounts.models import Role
from recommendations import charts, forms, selectors, services
from recommendations.exceptions import ServiceError
from recommendations.models import Force
from recommendations.views.common import (
    csv_response,
    get_visible_or_404,
    item_csv_columns,
    require,
    wants_csv,
)
from recommendations.views.items import PAGE_SIZE, filtered_items


class HomeView(LoginRequiredMixin, View):
    """Force staff land on their force's dashboard; inspectors and administrators on the
    overview of their forces."""

    def get(self, request):
        user = request.user
        if user.force_id:
            return redirect("recommendations:force-dashboard", slug=user.force.slug)
        if user.role in (Role.INSPECTOR, Role.ADMINISTRATOR) or user.is_superuser:
            return redirect("recommendations:force-overview")
        return redirect("recommendations:item-list")


class ForceDashboardView(LoginRequiredMixin, View):
    """Counts, the open items by urgency with filters, stage, latest grades and two charts."""

    def get(self, request, slug: str):
        force = get_visible_or_404(Force.objects.all(), request.user, slug=slug, force_field="pk")
        form, items, today = filtered_items(request, force=force)
        if wants_csv(request):
            columns = item_csv_columns(today)
            return csv_response(f"{force.slug}-items", columns, items.iterator(chunk_size=500))
        force_items = selectors.items_for_user(request.user).filter(force=force)
        judged_inspection, judgments = selectors.latest_judgments(force)
        page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
        series = selectors.open_and_overdue_series(force_items, today=today)
        return render(
            request,
            "recommendations/force_dashboard.html",
            {
                "force": force,
                "today": today,
                "counts": selectors.item_counts(force_items, today=today),
                "stage": selectors.current_stage(force, on=today),
                "judged_inspection": judged_inspection,
                "judgments": judgments,
                "filter_form": form,
                "page": page,
                "items": page.object_list,
                "status_chart": charts.status_bars(selectors.status_by_inspection(force_items)),
                "trend_chart": charts.line_chart(series),
                "may_record_stage": _may("record_monitoring_stage", request.user, force),
            },
        )


def _may(perm: str, user, obj) -> bool:
    return rules.has_perm(f"recommendations.{perm}", user, obj)


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


class MonitoringStageView(LoginRequiredMixin, View):
    """An inspector records a change of a force's monitoring stage."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.force = get_visible_or_404(
            Force.objects.all(), request.user, slug=kwargs["slug"], force_field="pk"
        )
        require("recommendations.record_monitoring_stage", request.user, self.force)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, slug: str):
        form = forms.MonitoringStageForm(initial={"started_on": timezone.localdate()})
        return self._render(request, form)

    def post(self, request, slug: str):
        form = forms.MonitoringStageForm(request.POST)
        if form.is_valid():
            try:
                services.force_record_monitoring_stage(
                    force=self.force, user=request.user, **form.cleaned_data
                )
            except ServiceError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, "Monitoring stage recorded.")
                return redirect("recommendations:force-dashboard", slug=self.force.slug)
        return self._render(request, form, status=400)

    def _render(self, request, form, status=200):
        history = self.force.stage_history.select_related("recorded_by")
        return render(
            request,
            "recommendations/monitoring_stage_form.html",
            {"force": self.force, "form": form, "history": history},
            status=status,
        )

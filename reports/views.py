"""The quarterly pack as a page and as files, and the downloads of large packs."""

from __future__ import annotations

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View

from recommendations.models import Force
from reports import selectors, services
from reports.forms import PeriodForm, PrepareForm
from reports.links import figure_links, page_charts
from reports.models import PreparedPack, PreparedPackStatus
from reports.renderers import FORMATS
from tracker.errors import ServiceError

ROWS_ON_PAGE = 50  # the page is bounded; the files list every row


def _forces_or_404(user, slug: str | None) -> list[Force]:
    try:
        forces = selectors.pack_forces(user, slug=slug)
    except Force.DoesNotExist as missing:
        raise Http404("No such force") from missing
    if not all(rules.has_perm("reports.view_pack", user, force) for force in forces):
        raise PermissionDenied
    return forces


def _period_form(request, today) -> PeriodForm:
    given = any(key.startswith(("start", "end")) for key in request.GET)
    default = selectors.default_period(today)
    return PeriodForm(
        request.GET if given else None,
        today=today,
        initial={"start": default.start, "end": default.end},
    )


def period_query(period) -> str:
    return urlencode(
        {
            "start-day": period.start.day,
            "start-month": period.start.month,
            "start-year": period.start.year,
            "end-day": period.end.day,
            "end-month": period.end.month,
            "end-year": period.end.year,
        }
    )


def _ready_notices(user) -> list[PreparedPack]:
    return list(
        PreparedPack.objects.filter(
            requested_by=user, status=PreparedPackStatus.READY, downloaded_at__isnull=True
        )[:5]
    )


class PackView(LoginRequiredMixin, View):
    """The pack for a period: the page, or `?format=docx|pdf|xlsx` for the file."""

    def get(self, request, slug: str | None = None):
        if "force" in request.GET:  # the page's choice of forces, a GET form: go to its page
            return self._to_scope(request)
        forces = _forces_or_404(request.user, slug)
        today = timezone.localdate()
        form = _period_form(request, today)
        if form.is_bound and not form.is_valid():
            return self._page(request, forces, slug, form, None, status=400)
        period = form.period if form.is_bound else selectors.default_period(today)
        if not forces:  # an inspector with no forces assigned yet: nothing to report on
            return self._page(request, forces, slug, form, None, period=None)
        large = selectors.pack_item_count(forces) > settings.REPORTS_BACKGROUND_ITEMS
        file_format = FORMATS.get(request.GET.get("format", ""))
        if file_format is not None and not large:
            full = selectors.pack_build(forces=forces, period=period)
            response = HttpResponse(file_format.render(full), content_type=file_format.content_type)
            name = file_format.file_name(full, slug or _scope_slug(request.user, forces))
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        pack = None if large else selectors.pack_build(forces=forces, period=period)
        return self._page(request, forces, slug, form, pack, period=period)

    def _to_scope(self, request):
        query = request.GET.copy()
        chosen = query.pop("force", [""])[-1]
        if chosen:
            _forces_or_404(request.user, chosen)
            url = reverse("reports:force-pack", args=[chosen])
        else:
            url = reverse("reports:pack")
        return redirect(f"{url}?{query.urlencode()}" if query else url)

    def _page(self, request, forces, slug, form, pack, *, period=None, status=200):
        today = timezone.localdate()
        choices = selectors.pack_forces(request.user)
        context = {
            "form": form,
            "forces": forces,
            "slug": slug or "",
            "scope": selectors.scope_words(forces),
            "force_choices": choices if len(choices) > 1 else [],
            "pack": pack,
            "period": period,
            "large": pack is None and period is not None,
            "background_items": settings.REPORTS_BACKGROUND_ITEMS,
            "formats": FORMATS.values(),
            "ready": _ready_notices(request.user),
            "rows_on_page": ROWS_ON_PAGE,
            "this_quarter": period_query(selectors.default_period(today)),
            "previous_quarter": period_query(selectors.previous_quarter(today)),
        }
        if period is not None:
            context["query"] = period_query(period)
        if pack is not None:
            live = period.end == today
            one = forces[0].slug if len(forces) == 1 else None
            links = figure_links(pack, slug=one, live=live)
            counts, in_period = links["counts"], links["in_period"]
            context.update(
                live=live,
                links=links,
                charts=page_charts(pack),
                count_rows=[(k, w, n, counts.get(k)) for k, w, n in pack.count_rows()],
                in_period_rows=[(k, w, n, in_period.get(k)) for k, w, n in pack.in_period_rows()],
                inspection_rows=[
                    (p, links["inspections"].get(p.inspection_id, {})) for p in pack.by_inspection
                ],
                rows_slice=f":{ROWS_ON_PAGE}",
            )
        return render(request, "reports/pack.html", context, status=status)


def _scope_slug(user, forces: list[Force]) -> str:
    return forces[0].slug if len(forces) == 1 else "all-forces"


class DownloadsView(LoginRequiredMixin, View):
    """The user's prepared packs (GET), and asking for one to be prepared (POST)."""

    def get(self, request):
        services.prepared_packs_purge()
        prepared = PreparedPack.objects.filter(requested_by=request.user)[:20]
        return render(
            request,
            "reports/downloads.html",
            {
                "prepared": prepared,
                "keep_days": settings.REPORTS_KEEP_DAYS,
                "waiting": any(p.status == PreparedPackStatus.PENDING for p in prepared),
            },
        )

    def post(self, request):
        form = PrepareForm(request.POST, today=timezone.localdate())
        if not form.is_valid():
            messages.error(request, "Choose a period and a format, then try again.")
            return redirect("reports:pack")
        slug = form.cleaned_data["force"] or None
        forces = _forces_or_404(request.user, slug)
        try:
            services.prepared_pack_request(
                user=request.user,
                forces=forces,
                slug=slug or _scope_slug(request.user, forces),
                period=form.period,
                file_format=form.cleaned_data["format"],
            )
        except ServiceError as refused:
            raise PermissionDenied(refused.message) from refused
        messages.success(
            request,
            "We are preparing your report. This page says when it is ready, and we will "
            "e-mail you too.",
        )
        return redirect("reports:downloads")


class DownloadView(LoginRequiredMixin, View):
    """A prepared pack's file, for the user who asked for it."""

    def get(self, request, pk: int):
        prepared = get_object_or_404(
            PreparedPack, pk=pk, requested_by=request.user, status=PreparedPackStatus.READY
        )
        try:
            services.prepared_pack_downloaded(prepared=prepared, user=request.user)
        except ServiceError as refused:
            raise Http404("No such report") from refused
        try:
            content = prepared.file.open("rb")
        except (FileNotFoundError, ValueError) as gone:  # removed from the storage meanwhile
            raise Http404("No such report") from gone
        return FileResponse(
            content,
            as_attachment=True,
            filename=prepared.file.name.rsplit("/", 1)[-1],
            content_type=FORMATS[prepared.format].content_type,
        )

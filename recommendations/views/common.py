from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import Any

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from recommendations import selectors
from recommendations.exports import ITEM_CSV_HEADER, item_csv_rows
from recommendations.models import Item
from recommendations.rules import scope_to_user
from tracker.errors import ServiceError


def require(perm: str, user, obj=None) -> None:
    """403 unless the rules allow it (never a superuser shortcut)."""
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied


def bulk_actions_for(user) -> tuple[str, ...]:
    """What this user may do to many items at once (each item is still checked)."""
    from recommendations.forms_bulk import FORCE_LEAD_ACTIONS, INSPECTOR_ACTIONS

    if rules.has_perm("recommendations.decide_in_bulk", user):
        return INSPECTOR_ACTIONS
    if rules.has_perm("recommendations.manage_in_bulk", user):
        return FORCE_LEAD_ACTIONS
    return ()


def bulk_form_for(user, *, force=None):
    """The bulk change form for a list, when the user may change items in bulk there: a
    force lead on their own force's lists, an inspector on the review queue."""
    from recommendations.forms_bulk import BulkForm

    actions = bulk_actions_for(user)
    if not actions or (force is not None and user.force_id not in (None, force.pk)):
        return None
    return BulkForm(actions=actions, force_id=user.force_id)


def get_item_or_404(user, pk: int) -> Item:
    try:
        return selectors.item_for_user(user, pk)
    except Item.DoesNotExist as missing:
        raise Http404("No such item") from missing


def get_visible_or_404(queryset, user, *, force_field: str = "force", **lookup):
    """Any object the user may see (scoped by its force), else 404 — never a hint it exists."""
    return get_object_or_404(scope_to_user(queryset, user, force_field=force_field), **lookup)


def add_service_error(form, refused: ServiceError) -> None:
    """Show a service's refusal on the form: next to its field when the form has it."""
    form.add_error(refused.field if refused.field in form.fields else None, refused.message)


# A cell that starts like a formula is run by spreadsheet programs: it is neutralised.
_FORMULA_STARTS = frozenset("=+-@\t\r")
# Rows written to the response at a time: one chunk a row made the download spend most of its
# time passing 23,000 small strings through the server.
CSV_ROWS_PER_CHUNK = 500


def _safe_row(row: Iterable[Any]) -> list[Any]:
    """The row's texts that start like a formula, neutralised (other values cannot: csv
    writes None as an empty cell, numbers and dates as themselves)."""
    return [
        ("'" + value if value[:1] in _FORMULA_STARTS else value) if type(value) is str else value
        for value in row
    ]


def csv_response(
    filename: str, columns: list[tuple[str, Callable[[Any], Any]]], rows: Iterable
) -> StreamingHttpResponse:
    """Stream a CSV download of any list, with a dated file name."""
    header = [name for name, _ in columns]
    values = ([get(row) for _, get in columns] for row in rows)
    return csv_rows_response(filename, header, values)


def csv_rows_response(
    filename: str, header: list[str], rows: Iterable[list]
) -> StreamingHttpResponse:
    """Stream rows of values as a CSV download, with a dated file name."""

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # so spreadsheet programs read UTF-8
        writer.writerow(header)
        batch = []
        for row in rows:
            batch.append(_safe_row(row))
            if len(batch) == CSV_ROWS_PER_CHUNK:
                writer.writerows(batch)
                batch.clear()
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        writer.writerows(batch)
        if rest := buffer.getvalue():
            yield rest

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response


def item_csv_response(filename: str, items, today) -> StreamingHttpResponse:
    """Stream the items CSV of a list (see recommendations.exports)."""
    return csv_rows_response(filename, ITEM_CSV_HEADER, item_csv_rows(items, today=today))


def wants_csv(request) -> bool:
    return request.GET.get("format") == "csv"


class ScopedFormView(View):
    """A page with one form about one object: the object is found within what the user may see
    (404 otherwise), the permission checked (403), the form validated and one service called;
    on a problem the page is shown again with the errors (400)."""

    permission = ""
    form_class: type[forms.BaseForm]  # set by each subclass
    template_name = ""
    success_message = ""

    def get_object(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        """The object named by the URL's keyword arguments, within the user's scope."""
        raise NotImplementedError

    def act(self, request, form) -> None:
        raise NotImplementedError

    def success_url(self) -> str:
        raise NotImplementedError

    def initial(self) -> dict:
        return {}

    def form_kwargs(self) -> dict:
        return {}

    def extra_context(self) -> dict:
        return {}

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.object = self.get_object(request, **kwargs)
        require(self.permission, request.user, self.object)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, **kwargs):
        form = self.form_class(initial=self.initial(), **self.form_kwargs())
        return self.render_form(request, form)

    def post(self, request, **kwargs):
        form = self.form_class(request.POST, **self.form_kwargs())
        if form.is_valid():
            try:
                self.act(request, form)
            except ServiceError as refused:
                add_service_error(form, refused)
            else:
                messages.success(request, self.success_message)
                return redirect(self.success_url())
        return self.render_form(request, form, status=400)

    def render_form(self, request, form, status: int = 200):
        context = {"object": self.object, "form": form, **self.extra_context()}
        return render(request, self.template_name, context, status=status)

"""Importing a publication, for inspectors: upload, paste or give its address (step 1), correct
the preview (step 2), confirm (step 3). The working state lives in the session, never in hidden
fields, and is checked again in full before the one call to the import service."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.views import View

from accounts.selectors import inspected_forces
from recommendations import references
from recommendations.forms_import import (
    KIND_CHOICES,
    ImportSourceForm,
    PreviewForm,
    PreviewRowForm,
)
from recommendations.importing import PublicationParseError, intake
from recommendations.importing import preview as previews
from recommendations.importing.limits import time_limit
from recommendations.importing.structure import CAUSE_OF_CONCERN
from recommendations.models import Grade, Programme, Status
from recommendations.services.imports import existing_import, publication_import
from recommendations.views.common import require
from tracker.errors import ServiceError

SESSION_KEY = "recommendations.import"
STALE = "This preview was changed in another window or tab. Check it again, then continue."


class _ImportView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require("recommendations.import_publication", request.user)
        return super().dispatch(request, *args, **kwargs)


class ImportStartView(_ImportView):
    """Step 1: a file or pasted text, the force, and optionally the programme and dates."""

    def get(self, request):
        return self._render(request, ImportSourceForm(user=request.user))

    def post(self, request):
        form = ImportSourceForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            read = intake.publication_read(**form.read_arguments())
        except PublicationParseError as error:
            form.add_error(form.source_field, error.message)
            return self._render(request, form, status=400)
        data = form.cleaned_data
        request.session[SESSION_KEY] = intake.preview_state(
            read,
            force_pk=data["force"].pk,
            programme=data["programme"],
            source_url=data["source_url"],
        )
        return redirect("recommendations:import-preview")

    def _render(self, request, form, status=200):
        return render(
            request,
            "recommendations/import_start.html",
            {"form": form, "has_forces": form.fields["force"].queryset.exists()},
            status=status,
        )


def _token(state: dict) -> str:
    return f"{state['source_hash'][:16]}.{state['revision']}"


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _causes(state: dict) -> list[tuple[int, str]]:
    causes = [row for row in state["rows"] if row["kind"] == CAUSE_OF_CONCERN]
    labels = []
    for number, row in enumerate(causes, start=1):
        reference = f" ({row['reference']})" if row["reference"] else ""
        labels.append((row["uid"], f"Cause of concern {number}{reference}"))
    return labels


_PLURALS = {
    "cause-of-concern": ("cause of concern", "causes of concern"),
    "recommendation": ("recommendation", "recommendations"),
    "area-for-improvement": ("area for improvement", "areas for improvement"),
}


def _count(count: int, kind: str) -> str:
    one, many = _PLURALS[kind]
    return f"{count} {one if count == 1 else many}"


def _references(state: dict, *, force, published_on: date | None) -> dict[str, str]:
    """The reference each finding will be shown by once imported: its own, or the inspection's
    short name and its place among the findings of its kind. Nothing while the publication
    date is unknown, since the short name may need its year."""
    if published_on is None:
        return {}
    short_name = references.unique_short_name(
        force_id=force.pk if force else None,
        title=state.get("title") or "",
        programme=state.get("programme") or Programme.OTHER,
        published_on=published_on,
    )
    numbers: dict[str, int] = {}
    shown = {}
    for row in state["rows"]:
        if row["kind"] == CAUSE_OF_CONCERN:
            continue
        numbers[row["kind"]] = numbers.get(row["kind"], 0) + 1
        shown[row["uid"]] = row["reference"] or references.derived_reference(
            short_name, row["kind"], numbers[row["kind"]]
        )
    return shown


def _row_forms(state: dict, data=None) -> list[PreviewRowForm]:
    causes = _causes(state)
    return [PreviewRowForm(data, row=row, causes=causes) for row in state["rows"]]


def _error_links(
    header: PreviewForm, rows: list[PreviewRowForm], extra: list[str]
) -> list[tuple[str, object]]:
    links: list[tuple[str, object]] = [("#main-content", message) for message in extra]
    links += [("#main-content", error) for error in header.non_field_errors()]
    for field in header:
        links += [(f"#{field.id_for_label}", error) for error in field.errors]
    for number, form in enumerate(rows, start=1):
        for field in form:
            links += [(f"#{field.id_for_label}", f"Item {number}: {e}") for e in field.errors]
    return links


class ImportPreviewView(_ImportView):
    """Steps 2 and 3: the preview table, re-previewed after each correction, then confirmed."""

    def dispatch(self, request, *args, **kwargs):
        self.state = request.session.get(SESSION_KEY)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        if not self._state_usable():
            return redirect("recommendations:import")
        header = PreviewForm(
            initial=PreviewForm.initial_from(self.state),
            user=request.user,
            named_forces=self.state.get("forces") or (),
        )
        return self._render(request, header, _row_forms(self.state))

    def post(self, request):
        if not self._state_usable():
            messages.error(request, "Start the import again: the preview has expired.")
            return redirect("recommendations:import")
        state = self.state
        confirming = request.POST.get("action") == "confirm"
        header = PreviewForm(
            request.POST,
            user=request.user,
            confirming=confirming,
            named_forces=state.get("forces") or (),
        )
        rows = _row_forms(state, request.POST)
        if request.POST.get("token") != _token(state):
            fresh = PreviewForm(
                initial=PreviewForm.initial_from(state),
                user=request.user,
                named_forces=state.get("forces") or (),
            )
            return self._render(request, fresh, _row_forms(state), errors=[STALE], status=409)
        valid = [header.is_valid()] + [form.is_valid() for form in rows]
        if not all(valid):
            return self._render(request, header, rows, status=400)
        try:
            with time_limit():  # re-reads deadlines from every edited text
                state = previews.apply_edits(state, {f.row["uid"]: f.to_edit() for f in rows})
        except previews.PreviewEditError as failed:
            for form in rows:
                for field, message in failed.errors.get(form.row["uid"], {}).items():
                    form.add_error(field, message)
            return self._render(request, header, rows, status=400)
        except PublicationParseError as refused:
            return self._render(request, header, rows, [refused.message], 400)
        values = header.state_values()
        from_log = (
            state.get("published_from_log") and values["published_on"] == state["published_on"]
        )
        state = {**state, **values, "published_from_log": from_log}
        request.session[SESSION_KEY] = state
        if not confirming:
            return redirect("recommendations:import-preview")
        try:
            result = publication_import(
                parsed=previews.publication_from_state(state),
                force=header.cleaned_data["force"],
                user=request.user,
                programme=state["programme"],
                published_on=_date(state["published_on"]),
                issued_on=_date(state["issued_on"]),
                title=state["title"],
                source_url=state["source_url"],
            )
        except (ServiceError, PublicationParseError) as refused:
            self.state = state
            return self._render(request, header, _row_forms(state), [refused.message], 400)
        del request.session[SESSION_KEY]
        assert result.inspection is not None  # only a dry run leaves it unset
        if result.already_imported:
            messages.info(request, f"Already imported: nothing new was created. {result.message}")
        else:
            messages.success(request, result.message)
        return redirect("recommendations:inspection-detail", pk=result.inspection.pk)

    def _state_usable(self) -> bool:
        try:
            previews.checked_rows(self.state)
        except PublicationParseError:
            return False
        return True

    def _render(self, request, header, rows, errors=(), status=200):
        state = self.state
        published, issued = _date(state.get("published_on")), _date(state.get("issued_on"))
        kinds, grades = dict(KIND_CHOICES), dict(Grade.choices)
        force = inspected_forces(request.user).filter(pk=state.get("force")).first()
        shown = _references(state, force=force, published_on=published)
        table = [
            {
                "number": number,
                "form": form,
                "row": form.row,
                "kind_label": kinds[form.row["kind"]],
                "shown_as": shown.get(form.row["uid"], ""),
                "status_label": Status(form.row["status"]).label,
                "due_on": previews.due_on_for(form.row, published_on=published, issued_on=issued),
            }
            for number, form in enumerate(rows, start=1)
        ]
        existing = force and existing_import(
            force=force,
            title=state.get("title", ""),
            published_on=published,
            references=state.get("references", []),
        )
        found = [
            _count(sum(1 for row in state["rows"] if row["kind"] == kind), kind)
            for kind, _ in KIND_CHOICES
        ]
        return render(
            request,
            "recommendations/import_preview.html",
            {
                "header": header,
                "table": table,
                "grades": [
                    {"area": grade["area"], "label": grades.get(grade["grade"], grade["grade"])}
                    for grade in state.get("grades", [])
                ],
                "found": found,
                "token": _token(state),
                "existing": existing,
                "warnings": [w for w in state.get("warnings", []) if isinstance(w, str)],
                "other_force": header.other_force(),
                "published_from_log": state.get("published_from_log") and published,
                "errors": _error_links(header, rows, list(errors)),
            },
            status=status,
        )

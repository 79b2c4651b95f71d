"""The item page's forms: each POST validates one form and calls one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from recommendations import forms, services, workflow
from recommendations.exceptions import ServiceError, StaleDecision
from recommendations.models import Action, Evidence
from recommendations.views.common import add_service_error, get_item_or_404, require
from recommendations.views.items import render_item_page


class _ItemFormView(LoginRequiredMixin, View):
    """POST-only: find the item (404 if not visible), check the permission (403), validate
    the form, call the service; on a problem show the item page again with the errors."""

    permission = ""
    form_key = ""
    success_message = ""

    def make_form(self, request, item):
        raise NotImplementedError

    def act(self, request, item, form):
        raise NotImplementedError

    def post(self, request, pk: int, **kwargs):
        item = get_item_or_404(request.user, pk)
        self.kwargs_extra = kwargs
        require(self.permission, request.user, self.permission_object(item))
        form = self.make_form(request, item)
        if form.is_valid():
            try:
                self.act(request, item, form)
            except ServiceError as refused:
                add_service_error(form, refused)
            else:
                messages.success(request, self.success_message)
                return redirect("recommendations:item-detail", pk=item.pk)
        return render_item_page(request, item, status=400, **{self.form_key: form})

    def permission_object(self, item):
        return item


def _stale(request, item, message: str):
    """The page again as it is now, saying what changed; nothing was applied."""
    messages.error(request, message)
    return render_item_page(request, item, status=409)


class TransitionView(LoginRequiredMixin, View):
    """Submit for review, decide (complete, send back, stop tracking) or reopen: one form,
    one service. Stopping tracking asks for confirmation first; a decision made on a page
    that no longer shows the item's current state is refused (409) with what changed."""

    def post(self, request, pk: int):
        item = get_item_or_404(request.user, pk)
        offered = workflow.available_transitions(item, request.user)
        asked = request.POST.get("decision-transition", "")
        if asked not in {info.name for info in offered}:
            # Not the user's to decide at all: 403. Possible for them, but not now (the
            # item is closed, or already decided): the page again with the reason.
            if asked in workflow.TRANSITIONS and not workflow.has_role_for(
                item, request.user, asked
            ):
                raise PermissionDenied
            if not offered and not any(
                workflow.has_role_for(item, request.user, name) for name in workflow.TRANSITIONS
            ):
                raise PermissionDenied
        seen = request.POST.get("decision-seen_version", "")
        if seen and seen != services.item_version(item):
            return _stale(request, item, services.stale_message(item))
        form = forms.TransitionForm(request.POST, transitions=offered, item=item)
        if not form.is_valid():
            if asked in workflow.TRANSITIONS and not offered:
                form.add_error(None, workflow.refusal_reason(item, request.user, asked))
            return render_item_page(request, item, status=400, transition=form)
        info = form.chosen
        if info.confirm and not form.cleaned_data["confirmed"]:
            return render(
                request,
                "recommendations/confirm_transition.html",
                {"item": item, "form": form, "info": info},
            )
        try:
            services.item_transition(
                item=item,
                user=request.user,
                transition=info.name,
                comment=form.cleaned_data["comment"],
                seen_version=form.cleaned_data["seen_version"] or None,
                superseded_by=form.cleaned_data.get("superseded_by"),
            )
        except StaleDecision as stale:
            return _stale(request, get_item_or_404(request.user, pk), stale.message)
        except ServiceError as refused:
            add_service_error(form, refused)
            return render_item_page(request, item, status=400, transition=form)
        messages.success(request, info.success)
        return redirect("recommendations:item-detail", pk=item.pk)


class DueDateView(_ItemFormView):
    permission = "recommendations.change_due_date"
    form_key = "due"
    success_message = "Due date changed. The inspector will be told."

    def make_form(self, request, item):
        return forms.DueDateForm(request.POST, prefix="due")

    def act(self, request, item, form):
        services.item_change_due_date(
            item=item,
            user=request.user,
            due_on=form.cleaned_data["due_on"],
            reason=form.cleaned_data["reason"],
        )


class OwnerView(_ItemFormView):
    permission = "recommendations.assign_item"
    form_key = "owner"
    success_message = "Owner saved."

    def make_form(self, request, item):
        return forms.OwnerForm(request.POST, item=item, prefix="owner")

    def act(self, request, item, form):
        services.item_assign_owner(item=item, user=request.user, owner=form.cleaned_data["owner"])


class ActionCreateView(_ItemFormView):
    permission = "recommendations.work_on_item"
    form_key = "action"
    success_message = "Action added."

    def make_form(self, request, item):
        return forms.ActionForm(request.POST, item=item, prefix="action")

    def act(self, request, item, form):
        data = form.cleaned_data
        action = services.action_create(
            item=item,
            user=request.user,
            description=data["description"],
            owner=data["owner"],
            target_on=data["target_on"],
        )
        if data["status"] != action.status:
            services.action_update(
                action=action,
                user=request.user,
                description=action.description,
                owner=action.owner,
                target_on=action.target_on,
                status=data["status"],
            )


class ActionUpdateView(_ItemFormView):
    permission = "recommendations.edit_action"
    form_key = "action_update"
    success_message = "Action updated."

    def permission_object(self, item):
        self.action = get_object_or_404(Action, pk=self.kwargs_extra["action_pk"], item=item)
        return self.action

    def make_form(self, request, item):
        return forms.ActionForm(request.POST, item=item, prefix=f"action-{self.action.pk}")

    def act(self, request, item, form):
        data = form.cleaned_data
        services.action_update(
            action=self.action,
            user=request.user,
            description=data["description"],
            owner=data["owner"],
            target_on=data["target_on"],
            status=data["status"],
        )


class ProgressUpdateView(_ItemFormView):
    permission = "recommendations.work_on_item"
    form_key = "update"
    success_message = "Progress update added."

    def make_form(self, request, item):
        return forms.ProgressUpdateForm(request.POST, prefix="update")

    def act(self, request, item, form):
        services.progress_update_create(
            item=item, user=request.user, text=form.cleaned_data["text"]
        )


class EvidenceCreateView(_ItemFormView):
    permission = "recommendations.work_on_item"
    form_key = "evidence"
    success_message = "Evidence added."

    def make_form(self, request, item):
        return forms.EvidenceForm(request.POST, request.FILES, prefix="evidence")

    def act(self, request, item, form):
        data = form.cleaned_data
        services.evidence_add(
            item=item,
            user=request.user,
            description=data["description"],
            file=data.get("file"),
            url=data.get("url") or "",
        )


class EvidenceDownloadView(LoginRequiredMixin, View):
    """Files are served only to users who may see the item, always as a download."""

    def get(self, request, pk: int, evidence_pk: int):
        item = get_item_or_404(request.user, pk)
        evidence = get_object_or_404(Evidence, pk=evidence_pk, item=item)
        if not evidence.file:
            raise Http404("This evidence is a link, not a file")
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404("The file is missing from storage") from missing
        return FileResponse(
            handle, as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1]
        )

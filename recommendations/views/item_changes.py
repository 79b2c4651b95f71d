"""The item page's forms: each POST validates one form and calls one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from accounts.models import User
from recommendations import forms, services, workflow
from recommendations.models import Action, Evidence, Item
from recommendations.views.common import add_service_error, get_item_or_404, require
from recommendations.views.items import render_item_page
from tracker.errors import ServiceError, StaleDecision


class _ItemFormView(LoginRequiredMixin, View):
    """POST-only: find the item (404 if not visible), check the permission (403), validate
    the form, call the service; on a problem show the item page again with the errors.

    A subclass names the permission, the form (`form_key` is its prefix and its name on the
    item page) and the use case, which takes `item`, `user` and the form's fields."""

    permission = ""
    form_class: type[Form]
    form_key = ""
    form_takes_item = False  # the form offers choices of the item's force (owners)
    success_message = ""
    use_case: Callable[..., object]

    def make_form(self, request: HttpRequest, item: Item) -> Form:
        extra: dict[str, Any] = {"item": item} if self.form_takes_item else {}
        return self.form_class(request.POST, request.FILES, prefix=self.form_key, **extra)

    def act(self, request: HttpRequest, item: Item, form: Form) -> None:
        # Asked of the class: the use case is a plain function, not a method of the view.
        type(self).use_case(item=item, user=request.user, **form.cleaned_data)

    def post(self, request: HttpRequest, pk: int, **kwargs: int) -> HttpResponse:
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

    def permission_object(self, item: Item) -> object:
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
    form_class, form_key = forms.DueDateForm, "due"
    use_case = services.item_change_due_date
    success_message = "Due date changed. The inspector will be told."


class OwnerView(_ItemFormView):
    permission = "recommendations.assign_item"
    form_class, form_key, form_takes_item = forms.OwnerForm, "owner", True
    use_case = services.item_assign_owner
    success_message = "Owner saved."


class ActionCreateView(_ItemFormView):
    permission = "recommendations.work_on_item"
    form_class, form_key, form_takes_item = forms.ActionForm, "action", True
    success_message = "Action added."

    def act(self, request, item, form):
        data = form.cleaned_data
        services.action_create(
            item=item,
            user=request.user,
            description=data["description"],
            owner=data["owner"],
            target_on=data["target_on"],
            status=data["status"],
        )


class ActionUpdateView(_ItemFormView):
    """One of the item's actions: its own form, prefixed with the action's number."""

    permission = "recommendations.edit_action"
    form_class, form_key = forms.ActionForm, "action_update"
    success_message = "Action updated."

    def permission_object(self, item: Item) -> Action:
        self.action = get_object_or_404(Action, pk=self.kwargs_extra["action_pk"], item=item)
        return self.action

    def make_form(self, request: HttpRequest, item: Item) -> forms.ActionForm:
        return forms.ActionForm(request.POST, item=item, prefix=f"action-{self.action.pk}")

    def act(self, request: HttpRequest, item: Item, form: Form) -> None:
        user = request.user
        assert isinstance(user, User)  # LoginRequiredMixin lets only a signed-in user here
        services.action_update(action=self.action, user=user, **form.cleaned_data)


class ProgressUpdateView(_ItemFormView):
    permission = "recommendations.work_on_item"
    form_class, form_key = forms.ProgressUpdateForm, "update"
    use_case = services.progress_update_create
    success_message = "Progress update added."


class EvidenceCreateView(_ItemFormView):
    permission = "recommendations.work_on_item"
    form_class, form_key = forms.EvidenceForm, "evidence"
    use_case = services.evidence_add
    success_message = "Evidence added."


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

"""My work: a force user's own items and actions, and updating an action from that list."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import Truncator
from django.views import View

from recommendations import services
from recommendations.forms_work import ActionProgressForm
from recommendations.models import Action
from recommendations.selectors_work import MY_WORK_LIMIT, my_work
from recommendations.views.common import add_service_error, get_visible_or_404, require
from tracker.errors import ServiceError


def render_my_work(request, *, bound: ActionProgressForm | None = None, status: int = 200):
    """The page, with a fresh form for every action row except the one being shown again."""
    today = timezone.localdate()
    work = my_work(request.user, today=today)
    for section in work.sections:
        for item in section.items:
            for action in item.my_actions:  # type: ignore[attr-defined]  # prefetched (to_attr)
                # A sponsor named on an action (by an administrator) still edits nothing.
                if not rules.has_perm("recommendations.edit_action", request.user, action):
                    action.form = None
                elif bound is not None and bound.prefix == f"action-{action.pk}":
                    action.form = bound
                else:
                    action.form = ActionProgressForm.for_action(action)
    context = {"work": work, "today": today, "limit": MY_WORK_LIMIT, "form": bound}
    return render(request, "recommendations/my_work.html", context, status=status)


class MyWorkView(LoginRequiredMixin, View):
    """What is the signed-in force user's own, soonest due first, across inspections."""

    def get(self, request):
        require("recommendations.view_my_work", request.user)
        return render_my_work(request)


class MyWorkActionView(LoginRequiredMixin, View):
    """POST only: update one action (status, target date, an optional progress note) from
    My work; back to My work with a message, or the page again with the errors."""

    def post(self, request, pk: int):
        actions = Action.objects.select_related("item", "owner")
        action = get_visible_or_404(actions, request.user, force_field="item__force", pk=pk)
        require("recommendations.edit_action", request.user, action)
        form = ActionProgressForm.for_action(action, data=request.POST)
        if form.is_valid():
            try:
                services.action_update_with_note(
                    action=action,
                    user=request.user,
                    status=form.cleaned_data["status"],
                    target_on=form.cleaned_data["target_on"],
                    note=form.cleaned_data["note"],
                )
            except ServiceError as refused:
                add_service_error(form, refused)
            else:
                what = Truncator(action.description).chars(80)
                messages.success(request, f"Action updated: {what}")
                return redirect("recommendations:my-work")
        return render_my_work(request, bound=form, status=400)

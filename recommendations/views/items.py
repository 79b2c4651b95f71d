from __future__ import annotations

import rules
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from accounts.models import User
from recommendations import forms, selectors, workflow
from recommendations.forms_extensions import ExtensionDecisionForm, ExtensionRequestForm
from recommendations.models import Item
from recommendations.rules import scope_to_user
from recommendations.views.common import (
    bulk_form_for,
    csv_response,
    get_item_or_404,
    item_csv_columns,
    wants_csv,
)

PAGE_SIZE = 50


def filter_form(request, *, force=None) -> forms.ItemFilterForm:
    """The list filters, offering only inspections and owners the user may see."""
    inspections = selectors.inspections_for_user(request.user)
    owners = scope_to_user(User.objects.filter(is_active=True), request.user)
    if force is not None:
        inspections = inspections.filter(force=force)
        owners = owners.filter(force=force)
    form = forms.ItemFilterForm(
        request.GET or None,
        inspections=inspections.order_by("-published_on"),
        owners=owners.order_by("first_name", "username"),
    )
    form.is_valid()
    return form


def filtered_items(request, *, force=None):
    """The user's items, narrowed by the valid filters of the request."""
    today = timezone.localdate()
    form = filter_form(request, force=force)
    items = selectors.items_for_user(request.user)
    if force is not None:
        items = items.filter(force=force)
    filters = form.cleaned_data if form.is_bound else {}
    return form, selectors.filter_items(items, filters, today=today), today


class ItemListView(LoginRequiredMixin, View):
    """Every item the user may see, most urgent first, with filters and a CSV download."""

    def get(self, request):
        form, items, today = filtered_items(request)
        if wants_csv(request):
            return csv_response("items", item_csv_columns(today), items.iterator(chunk_size=500))
        page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "recommendations/item_list.html",
            {
                "filter_form": form,
                "page": page,
                "items": page.object_list,
                "today": today,
                "bulk_form": bulk_form_for(request.user) if request.user.force_id else None,
            },
        )


def item_page_context(request, item: Item, **bound_forms) -> dict:
    """Everything the item page shows, with fresh forms except the one being re-shown."""
    user = request.user
    may = {
        perm: rules.has_perm(f"recommendations.{perm}", user, item)
        for perm in (
            "work_on_item",
            "assign_item",
            "change_due_date",
            "request_extension",
            "decide_extension",
            "publish_comment",
        )
    }
    offered = workflow.available_transitions(item, user)
    transition_form = bound_forms.get("transition") or (
        forms.TransitionForm(transitions=offered, item=item) if offered else None
    )
    actions = list(item.actions.select_related("owner"))
    changed_action = bound_forms.get("action_update")
    for action in actions:
        action.may_edit = item.is_open and rules.has_perm(
            "recommendations.edit_action", user, action
        )
        if action.may_edit:
            prefix = f"action-{action.pk}"
            action.form = (
                changed_action
                if changed_action is not None and changed_action.prefix == prefix
                else forms.ActionForm(
                    item=item,
                    prefix=prefix,
                    initial={"status": action.status, "target_on": action.target_on},
                )
            )
    pending = selectors.pending_extension(item)
    may_extend = item.is_open and item.due_on is not None
    return {
        "item": item,
        "today": timezone.localdate(),
        "pending_extension": pending,
        "may_request_extension": may["request_extension"] and may_extend and pending is None,
        "may_decide_extension": may["decide_extension"] and item.is_open and pending is not None,
        "extension_form": bound_forms.get("extension") or ExtensionRequestForm(prefix="extension"),
        "extension_decision_form": bound_forms.get("extension_decision")
        or ExtensionDecisionForm(prefix="extension-decision"),
        "may_work": may["work_on_item"] and item.is_open,
        "may_assign": may["assign_item"] and item.is_open,
        "may_change_due": may["change_due_date"] and item.is_open and item.due_on is not None,
        "transition_form": transition_form,
        # Inspectors choose which timeline comments the public register shows.
        "may_publish_comments": may["publish_comment"],
        "sent_back": selectors.latest_send_back(item) if item.is_returned else None,
        "actions": actions,
        "updates": item.progress_updates.select_related("author"),
        "evidence": item.evidence.select_related("uploaded_by"),
        "timeline": item.timeline.select_related("actor").order_by("-occurred_at", "-pk"),
        "due_form": bound_forms.get("due")
        or forms.DueDateForm(prefix="due", initial={"due_on": item.due_on}),
        "owner_form": bound_forms.get("owner")
        or forms.OwnerForm(item=item, prefix="owner", initial={"owner": item.owner_id}),
        "action_form": bound_forms.get("action") or forms.ActionForm(item=item, prefix="action"),
        "update_form": bound_forms.get("update") or forms.ProgressUpdateForm(prefix="update"),
        "evidence_form": bound_forms.get("evidence") or forms.EvidenceForm(prefix="evidence"),
        "error_form": next((f for f in bound_forms.values() if f is not None and f.errors), None),
    }


def render_item_page(request, item: Item, *, status: int = 200, **bound_forms):
    return render(
        request,
        "recommendations/item_detail.html",
        item_page_context(request, item, **bound_forms),
        status=status,
    )


class ItemDetailView(LoginRequiredMixin, View):
    """One item: text, deadline, status, actions, updates, evidence, timeline and the buttons
    for exactly the transitions this user may make."""

    def get(self, request, pk: int):
        return render_item_page(request, get_item_or_404(request.user, pk))

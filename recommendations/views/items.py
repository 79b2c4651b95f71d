from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from recommendations import forms, selectors
from recommendations.forms_extensions import ExtensionDecisionForm, ExtensionRequestForm
from recommendations.models import Item
from recommendations.pagination import ItemPaginator
from recommendations.selectors_pages import ItemPage, item_page
from recommendations.views.common import (
    bulk_form_for,
    item_csv_response,
    wants_csv,
)

PAGE_SIZE = 50


def filter_form(request, *, force=None) -> forms.ItemFilterForm:
    """The list filters, offering only inspections and owners the user may see."""
    inspections, owners = selectors.filter_choices(request.user, force=force)
    form = forms.ItemFilterForm(request.GET or None, inspections=inspections, owners=owners)
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


def list_page(form: forms.ItemFilterForm, items, number, *, forces=None):
    """The page asked for; a text search reads its count with the page's ids, a list of a few
    forces its first pages force by force (ItemPaginator)."""
    searching = bool(form.is_bound and form.is_valid() and form.cleaned_data.get("q"))
    return ItemPaginator(items, PAGE_SIZE, one_pass=searching, forces=forces).get_page(number)


class ItemListView(LoginRequiredMixin, View):
    """Every item the user may see, most urgent first, with filters and a CSV download."""

    def get(self, request):
        form, items, today = filtered_items(request)
        if wants_csv(request):
            return item_csv_response("items", items, today)
        forces = selectors.visible_force_ids(request.user)
        page = list_page(form, items, request.GET.get("page"), forces=forces)
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


def item_page_context(request, page: ItemPage, **bound_forms) -> dict:
    """The item page's selector result, with fresh forms except the one being re-shown."""
    item = page.item
    offered = page.transitions
    transition_form = bound_forms.get("transition") or (
        forms.TransitionForm(transitions=offered, item=item) if offered else None
    )
    changed_action = bound_forms.get("action_update")
    members = page.members
    for row in page.actions:
        if row.may_edit:
            prefix = f"action-{row.action.pk}"
            row.form = (
                changed_action
                if changed_action is not None and changed_action.prefix == prefix
                else forms.ActionForm(
                    item=item,
                    prefix=prefix,
                    initial={"status": row.action.status, "target_on": row.action.target_on},
                )
            )
    return {
        "page": page,
        "item": item,
        "today": timezone.localdate(),
        "pending_extension": page.pending_extension,
        "may_request_extension": page.may_request_extension,
        "may_decide_extension": page.may_decide_extension,
        "extension_form": bound_forms.get("extension") or ExtensionRequestForm(prefix="extension"),
        "extension_decision_form": bound_forms.get("extension_decision")
        or ExtensionDecisionForm(prefix="extension-decision"),
        "may_work": page.may_work,
        "may_assign": page.may_assign,
        "may_change_due": page.may_change_due,
        "transition_form": transition_form,
        "may_publish_comments": page.may_publish_comments,
        "sent_back": page.sent_back,
        "actions": page.actions,
        "updates": page.updates,
        "evidence": page.evidence,
        "timeline": page.timeline,
        "due_form": bound_forms.get("due")
        or forms.DueDateForm(prefix="due", initial={"due_on": item.due_on}),
        "owner_form": bound_forms.get("owner")
        or forms.OwnerForm(
            item=item, members=members, prefix="owner", initial={"owner": item.owner_id}
        ),
        "action_form": bound_forms.get("action")
        or forms.ActionForm(item=item, members=members, prefix="action"),
        "update_form": bound_forms.get("update") or forms.ProgressUpdateForm(prefix="update"),
        "evidence_form": bound_forms.get("evidence") or forms.EvidenceForm(prefix="evidence"),
        "error_form": next((f for f in bound_forms.values() if f is not None and f.errors), None),
    }


def render_item_page(request, item: Item | int, *, status: int = 200, **bound_forms):
    """The item page (read afresh, so a refused change shows the item as it is now)."""
    pk = item if isinstance(item, int) else item.pk
    try:
        page = item_page(user=request.user, pk=pk)
    except Item.DoesNotExist as missing:
        raise Http404("No such item") from missing
    return render(
        request,
        "recommendations/item_detail.html",
        item_page_context(request, page, **bound_forms),
        status=status,
    )


class ItemDetailView(LoginRequiredMixin, View):
    """One item: text, deadline, status, actions, updates, evidence, timeline and the buttons
    for exactly the transitions this user may make."""

    def get(self, request, pk: int):
        return render_item_page(request, pk)

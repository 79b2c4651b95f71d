"""Extension requests on the item page: the force lead asks, an inspector decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.views import View

from recommendations import services
from recommendations.forms_extensions import ExtensionDecisionForm, ExtensionRequestForm
from recommendations.models import ExtensionRequest
from recommendations.views.common import add_service_error, get_item_or_404, require
from recommendations.views.items import render_item_page
from tracker.errors import ServiceError


class ExtensionRequestView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        item = get_item_or_404(request.user, pk)
        require("recommendations.request_extension", request.user, item)
        form = ExtensionRequestForm(request.POST, prefix="extension")
        if form.is_valid():
            try:
                services.extension_request_create(
                    item=item,
                    user=request.user,
                    due_on=form.cleaned_data["due_on"],
                    reason=form.cleaned_data["reason"],
                )
            except ServiceError as refused:
                add_service_error(form, refused)
            else:
                messages.success(
                    request, "Extension requested; the force’s inspectors have been told."
                )
                return redirect("recommendations:item-detail", pk=item.pk)
        return render_item_page(request, item, status=400, extension=form)


class ExtensionDecisionView(LoginRequiredMixin, View):
    def post(self, request, pk: int, request_pk: int):
        item = get_item_or_404(request.user, pk)
        require("recommendations.decide_extension", request.user, item)
        extension = get_object_or_404(ExtensionRequest, pk=request_pk, item=item)
        form = ExtensionDecisionForm(request.POST, prefix="extension-decision")
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                services.extension_request_decide(
                    request=extension,
                    user=request.user,
                    approve=approve,
                    comment=form.cleaned_data["comment"],
                )
            except ServiceError as refused:
                add_service_error(form, refused)
            else:
                messages.success(
                    request,
                    "Extension approved: the due date has moved; the force lead has been told."
                    if approve
                    else "Extension refused; the force lead has been told.",
                )
                return redirect("recommendations:item-detail", pk=item.pk)
        return render_item_page(request, item, status=400, extension_decision=form)

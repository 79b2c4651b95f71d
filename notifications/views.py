"""The inbox, preferences, unsubscribe links and the ledger's health page: thin, one service
each."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from notifications import emails, selectors, services
from notifications.forms import PreferencesForm
from notifications.models import Kind, State
from notifications.policy import USER_CHOICE_KINDS, policy_for
from notifications.tokens import read_unsubscribe_token
from tracker.errors import ServiceError

INBOX_PAGE_SIZE = 25


class InboxView(LoginRequiredMixin, View):
    """The signed-in user's own messages, newest first, unread ones marked; each reads as
    its e-mail's subject and gist."""

    def get(self, request):
        rows = selectors.inbox_page_rows(selectors.inbox_for(request.user))
        page = Paginator(rows, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
        messages_shown = [
            {
                "row": row,
                "subject": emails.subject(row, emails.written_on(row)),
                "summary": emails.summary(row),
            }
            for row in page.object_list
        ]
        return render(
            request,
            "notifications/inbox.html",
            {"page": page, "notifications": messages_shown},
        )


class NotificationOpenView(LoginRequiredMixin, View):
    """Opening a message marks it read and goes where its e-mail's link goes. Another
    person's message is not found."""

    def get(self, request, pk: int):
        row = get_object_or_404(selectors.inbox_for(request.user), pk=pk)
        services.notification_mark_read(notification=row, user=request.user)
        return redirect(emails.message_path(row))


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        marked = services.notifications_mark_all_read(user=request.user)
        if marked:
            messages.success(request, f"{marked} message{'s' if marked != 1 else ''} marked read.")
        return redirect("notifications:inbox")


class PreferencesView(LoginRequiredMixin, View):
    template_name = "notifications/preferences.html"

    def get(self, request):
        form = PreferencesForm(preferences=selectors.preferences_for(request.user))
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = PreferencesForm(request.POST, preferences=selectors.preferences_for(request.user))
        if form.is_valid():
            try:
                services.preferences_update(user=request.user, deliveries=form.cleaned_data)
            except ServiceError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, "Your e-mail preferences have been saved.")
                return redirect("notifications:preferences")
        return render(request, self.template_name, {"form": form}, status=400)


# The token in the link is the credential, so no sign-in and no CSRF token: mail programs
# send the one-click unsubscribe (RFC 8058, List-Unsubscribe-Post) as a bare POST.
@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    template_name = "notifications/unsubscribe.html"

    def get(self, request, token: str):
        # A GET only asks: link scanners in mail systems follow links without a person.
        unsubscribe = read_unsubscribe_token(token)
        if unsubscribe is None or unsubscribe.kind not in USER_CHOICE_KINDS:
            return render(request, self.template_name, {}, status=400)
        if not policy_for(unsubscribe.kind).can_turn_off:
            # A genuine link, but nothing to offer: say so rather than show a button.
            error = "Escalations of overdue items cannot be turned off."
            return render(request, self.template_name, {"error": error})
        context = {"kind": Kind(unsubscribe.kind).label, "asked": True}
        return render(request, self.template_name, context)

    def post(self, request, token: str):
        try:
            _user, kind = services.preference_unsubscribe(token=token)
        except ServiceError as refused:
            return render(request, self.template_name, {"error": refused.message}, status=400)
        return render(request, self.template_name, {"kind": Kind(kind).label, "done": True})


class LedgerStatusView(LoginRequiredMixin, View):
    """For administrators: how many notifications are in each state, and what needs a look."""

    def get(self, request):
        if not rules.has_perm("notifications.manage_ledger", request.user):
            raise PermissionDenied
        counts = selectors.ledger_counts()
        context = {
            "counts": [(State(state).label, state, n) for state, n in counts.items()],
            "unknown": counts[State.UNKNOWN],
            "failed": counts[State.FAILED],
            "retrying": selectors.retrying_count(),
            "attention": selectors.notifications_needing_attention()[:50],
        }
        return render(request, "notifications/status.html", context)

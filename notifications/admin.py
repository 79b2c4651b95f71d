"""Admin: the ledger (read-only, with a "send again" action), the ladder, preferences.

The ledger is never edited by hand: rows change state only through the sender, and an
administrator's "send again" goes through `notifications.services.notifications_retry`.
"""

import rules
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.html import format_html

from notifications import selectors, services
from notifications.models import EscalationStep, Notification, NotificationPreference, State


class AdministratorsOnly:
    """Administrators (the role) manage notifications, whatever their Django permissions."""

    def _is_administrator(self, request: HttpRequest) -> bool:
        return rules.has_perm("notifications.manage_ledger", request.user)

    def has_module_permission(self, request):
        return self._is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return self._is_administrator(request)

    def has_add_permission(self, request):
        return self._is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return self._is_administrator(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_administrator(request)


@admin.register(Notification)
class NotificationAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = [
        "pk",
        "state",
        "kind",
        "recipient",
        "item",
        "key",
        "planned_for",
        "attempts",
        "sent_at",
        "short_error",
    ]
    list_filter = ["state", "kind", "planned_for"]
    search_fields = ["recipient__username", "recipient__email", "key"]
    list_select_related = ["recipient", "item"]
    date_hierarchy = "planned_for"
    actions = ["send_again"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Last error")
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description="Send again (failed or unknown only)")
    def send_again(self, request, queryset):
        count = services.notifications_retry(
            user=request.user, notification_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(request, f"{count} notification(s) planned to be sent again.")

    def changelist_view(self, request, extra_context=None):
        counts = selectors.ledger_counts()
        if counts[State.UNKNOWN] or counts[State.FAILED]:
            self.message_user(
                request,
                format_html(
                    "{} notification(s) with an unknown outcome and {} failed: "
                    "filter by state to review them.",
                    counts[State.UNKNOWN],
                    counts[State.FAILED],
                ),
                level=messages.WARNING,
            )
        return super().changelist_view(request, extra_context)


@admin.register(EscalationStep)
class EscalationStepAdmin(AdministratorsOnly, admin.ModelAdmin):
    """The overdue ladder. Changing it affects what is planned next, never what was sent."""

    list_display = [
        "day",
        "to_owners",
        "to_force_leads",
        "to_executive_sponsors",
        "to_inspectors",
        "repeat_every_days",
    ]
    list_editable = [
        "to_owners",
        "to_force_leads",
        "to_executive_sponsors",
        "to_inspectors",
        "repeat_every_days",
    ]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["user", "kind", "delivery", "updated_at"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]

from django.contrib import admin

from calendars.models import CalendarFeed


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Read-only: an administrator can only turn a feed off (delete it), e.g. for a leaver."""

    list_display = ["user", "created_at", "last_used_at"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["user", "created_at", "last_used_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

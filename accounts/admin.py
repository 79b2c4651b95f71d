from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "role", "force", "is_active"]
    list_filter = ["role", "force", "is_active"]
    fieldsets = [
        *(BaseUserAdmin.fieldsets or ()),
        ("Role", {"fields": ["role", "force", "inspected_forces"]}),
    ]
    filter_horizontal = ["inspected_forces", "groups", "user_permissions"]

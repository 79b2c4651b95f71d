"""Django admin: everything visible; the status and the timeline are never edited here.

Status changes go through the workflow services so that permission and history are kept.
The timeline is the audit trail: nobody, not even a superuser, adds, changes or deletes an
entry here, and so nothing that would take entries with it (an item, a cause of concern)
can be deleted either.
"""

from django import forms
from django.contrib import admin
from django.utils.text import Truncator

from recommendations.models import (
    Action,
    AreaForImprovement,
    CauseOfConcern,
    Evidence,
    Force,
    GradedJudgment,
    Inspection,
    Item,
    MonitoringStageChange,
    ProgressUpdate,
    Recommendation,
    TimelineEntry,
)
from recommendations.services.findings import item_reference_allocate


class MonitoringStageInline(admin.TabularInline):
    model = MonitoringStageChange
    extra = 0
    fields = ["stage", "started_on", "note"]


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MonitoringStageInline]


class GradedJudgmentInline(admin.TabularInline):
    model = GradedJudgment
    extra = 0


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["title", "short_name", "force", "programme", "issued_on", "published_on"]
    list_filter = ["programme", "force"]
    search_fields = ["title", "short_name", "reference"]
    date_hierarchy = "published_on"
    inlines = [GradedJudgmentInline]

    def get_readonly_fields(self, request, obj=None):
        # Its items' references begin with the short name: fixed once it has items.
        fixed = obj is not None and obj.items.exists()
        return [*super().get_readonly_fields(request, obj), *(["short_name"] if fixed else [])]


@admin.register(CauseOfConcern)
class CauseOfConcernAdmin(admin.ModelAdmin):
    list_display = ["__str__", "inspection", "force", "closed_on"]
    list_filter = ["force"]
    search_fields = ["reference", "text"]
    raw_id_fields = ["inspection", "carries_forward", "closed_by"]


class ActionInline(admin.TabularInline):
    model = Action
    extra = 0
    fields = ["description", "owner", "target_on", "status"]
    raw_id_fields = ["owner"]


class ReadOnlyAuditTrail:
    """Timeline entries are read, never added, changed or deleted (by anyone)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TimelineInline(ReadOnlyAuditTrail, admin.TabularInline):
    model = TimelineEntry
    fk_name = "item"
    extra = 0
    can_delete = False
    readonly_fields = (
        "occurred_at",
        "kind",
        "actor",
        "status_from",
        "status_to",
        "due_from",
        "due_to",
        "comment",
    )
    fields = readonly_fields


class ItemAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean() or {}
        reference = cleaned.get("reference")
        if self.instance.pk is None and reference:
            clash = Item.objects.filter(
                inspection=cleaned.get("inspection"),
                force=cleaned.get("force"),
                display_reference=reference,
            )
            if clash.exists():
                self.add_error("reference", "Another item of this inspection is shown so.")
        return cleaned


class ItemAdmin(admin.ModelAdmin):
    form = ItemAdminForm
    list_display = ["item_reference", "text_summary", "inspection", "force", "due_on", "status"]
    list_display_links = ["item_reference", "text_summary"]
    list_filter = ["status", "force", "deadline_rule"]
    search_fields = ["display_reference", "text"]
    list_select_related = ["inspection", "force"]
    raw_id_fields = ["inspection", "cause_of_concern", "owner", "superseded_by"]
    readonly_fields = [
        "status",
        "status_changed_at",
        "submitted_at",
        "returned_at",
        "original_due_on",
        "extension_count",
    ]
    inlines = [ActionInline, TimelineInline]

    def get_readonly_fields(self, request, obj=None):
        # The reference an item is shown by is given once, when it is created.
        fixed = ["display_reference", *(["reference"] if obj is not None else [])]
        return [*fixed, *super().get_readonly_fields(request, obj)]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.display_reference = item_reference_allocate(
                inspection=obj.inspection, force=obj.force, kind=obj.kind, reference=obj.reference
            )
        super().save_model(request, obj, form, change)

    @admin.display(description="Reference", ordering="reference")
    def item_reference(self, item) -> str:
        return item.label

    @admin.display(description="Text")
    def text_summary(self, item) -> str:
        return Truncator(item.text).chars(80)

    def get_actions(self, request):
        # Deleting items in bulk would delete their timelines: never offered.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


admin.site.register(Recommendation, ItemAdmin)
admin.site.register(AreaForImprovement, ItemAdmin)


@admin.register(Item)
class AllItemsAdmin(ItemAdmin):
    pass


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["item", "author", "created_at"]
    raw_id_fields = ["item", "author"]

    def has_change_permission(self, request, obj=None):
        return False  # append-only


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["description", "item", "uploaded_by", "uploaded_at", "submitted_at"]
    raw_id_fields = ["item", "uploaded_by"]


@admin.register(TimelineEntry)
class TimelineEntryAdmin(ReadOnlyAuditTrail, admin.ModelAdmin):
    list_display = ["occurred_at", "kind", "item", "cause_of_concern", "actor"]
    list_filter = ["kind"]
    list_select_related = ["item", "cause_of_concern", "actor"]

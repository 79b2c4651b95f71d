from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class TimelineKind(models.TextChoices):
    CREATED = "created", "Created"
    IMPORTED = "imported", "Imported"
    STATUS_CHANGED = "status-changed", "Status changed"
    DUE_DATE_CHANGED = "due-date-changed", "Due date changed"
    COMMENT = "comment", "Comment"
    ASSIGNED = "assigned", "Owner assigned"
    ACTION_ADDED = "action-added", "Action added"
    ACTION_CHANGED = "action-changed", "Action changed"
    PROGRESS_UPDATE = "progress-update", "Progress update"
    EVIDENCE_ADDED = "evidence-added", "Evidence added"
    CAUSE_OF_CONCERN_CLOSED = "cause-of-concern-closed", "Cause of concern closed"
    CAUSE_OF_CONCERN_REOPENED = "cause-of-concern-reopened", "Cause of concern reopened"
    EXTENSION_REQUESTED = "extension-requested", "Extension requested"
    EXTENSION_APPROVED = "extension-approved", "Extension approved"
    EXTENSION_REFUSED = "extension-refused", "Extension refused"


# Entries whose comment an inspector may make public: decisions, due-date reasons and
# comments. Never the force's own work (actions, evidence, progress) or owner assignments, which
# name force staff.
PUBLISHABLE_KINDS = frozenset(
    {
        TimelineKind.CREATED,
        TimelineKind.IMPORTED,
        TimelineKind.STATUS_CHANGED,
        TimelineKind.DUE_DATE_CHANGED,
        TimelineKind.COMMENT,
    }
)


# Entries that move an item's due date (from `due_from` to `due_to`): an inspector's direct
# change, or an approved extension request.
DUE_DATE_MOVES = (TimelineKind.DUE_DATE_CHANGED, TimelineKind.EXTENSION_APPROVED)


class TimelineEntry(models.Model):
    """The append-only history of an item or a cause of concern.

    A null actor means "system" (imports, the reminder engine). `occurred_at` is when it
    happened, which for imported register history is earlier than `recorded_at`.
    """

    item = models.ForeignKey(
        "recommendations.Item",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="timeline",
    )
    cause_of_concern = models.ForeignKey(
        "recommendations.CauseOfConcern",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="timeline",
    )
    kind = models.CharField(max_length=32, choices=TimelineKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    recorded_at = models.DateTimeField(auto_now_add=True)
    status_from = models.CharField(max_length=32, blank=True)
    status_to = models.CharField(max_length=32, blank=True)
    due_from = models.DateField(null=True, blank=True)
    due_to = models.DateField(null=True, blank=True)
    comment = models.TextField(blank=True)
    # The status machine's transition that made this entry (blank for other entries), so an
    # e-mail or a page can say what was decided in the transition's own words.
    transition = models.CharField(max_length=32, blank=True)
    # An inspector may show this entry's comment on the public register (which otherwise shows
    # no comments); only the kinds in PUBLISHABLE_KINDS can be.
    public = models.BooleanField(
        default=False, help_text="Its comment is shown on the public register."
    )

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name_plural = "timeline entries"
        constraints = [
            models.CheckConstraint(
                name="timeline_entry_about_one_thing",
                condition=Q(item__isnull=False, cause_of_concern__isnull=True)
                | Q(item__isnull=True, cause_of_concern__isnull=False),
            )
        ]
        indexes = [models.Index(fields=["item", "occurred_at"], name="timeline_by_item")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%d %b %Y %H:%M} {self.get_kind_display()}"

    @property
    def can_be_public(self) -> bool:
        return bool(self.item_id and self.comment and self.kind in PUBLISHABLE_KINDS)

    @property
    def actor_name(self) -> str:
        return str(self.actor) if self.actor_id else "System"

"""What the API shows of each object: the fields the pages show, in the inspectorate's words.

Read serializers only read attributes already loaded by the views' querysets (no query per
row); the write serializers validate input that the views hand to one service each.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recommendations import workflow
from recommendations.models import (
    Action,
    ActionStatus,
    CauseOfConcern,
    Evidence,
    Force,
    GradedJudgment,
    Inspection,
    Item,
    ProgressUpdate,
    Rag,
    TimelineEntry,
)
from recommendations.services import item_version

# The transitions the API offers: what force users and inspectors do from the item page,
# submitting and deciding; nothing else (reopening stays on the page).
API_TRANSITIONS = ("submit_for_review", *workflow.DECISIONS)


def absolute(context: dict, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


@extend_schema_field(PersonSerializer(allow_null=True))
class PersonField(serializers.Field):
    """A user as `{"id", "name"}`, or null (no e-mail addresses: the pages show names)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return {"id": value.pk, "name": str(value)}


class ReadSerializer(serializers.ModelSerializer):
    """Output only: every field is read-only (and so always present in the answer)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


class ForceSerializer(ReadSerializer):
    open_items = serializers.IntegerField(source="open_count")
    overdue_items = serializers.IntegerField(source="overdue_count")
    awaiting_review_items = serializers.IntegerField(source="awaiting_review_count")
    monitoring_stage = serializers.CharField(source="stage", allow_null=True)
    monitoring_stage_since = serializers.DateField(source="stage_since", allow_null=True)

    class Meta:
        model = Force
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "monitoring_stage",
            "monitoring_stage_since",
            "open_items",
            "overdue_items",
            "awaiting_review_items",
        ]


class GradedJudgmentSerializer(ReadSerializer):
    grade_label = serializers.CharField(source="get_grade_display")

    class Meta:
        model = GradedJudgment
        fields = ["area", "grade", "grade_label"]


class InspectionSerializer(ReadSerializer):
    force: serializers.SlugRelatedField[Force] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    programme_label = serializers.CharField(source="get_programme_display")
    pcc_response_due_on = serializers.DateField()
    judgments = GradedJudgmentSerializer(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "title",
            "short_name",
            "programme",
            "programme_label",
            "reference",
            "force",
            "issued_on",
            "published_on",
            "source_url",
            "pcc_response_due_on",
            "pcc_response_published_on",
            "judgments",
        ]


class CauseOfConcernSerializer(ReadSerializer):
    force: serializers.SlugRelatedField[Force] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    # The API's `label` shadows DRF's Field.label (a serializer is a field too).
    label = serializers.CharField()  # type: ignore[assignment]
    is_open = serializers.BooleanField()

    class Meta:
        model = CauseOfConcern
        fields = [
            "id",
            "inspection",
            "force",
            "reference",
            "label",
            "text",
            "position",
            "carries_forward",
            "is_open",
            "closed_on",
            "closing_letter_reference",
        ]


class ItemSerializer(ReadSerializer):
    """An item as the lists show it: reference, text, deadline, status, RAG and whose turn."""

    force: serializers.SlugRelatedField[Force] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    force_name = serializers.CharField(source="force.name")
    inspection_title = serializers.CharField(source="inspection.title")
    # The API's `label` shadows DRF's Field.label (a serializer is a field too).
    label = serializers.CharField()  # type: ignore[assignment]
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    rag = serializers.SerializerMethodField()
    rag_label = serializers.SerializerMethodField()
    days_overdue = serializers.SerializerMethodField()
    whose_turn = serializers.ChoiceField(choices=["force", "inspector", "nobody"])
    turn_label = serializers.CharField()
    owner = PersonField()
    version = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = [
            "id",
            "label",
            "display_reference",
            "reference",
            "kind",
            "kind_label",
            "force",
            "force_name",
            "inspection",
            "inspection_title",
            "cause_of_concern",
            "text",
            "deadline_rule",
            "deadline_phrase",
            "due_on",
            "original_due_on",
            "status",
            "status_label",
            "rag",
            "rag_label",
            "days_overdue",
            "whose_turn",
            "turn_label",
            "owner",
            "status_changed_at",
            "submitted_at",
            "returned_at",
            "superseded_by",
            "created_at",
            "updated_at",
            "version",
            "web_url",
        ]

    def _today(self):
        return self.context.setdefault("today", timezone.localdate())

    @extend_schema_field(serializers.ChoiceField(choices=Rag.choices))
    def get_rag(self, item: Item) -> str:
        return item.rag(self._today()).value

    def get_rag_label(self, item: Item) -> str:
        return item.rag(self._today()).label

    def get_days_overdue(self, item: Item) -> int:
        return item.days_overdue(self._today())

    def get_version(self, item: Item) -> str:
        """What a decision sends back as `seen_version`, so it is refused if the item changed."""
        return item_version(item)

    def get_web_url(self, item: Item) -> str:
        """The item's page, for a person."""
        return absolute(self.context, reverse("recommendations:item-detail", args=[item.pk]))


class TransitionInfoSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=API_TRANSITIONS)
    # The API's `label` shadows DRF's Field.label (a serializer is a field too).
    label = serializers.CharField()  # type: ignore[assignment]
    comment_required = serializers.BooleanField()
    comment_label = serializers.CharField()


class ItemTransitionsSerializer(serializers.Serializer):
    """The transitions the user may make on the item now, and its current version."""

    version = serializers.CharField()
    available = TransitionInfoSerializer(many=True)


class ActionSerializer(ReadSerializer):
    owner = PersonField()
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Action
        fields = [
            "id",
            "item",
            "description",
            "owner",
            "target_on",
            "status",
            "status_label",
            "created_at",
            "updated_at",
        ]


class ProgressUpdateSerializer(ReadSerializer):
    author = PersonField()

    class Meta:
        model = ProgressUpdate
        fields = ["id", "item", "text", "author", "created_at"]


class EvidenceSerializer(ReadSerializer):
    """Evidence metadata; a file's bytes only through the page's permission-checked
    download (`download_url`, for a signed-in browser)."""

    kind = serializers.SerializerMethodField()
    uploaded_by = PersonField()
    is_frozen = serializers.BooleanField()
    file_name = serializers.CharField()
    file_type = serializers.CharField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "item",
            "kind",
            "description",
            "url",
            "file_name",
            "file_type",
            "content_type",
            "size",
            "uploaded_by",
            "uploaded_at",
            "submitted_at",
            "is_frozen",
            "download_url",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=["file", "link"]))
    def get_kind(self, evidence: Evidence) -> str:
        return "file" if evidence.file else "link"

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_download_url(self, evidence: Evidence) -> str | None:
        if not evidence.file:
            return None
        return reverse("recommendations:evidence-download", args=[evidence.item_id, evidence.pk])


class TimelineEntrySerializer(ReadSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    actor = PersonField()
    actor_name = serializers.CharField()

    class Meta:
        model = TimelineEntry
        fields = [
            "id",
            "item",
            "cause_of_concern",
            "kind",
            "kind_label",
            "actor",
            "actor_name",
            "occurred_at",
            "recorded_at",
            "status_from",
            "status_to",
            "due_from",
            "due_to",
            "comment",
            "transition",
        ]


# --- Input -----------------------------------------------------------------------------------


class ProgressUpdateCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10_000, help_text="The progress note.")


class ActionUpdateSerializer(serializers.Serializer):
    """Any of the action's fields; those left out keep their value."""

    description = serializers.CharField(max_length=10_000, required=False)
    owner = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        allow_null=True,
        required=False,
        help_text="The id of an active improvement lead or action owner of the item's force, "
        "or null for nobody.",
    )
    target_on = serializers.DateField(allow_null=True, required=False)
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)


class TransitionSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(
        choices=API_TRANSITIONS,
        help_text="submit_for_review (the force lead), or an inspector's decision: complete, "
        "send_back, stop_tracking.",
    )
    comment = serializers.CharField(
        max_length=10_000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for a decision.",
    )
    seen_version = serializers.CharField(
        max_length=100,
        required=False,
        allow_null=True,
        default=None,
        help_text="The item's `version` when you looked at it: the change is refused (409) if "
        "the item has changed since.",
    )
    superseded_by = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        allow_null=True,
        default=None,
        help_text="stop_tracking only: the id of the item of the same force that supersedes it.",
    )

"""Query-string filters of the lists, validated like any input (a bad value is a 400).

Each filter serializer narrows a queryset that is already scoped to the user, so a filter
can only ever hide data, never reveal any.
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from rest_framework import filters, serializers

from recommendations import selectors
from recommendations.models import (
    ActionStatus,
    ItemKind,
    Programme,
    Rag,
    Status,
    TimelineKind,
    rag_conditions,
)
from recommendations.models.findings import CLOSED_STATUSES

OWNER_HELP = 'A user\'s id, or "me".'
STATUS_FILTERS = [
    *Status.choices,
    ("open", "Open: awaiting review or being progressed"),
    ("closed", "Closed: complete or no further action needed"),
    ("new", "New: the force to plan its response"),
    ("submitted", "Submitted: the inspector's turn"),
    ("returned", "Returned to the force"),
]


def _owner_id(value: str, user) -> int | None:
    if not value:
        return None
    return user.pk if value == "me" else int(value)


class QueryFilters(serializers.Serializer):
    """A list's query-string filters: `apply` validates them (400) and narrows the list."""

    def narrow(self, queryset: QuerySet, user) -> QuerySet:
        raise NotImplementedError

    @classmethod
    def apply(cls, request, queryset: QuerySet) -> QuerySet:
        checked = cls(data=request.query_params)
        checked.is_valid(raise_exception=True)
        return checked.narrow(queryset, request.user)


def id_field(**kwargs):
    """An object's id: a positive 64-bit integer (larger ones are refused, not looked up)."""
    return serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, **kwargs)


def owner_field():
    return serializers.RegexField(r"^(me|[1-9][0-9]{0,17})$", required=False, help_text=OWNER_HELP)


class ForceFilters(QueryFilters):
    def narrow(self, queryset, user):
        return queryset


class InspectionFilters(QueryFilters):
    force = serializers.SlugField(required=False, help_text="The force's slug.")
    programme = serializers.ChoiceField(choices=Programme.choices, required=False)

    def narrow(self, queryset, user):
        data = self.validated_data
        if data.get("force"):
            queryset = queryset.filter(force__slug=data["force"])
        if data.get("programme"):
            queryset = queryset.filter(programme=data["programme"])
        return queryset


class CauseOfConcernFilters(QueryFilters):
    force = serializers.SlugField(required=False, help_text="The force's slug.")
    inspection = id_field()
    is_open = serializers.BooleanField(required=False, allow_null=True, default=None)

    def narrow(self, queryset, user):
        data = self.validated_data
        if data.get("force"):
            queryset = queryset.filter(force__slug=data["force"])
        if data.get("inspection"):
            queryset = queryset.filter(inspection_id=data["inspection"])
        if data.get("is_open") is not None:
            queryset = queryset.filter(closed_on__isnull=data["is_open"])
        return queryset


class ItemFilters(QueryFilters):
    """The item list's filters. Every status is listed unless `status` narrows it."""

    force = serializers.SlugField(required=False, help_text="The force's slug.")
    inspection = id_field()
    cause_of_concern = id_field()
    kind = serializers.ChoiceField(choices=ItemKind.choices, required=False)
    status = serializers.ChoiceField(choices=STATUS_FILTERS, required=False)
    rag = serializers.ChoiceField(choices=Rag.choices, required=False)
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: open and past its due date; false: anything else.",
    )
    due_before = serializers.DateField(required=False, help_text="Due on or before this day.")
    due_after = serializers.DateField(required=False, help_text="Due on or after this day.")
    owner = owner_field()
    q = serializers.CharField(
        max_length=200,
        required=False,
        help_text="Text search in the item's text, its reference and its inspection's title.",
    )

    def narrow(self, queryset, user):
        data = self.validated_data
        today = timezone.localdate()
        status = data.get("status", "")
        page_filters = {
            "q": data.get("q", ""),
            "inspection": data.get("inspection"),
            "kind": data.get("kind", ""),
            "owner": _owner_id(data.get("owner", ""), user),
            # The pages' filter lists open items only by default ("" there); the API all.
            "status": {"open": "", "closed": "all", "": "all"}.get(status, status),
        }
        queryset = selectors.filter_items(queryset, page_filters, today=today)
        if status == "closed":
            queryset = queryset.filter(status__in=[s.value for s in CLOSED_STATUSES])
        if data.get("force"):
            queryset = queryset.filter(force__slug=data["force"])
        if data.get("cause_of_concern"):
            queryset = queryset.filter(cause_of_concern_id=data["cause_of_concern"])
        conditions = rag_conditions(today=today)
        if data.get("rag"):
            queryset = queryset.filter(conditions[Rag(data["rag"])])
        if data.get("overdue") is True:
            queryset = queryset.filter(conditions[Rag.OVERDUE])
        elif data.get("overdue") is False:
            queryset = queryset.exclude(conditions[Rag.OVERDUE])
        if data.get("due_before"):
            queryset = queryset.filter(due_on__lte=data["due_before"])
        if data.get("due_after"):
            queryset = queryset.filter(due_on__gte=data["due_after"])
        return queryset


class _OfItemFilters(QueryFilters):
    force = serializers.SlugField(required=False, help_text="The force's slug.")
    item = id_field(help_text="The item's id.")

    def narrow(self, queryset, user):
        data = self.validated_data
        if data.get("force"):
            queryset = queryset.filter(item__force__slug=data["force"])
        if data.get("item"):
            queryset = queryset.filter(item_id=data["item"])
        return queryset


class ActionFilters(_OfItemFilters):
    owner = owner_field()
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)

    def narrow(self, queryset, user):
        queryset = super().narrow(queryset, user)
        data = self.validated_data
        if data.get("owner"):
            queryset = queryset.filter(owner_id=_owner_id(data["owner"], user))
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        return queryset


class ProgressUpdateFilters(_OfItemFilters):
    pass


class EvidenceFilters(_OfItemFilters):
    pass


class TimelineFilters(QueryFilters):
    force = serializers.SlugField(required=False, help_text="The force's slug.")
    item = id_field(help_text="The item's id.")
    cause_of_concern = id_field()
    kind = serializers.ChoiceField(choices=TimelineKind.choices, required=False)
    since = serializers.DateTimeField(required=False, help_text="Happened at or after this time.")
    until = serializers.DateTimeField(required=False, help_text="Happened before this time.")

    def narrow(self, queryset, user):
        data = self.validated_data
        if data.get("force"):
            slug = data["force"]
            queryset = queryset.filter(
                Q(item__force__slug=slug) | Q(cause_of_concern__force__slug=slug)
            )
        if data.get("item"):
            queryset = queryset.filter(item_id=data["item"])
        if data.get("cause_of_concern"):
            queryset = queryset.filter(cause_of_concern_id=data["cause_of_concern"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("since"):
            queryset = queryset.filter(occurred_at__gte=data["since"])
        if data.get("until"):
            queryset = queryset.filter(occurred_at__lt=data["until"])
        return queryset


class StableOrderingFilter(filters.OrderingFilter):
    """`ordering=field` or `-field`, comma-separated; empty values (no due date) come last
    either way, on every database; the id breaks ties, so pages never repeat or skip a row."""

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            terms = [
                F(name[1:]).desc(nulls_last=True)
                if name.startswith("-")
                else F(name).asc(nulls_last=True)
                for name in ordering
            ]
            queryset = queryset.order_by(*terms, "pk")
        return queryset

    def get_schema_operation_parameters(self, view):
        fields = [field for field in view.ordering_fields]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort by a field (`-field` for descending): "
                + ", ".join(fields)
                + ". Without it, the list's own order.",
                "schema": {"type": "string", "enum": [*fields, *(f"-{f}" for f in fields)]},
            }
        ]

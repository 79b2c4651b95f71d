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
from recommendations.vocabulary import CLOSED_STATUSES

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
    """A list's query-string filters: `apply` validates them (400) and narrows the list.

    `lookups` maps a filter to the field it matches exactly; `narrow` adds what is not a plain
    match.
    """

    lookups: dict[str, str] = {}

    def narrow(self, queryset: QuerySet, user) -> QuerySet:
        return queryset

    def _matched(self, queryset: QuerySet) -> QuerySet:
        data = self.validated_data
        matches = {lookup: data[name] for name, lookup in self.lookups.items() if data.get(name)}
        return queryset.filter(**matches)

    @classmethod
    def apply(cls, request, queryset: QuerySet) -> QuerySet:
        checked = cls(data=request.query_params)
        checked.is_valid(raise_exception=True)
        return checked.narrow(checked._matched(queryset), request.user)


def id_field(**kwargs):
    """An object's id: a positive 64-bit integer (larger ones are refused, not looked up)."""
    return serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False, **kwargs)


def owner_field():
    return serializers.RegexField(r"^(me|[1-9][0-9]{0,17})$", required=False, help_text=OWNER_HELP)


class ForceFilters(QueryFilters):
    pass


class InspectionFilters(QueryFilters):
    force = serializers.SlugField(required=False, help_text="The force's slug.")
    programme = serializers.ChoiceField(choices=Programme.choices, required=False)

    lookups = {"force": "force__slug", "programme": "programme"}


class CauseOfConcernFilters(QueryFilters):
    force = serializers.SlugField(required=False, help_text="The force's slug.")
    inspection = id_field()
    is_open = serializers.BooleanField(required=False, allow_null=True, default=None)

    lookups = {"force": "force__slug", "inspection": "inspection_id"}

    def narrow(self, queryset, user):
        data = self.validated_data
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

    lookups = {"force": "force__slug", "cause_of_concern": "cause_of_concern_id"}

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

    lookups = {"force": "item__force__slug", "item": "item_id"}


class ActionFilters(_OfItemFilters):
    owner = owner_field()
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)

    lookups = {**_OfItemFilters.lookups, "status": "status"}

    def narrow(self, queryset, user):
        if self.validated_data.get("owner"):
            queryset = queryset.filter(owner_id=_owner_id(self.validated_data["owner"], user))
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

    lookups = {
        "item": "item_id",
        "cause_of_concern": "cause_of_concern_id",
        "kind": "kind",
        "since": "occurred_at__gte",
        "until": "occurred_at__lt",
    }

    def narrow(self, queryset, user):
        # An entry belongs to a force through its item or through its cause of concern.
        slug = self.validated_data.get("force")
        if slug:
            queryset = queryset.filter(
                Q(item__force__slug=slug) | Q(cause_of_concern__force__slug=slug)
            )
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

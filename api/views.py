"""The API's endpoints: thin, scoped exactly as the pages are, writing through the pages'
services.

Every queryset starts from what the user may see (`recommendations.rules.scope_to_user`, or
the selectors built on it), so another force's object is a 404, never a hint it exists; one
object is also checked with the rules' view permission, and every write with the
permission the page checks (403) before its service is called.
"""

from __future__ import annotations

from typing import cast

import rules
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from api import filters, serializers
from api.permissions import RulesObjectPermission, TokenScopePermission
from api.renderers import CSVRenderer
from recommendations import selectors, services, workflow
from recommendations.models import (
    Action,
    CauseOfConcern,
    Evidence,
    ProgressUpdate,
    TimelineEntry,
)
from recommendations.rules import scope_to_user


def _list_schema(filters_class, description: str):
    """The list's filters, and its description in the schema."""
    parameters = [filters_class] if filters_class().fields else []
    document = extend_schema_view(
        list=extend_schema(parameters=parameters, description=description)
    )

    def decorate(viewset):
        viewset.filters_class = filters_class
        return document(viewset)

    return decorate


class ScopedReadViewSet(viewsets.ReadOnlyModelViewSet):
    """A list (filtered, ordered, paginated) and its objects, all within the user's scope."""

    permission_classes = [IsAuthenticated, TokenScopePermission, RulesObjectPermission]
    renderer_classes = [renderers.JSONRenderer, renderers.BrowsableAPIRenderer, CSVRenderer]
    filter_backends = [filters.StableOrderingFilter]
    lookup_value_converter = "int"
    filters_class: type[filters.QueryFilters]  # set by `_list_schema`
    # The rules' permission to read one object (None: its scope is the pages' only check).
    view_perm: str | None = "recommendations.view_item"

    @property
    def signed_in_user(self) -> User:
        """The user asking (IsAuthenticated lets no one else in)."""
        return cast(User, self.request.user)

    def scoped(self):
        raise NotImplementedError

    def view_object(self, obj):
        return obj

    def get_queryset(self):
        queryset = self.scoped()
        if self.action == "list":
            queryset = self.filters_class.apply(self.request, queryset)
        return queryset


@_list_schema(
    filters.ForceFilters,
    "The forces the user may see, with their open, overdue "
    "and awaiting-review counts and current monitoring stage.",
)
class ForceViewSet(ScopedReadViewSet):
    serializer_class = serializers.ForceSerializer
    lookup_field = "slug"
    lookup_value_converter = "slug"
    view_perm = "recommendations.view_force"
    ordering_fields = ["name", "open_count", "overdue_count"]

    def scoped(self):
        today = timezone.localdate()
        return selectors.force_overview(self.signed_in_user, today=today).order_by("name", "pk")


@_list_schema(
    filters.InspectionFilters,
    "Inspections of the user's forces (and national "
    "ones holding items for them), newest first, with their graded judgments.",
)
class InspectionViewSet(ScopedReadViewSet):
    serializer_class = serializers.InspectionSerializer
    view_perm = None  # as the inspection page: national inspections have no force
    ordering_fields = ["published_on", "title"]

    def scoped(self):
        return (
            selectors.inspections_for_user(self.signed_in_user)
            .select_related("force")
            .prefetch_related("judgments")
            .order_by("-published_on", "title", "pk")
        )


@_list_schema(filters.CauseOfConcernFilters, "Causes of concern of the user's forces.")
class CauseOfConcernViewSet(ScopedReadViewSet):
    serializer_class = serializers.CauseOfConcernSerializer
    view_perm = None  # as the inspection page, which lists them: scoped by their force
    ordering_fields = ["closed_on", "position"]

    def scoped(self):
        return (
            scope_to_user(CauseOfConcern.objects.all(), self.request.user)
            .select_related("force")
            .order_by("inspection", "position", "pk")
        )


@_list_schema(
    filters.ItemFilters,
    "Recommendations and areas for improvement the user may "
    "see, most urgent first (open by due date, then closed).",
)
class ItemViewSet(ScopedReadViewSet):
    serializer_class = serializers.ItemSerializer
    ordering_fields = [
        "due_on",
        "status",
        "display_reference",
        "status_changed_at",
        "created_at",
        "updated_at",
    ]

    def scoped(self):
        return selectors.items_for_user(self.signed_in_user)

    @extend_schema(
        request=serializers.ProgressUpdateCreateSerializer,
        responses={201: serializers.ProgressUpdateSerializer},
        description="Add a progress update, as the item page does (the force lead or an "
        "action owner of the item's force; the item must be open).",
    )
    @action(detail=True, methods=["post"], url_path="progress-updates")
    def progress_updates(self, request, pk=None):
        item = self.get_object()
        if not rules.has_perm("recommendations.work_on_item", request.user, item):
            raise PermissionDenied(
                f"Only the improvement lead or action owners of {item.force} can update this item."
            )
        given = serializers.ProgressUpdateCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        update = services.progress_update_create(
            item=item, user=request.user, text=given.validated_data["text"]
        )
        body = serializers.ProgressUpdateSerializer(update, context={"request": request})
        return Response(body.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses=serializers.ItemTransitionsSerializer,
        description="What the user may do with the item now: submit it for review (the force "
        "lead) or decide on it (an inspector), and the item's current version.",
    )
    @extend_schema(
        methods=["POST"],
        request=serializers.TransitionSerializer,
        responses={200: serializers.ItemSerializer},
        description="Submit the item for review or decide on it, as the item page does: the "
        "same permission, comment rule, timeline entry and e-mails.",
    )
    @action(detail=True, methods=["get", "post"])
    def transitions(self, request, pk=None):
        item = self.get_object()
        if request.method == "GET":
            available = [
                info
                for info in workflow.available_transitions(item, request.user)
                if info.name in serializers.API_TRANSITIONS
            ]
            body = {"version": services.item_version(item), "available": available}
            return Response(serializers.ItemTransitionsSerializer(body).data)
        given = serializers.TransitionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        if not workflow.has_role_for(item, request.user, data["transition"]):
            raise PermissionDenied(workflow.refusal_reason(item, request.user, data["transition"]))
        superseded_by = None
        if data["superseded_by"] is not None:
            superseded_by = self.scoped().filter(pk=data["superseded_by"]).first()
            if superseded_by is None:
                raise _invalid("superseded_by", "No such item.")
        services.item_transition(
            item=item,
            user=request.user,
            transition=data["transition"],
            comment=data["comment"],
            seen_version=data["seen_version"],
            superseded_by=superseded_by,
        )
        changed = self.scoped().get(pk=item.pk)
        return Response(self.get_serializer(changed).data)


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any address under /api/ (ending in a slash) that is not an endpoint, whatever the
    method; without the slash, Django first redirects to the address with one."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound("There is no such address in the API: see /api/docs/.")


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


class _OfItemViewSet(ScopedReadViewSet):
    """Objects that belong to an item: scoped and checked through the item's force."""

    def view_object(self, obj):
        return obj.item


@_list_schema(filters.ActionFilters, "The forces' actions under the items the user may see.")
class ActionViewSet(_OfItemViewSet):
    serializer_class = serializers.ActionSerializer
    ordering_fields = ["target_on", "status", "updated_at"]

    def scoped(self):
        return scope_to_user(
            Action.objects.select_related("owner", "item"),
            self.request.user,
            force_field="item__force",
        ).order_by("item", "target_on", "pk")

    @extend_schema(
        request=serializers.ActionUpdateSerializer,
        responses={200: serializers.ActionSerializer},
        description="Change an action, as the item page does (the force lead, or the action's "
        "own owner; the item must be open). Fields left out keep their value.",
    )
    def partial_update(self, request, pk=None):
        action_ = self.get_object()
        if not rules.has_perm("recommendations.edit_action", request.user, action_):
            raise PermissionDenied(
                "Only the force improvement lead or the action's owner can change it."
            )
        given = serializers.ActionUpdateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        owner = action_.owner
        if "owner" in data:
            owner = None
            if data["owner"] is not None:
                owner = User.objects.filter(
                    pk=data["owner"], force_id=action_.item.force_id
                ).first()
                if owner is None:
                    raise _invalid("owner", "Choose a member of the item's force.")
        services.action_update(
            action=action_,
            user=request.user,
            description=data.get("description", action_.description),
            owner=owner,
            target_on=data.get("target_on", action_.target_on),
            status=data.get("status", action_.status),
        )
        return Response(self.get_serializer(self.scoped().get(pk=action_.pk)).data)


@_list_schema(filters.ProgressUpdateFilters, "Progress updates, newest first.")
class ProgressUpdateViewSet(_OfItemViewSet):
    serializer_class = serializers.ProgressUpdateSerializer
    ordering_fields = ["created_at"]

    def scoped(self):
        return scope_to_user(
            ProgressUpdate.objects.select_related("author", "item"),
            self.request.user,
            force_field="item__force",
        ).order_by("-created_at", "-pk")


@_list_schema(
    filters.EvidenceFilters,
    "Evidence metadata, newest first; a file's bytes only "
    "through its download_url on the item page.",
)
class EvidenceViewSet(_OfItemViewSet):
    serializer_class = serializers.EvidenceSerializer
    ordering_fields = ["uploaded_at", "size"]

    def scoped(self):
        return scope_to_user(
            Evidence.objects.select_related("uploaded_by", "item"),
            self.request.user,
            force_field="item__force",
        ).order_by("-uploaded_at", "-pk")


@_list_schema(filters.TimelineFilters, "The history of items and causes of concern, newest first.")
class TimelineViewSet(ScopedReadViewSet):
    serializer_class = serializers.TimelineEntrySerializer
    ordering_fields = ["occurred_at", "recorded_at"]

    def scoped(self):
        user = self.request.user
        entries = TimelineEntry.objects.all()
        return (
            (
                scope_to_user(entries, user, force_field="item__force")
                | scope_to_user(entries, user, force_field="cause_of_concern__force")
            )
            .select_related("actor", "item")
            .order_by("-occurred_at", "-pk")
        )

    def view_object(self, obj):
        # An item's history is the item's; a cause of concern's is scoped by its force.
        return obj.item if obj.item_id else None

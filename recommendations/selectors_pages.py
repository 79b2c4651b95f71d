"""One selector a page: what the dashboard, the inspection page and the item page show, and
what the user may do there, in a dataclass. The views render it; they make no query of their
own (a list's filtered page is `views.items.filtered_items`, shared by every list)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

import rules
from django.db import connections
from django.db.models import Count, F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from accounts.models import User
from accounts.selectors import force_members
from recommendations import workflow
from recommendations.models import (
    Action,
    CauseOfConcern,
    ExtensionRequest,
    Force,
    GradedJudgment,
    Inspection,
    Item,
    ItemKind,
    MonitoringStageChange,
    TimelineEntry,
)
from recommendations.rules import scope_to_user
from recommendations.selectors import (
    current_stage,
    dashboard_figures,
    in_first_of_each,
    inspections_for_user,
    item_for_user,
    items_for_user,
    latest_judgments,
    latest_send_back,
    open_and_overdue_series,
    pending_extension,
)

# How many items each section of the inspection page lists, and the page as a whole (shared
# out among its sections, at least SECTION_MINIMUM each); the rest are in the item list, so the
# page stays small (under 200 KB) and quick whatever an inspection holds.
SECTION_LIMIT = 20
PAGE_ROWS = 100
SECTION_MINIMUM = 5


def _may(user: User, perm: str, obj=None) -> bool:
    return rules.has_perm(f"recommendations.{perm}", user, obj)


# --- The force dashboard -----------------------------------------------------------------------


@dataclass
class ForceDashboard:
    """The dashboard's figures for a force: headline counts, the RAG chart's rows, the
    12-month series, the monitoring stage and the latest grades."""

    counts: dict[str, int]
    rag_rows: list[dict]
    series: list[dict]
    stage: MonitoringStageChange | None
    judged_inspection: Inspection | None
    judgments: list[GradedJudgment]
    may_record_stage: bool


def force_dashboard(*, user: User, force: Force, today: date) -> ForceDashboard:
    """What the force's dashboard shows around its list, counted over the items the user may
    see (the force's own; the caller has checked the user may see the force)."""
    counts, rag_rows = dashboard_figures(items_for_user(user).filter(force=force), today=today)
    judged_inspection, judgments = latest_judgments(force)
    return ForceDashboard(
        counts=counts,
        rag_rows=rag_rows,
        series=open_and_overdue_series(force, today=today, now=counts),
        stage=current_stage(force, on=today),
        judged_inspection=judged_inspection,
        judgments=judgments,
        may_record_stage=_may(user, "record_monitoring_stage", force),
    )


# --- The inspection page --------------------------------------------------------------------


@dataclass
class Section:
    """Up to SECTION_LIMIT items of one part of the inspection, and how many there are."""

    items: list[Item]
    total: int
    list_url: str

    @property
    def more(self) -> int:
        """How many items the page leaves to the item list."""
        return self.total - len(self.items)


@dataclass
class CauseSection:
    cause: CauseOfConcern
    recommendations: Section
    history: list[TimelineEntry]
    may_close: bool
    may_reopen: bool


@dataclass
class InspectionPage:
    inspection: Inspection
    judgments: list[GradedJudgment]
    causes: list[CauseSection]
    direct_recommendations: Section
    areas: Section
    may_publish: bool
    # A national inspection lists each force's items, numbered alike.
    show_force: bool


def inspection_for_user(user: User, pk: int) -> Inspection:
    """The inspection, or Inspection.DoesNotExist when the user may not see it."""
    return inspections_for_user(user).select_related("force", "register_published_by").get(pk=pk)


def inspection_page(
    *, user: User, inspection: Inspection, limit: int | None = None
) -> InspectionPage:
    """The inspection's grades, causes of concern with their recommendations, the
    recommendations under no cause, and the areas for improvement: each section in the
    report's order, capped (at `limit`, or as PAGE_ROWS shares out) with a link to all of
    them in the item list.

    A fixed number of queries whatever the items: the counts in one, the first items of
    every section in two (their ids, `_first_ids_of_sections`, then those rows).
    """
    items = items_for_user(user).filter(inspection=inspection)
    causes = list(
        scope_to_user(inspection.causes_of_concern.all(), user)
        .select_related("carries_forward")
        .prefetch_related(_cause_timeline())
    )
    sections = len(causes) + 2  # and the recommendations under no cause, and the areas
    limit = limit or min(SECTION_LIMIT, max(SECTION_MINIMUM, PAGE_ROWS // sections))
    # A section is (kind, cause); a recommendation whose cause the user cannot see is listed
    # with those under no cause.
    cause_ids = {cause.pk for cause in causes}

    def section_of(kind: str, cause_id: int | None) -> int | str:
        if kind == ItemKind.AREA_FOR_IMPROVEMENT:
            return "areas"
        return cause_id if cause_id in cause_ids else "direct"

    totals: dict[int | str, int] = {}
    partitions = list(
        items.order_by().values_list("kind", "cause_of_concern_id").annotate(count=Count("pk"))
    )
    for kind, cause_id, count in partitions:
        key = section_of(kind, cause_id)
        totals[key] = totals.get(key, 0) + count
    listed: dict[int | str, list[Item]] = {}
    if partitions:
        first_ids = _first_ids_of_sections(items, [(k, c) for k, c, _ in partitions], limit)
        # A row names its inspection and force only (item_rows), as in the lists.
        rows = (
            items.filter(pk__in=first_ids)
            .select_related(None)
            .select_related("inspection", "force")
            .order_by("position", "pk")
        )
        for item in rows:
            listed.setdefault(section_of(item.kind, item.cause_of_concern_id), []).append(item)

    def section(key: int | str, **filters) -> Section:
        query = urlencode({"inspection": inspection.pk, "status": "all", **filters})
        return Section(
            items=listed.get(key, [])[:limit],
            total=totals.get(key, 0),
            list_url=f"{reverse('recommendations:item-list')}?{query}",
        )

    return InspectionPage(
        inspection=inspection,
        judgments=list(inspection.judgments.all()),
        causes=[
            CauseSection(
                cause=cause,
                recommendations=section(cause.pk, cause=cause.pk),
                # `history` is prefetched by _cause_timeline (to_attr), unknown to the model's type.
                history=cause.history,  # type: ignore[attr-defined]
                may_close=cause.is_open and _may(user, "close_cause_of_concern", cause),
                may_reopen=not cause.is_open and _may(user, "reopen_cause_of_concern", cause),
            )
            for cause in causes
        ],
        direct_recommendations=section("direct", kind=ItemKind.RECOMMENDATION, cause="none"),
        areas=section("areas", kind=ItemKind.AREA_FOR_IMPROVEMENT),
        may_publish=_may(user, "publish_inspection", inspection),
        show_force=inspection.force_id is None,
    )


def _first_ids_of_sections(
    items: QuerySet[Item], partitions: list[tuple[str, int | None]], limit: int
) -> list[int]:
    """The ids of the first `limit` items (in the report's order) of each (kind, cause).

    Both ways read only the (inspection, kind, cause, position) index. SQLite looks each
    section up in it (one statement, a lookup per section: 11.6 ms to 1 ms for 22,671 items);
    PostgreSQL would instead test every item of the inspection against each section's list
    (14 ms), so there they are numbered with a window function over the index (9 ms).
    """
    if connections[items.db].vendor == "sqlite":
        groups = ({"kind": kind, "cause_of_concern_id": cause} for kind, cause in partitions)
        firsts = in_first_of_each(items.order_by("position", "pk"), groups, limit)
        return list(items.filter(firsts).order_by().values_list("pk", flat=True))
    numbered = (
        items.order_by()
        .annotate(
            row_number=Window(
                RowNumber(),
                partition_by=[F("kind"), F("cause_of_concern_id")],
                order_by=[F("position").asc(), F("pk").asc()],
            )
        )
        .filter(row_number__lte=limit)
        .values_list("pk", flat=True)
    )
    return list(numbered)


def inspection_items(user: User, inspection: Inspection) -> QuerySet[Item]:
    """Every item of the inspection the user may see, for the CSV download."""
    return items_for_user(user).filter(inspection=inspection)


def _cause_timeline() -> Prefetch:
    """Each cause of concern's history (closed, reopened), newest first, in one query."""
    entries = TimelineEntry.objects.select_related("actor").order_by("-occurred_at", "-pk")
    return Prefetch("timeline", queryset=entries, to_attr="history")


# --- The item page --------------------------------------------------------------------------


@dataclass
class ActionRow:
    action: Action
    may_edit: bool
    form: object = None  # the view's form for changing it, when the user may


@dataclass
class ItemPage:
    """What the item page shows and which of its forms this user may use."""

    item: Item
    actions: list[ActionRow]
    updates: list
    evidence: list
    timeline: list[TimelineEntry]
    pending_extension: ExtensionRequest | None
    sent_back: TimelineEntry | None
    transitions: list = field(default_factory=list)
    may_work: bool = False
    may_assign: bool = False
    may_change_due: bool = False
    may_request_extension: bool = False
    may_decide_extension: bool = False
    # Inspectors choose which timeline comments the public register shows.
    may_publish_comments: bool = False
    # Whom the owner questions offer (the forms' choices), read once for all of them.
    members: list[User] = field(default_factory=list)


def item_page(*, user: User, pk: int) -> ItemPage:
    """Everything the item page shows, and what the user may do: only on an open item, except
    choosing comments for the public register. Item.DoesNotExist when the item does not exist
    or the user may not see it."""
    item = item_for_user(user, pk)
    is_open = item.is_open
    pending = pending_extension(item)
    has_due = item.due_on is not None
    may_work = is_open and _may(user, "work_on_item", item)
    may_assign = is_open and _may(user, "assign_item", item)
    return ItemPage(
        item=item,
        actions=[
            ActionRow(action, is_open and _may(user, "edit_action", action))
            for action in item.actions.select_related("owner")
        ],
        updates=list(item.progress_updates.select_related("author")),
        evidence=list(item.evidence.select_related("uploaded_by")),
        timeline=list(item.timeline.select_related("actor").order_by("-occurred_at", "-pk")),
        pending_extension=pending,
        sent_back=latest_send_back(item) if item.is_returned else None,
        transitions=workflow.available_transitions(item, user),
        may_work=may_work,
        may_assign=may_assign,
        may_change_due=is_open and has_due and _may(user, "change_due_date", item),
        may_request_extension=is_open
        and has_due
        and pending is None
        and _may(user, "request_extension", item),
        may_decide_extension=is_open
        and pending is not None
        and _may(user, "decide_extension", item),
        may_publish_comments=_may(user, "publish_comment", item),
        members=list(force_members(item.force_id)) if may_work or may_assign else [],
    )

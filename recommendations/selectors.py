"""Reads that filter: always scoped to what the asking user may see."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from recommendations.models import (
    Action,
    CauseOfConcern,
    ExtensionRequest,
    ExtensionState,
    Force,
    ForceSnapshot,
    GradedJudgment,
    HasStatus,
    Inspection,
    IsOpen,
    Item,
    MonitoringStageChange,
    Rag,
    Status,
    TimelineEntry,
    rag_annotation,
    rag_conditions,
)
from recommendations.rules import scope_to_user, visible_force_ids

if TYPE_CHECKING:
    from accounts.models import User

# Whose turn it is, in SQL: a new item is the force's to plan, a submission the inspector's,
# an item sent back the force's until it acts.
TURN_QUERIES = {
    # The statuses as SQL literals (HasStatus), so SQLite can use the review queue's partial
    # indexes too.
    "new": Q(HasStatus(Status.AWAITING_REVIEW), submitted_at__isnull=True),
    "submitted": Q(HasStatus(Status.AWAITING_REVIEW), submitted_at__isnull=False),
    "returned": Q(HasStatus(Status.BEING_PROGRESSED), returned_at__isnull=False),
}


# The list order among items of one status group: by due date (no deadline last), then in the
# report's order. Matches the open-items indexes, so a filtered first page is an index scan.
# The id last, so that every item has one place and no page repeats or skips one (a national
# inspection numbers each force's items alike).
BY_DUE = (F("due_on").asc(nulls_last=True), "inspection_id", "position", "pk")
# The same order for a text search, written as an expression no index holds: PostgreSQL then
# finds the matches from the trigram index and sorts them, rather than walking the whole
# list's index in order and testing each item's text (2.9 s against 0.1 s for five forces at
# a million items). No deadline sorts last as above.
BY_DUE_FOR_SEARCH = (
    Coalesce("due_on", Value(date(9999, 12, 31))).asc(),
    "inspection_id",
    "position",
    "pk",
)
# Closed items after open ones; only needed when a list mixes both ("all").
_CLOSED_LAST = Case(
    When(IsOpen(), then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
).asc()


def items_for_user(user: User) -> QuerySet[Item]:
    """Every item the user may see, with what list pages show, most urgent first.

    Open items come first by due date (no deadline last), then closed items.
    """
    return (
        scope_to_user(Item.objects.all(), user)
        .select_related("inspection", "force", "cause_of_concern", "owner")
        .order_by(_CLOSED_LAST, *BY_DUE)
    )


def item_for_user(user: User, pk: int) -> Item:
    """One item, or Item.DoesNotExist when it does not exist or the user may not see it."""
    return items_for_user(user).get(pk=pk)


def item_of_force_by_reference(force_id: int, reference: str) -> Item | None:
    """The force's item named by `reference`, if exactly one is: the inspectorate's
    reference ("9207/2") or the display reference as pages name it ("PEEL 2021/22 R3",
    with or without "Recommendation" before it)."""
    text = reference.strip()
    if not text:
        return None
    bare = _KIND_WORDS.sub("", text) or text
    found = list(
        Item.objects.filter(force_id=force_id)
        .filter(Q(reference=text) | Q(display_reference__iexact=bare))
        .order_by("pk")[:2]
    )
    return found[0] if len(found) == 1 else None


def pending_extension(item: Item) -> ExtensionRequest | None:
    """The extension request waiting for an inspector's decision, if any."""
    return (
        item.extension_requests.filter(state=ExtensionState.PENDING)
        .select_related("requested_by")
        .first()
    )


def latest_send_back(item: Item) -> TimelineEntry | None:
    """The inspector's latest "send back", which says what is still needed."""
    return item.timeline.filter(transition="send_back").select_related("actor").first()


def inspections_for_user(user: User) -> QuerySet[Inspection]:
    """Inspections of the user's forces, and national ones that hold items for them."""
    force_ids = visible_force_ids(user)
    if force_ids is None:
        return Inspection.objects.all()
    national = Q(force__isnull=True) & Exists(
        Item.objects.filter(inspection_id=OuterRef("pk"), force_id__in=force_ids)
    )
    return Inspection.objects.filter(Q(force_id__in=force_ids) | national)


def filter_choices(user: User, *, force: Force | None = None) -> tuple[QuerySet, QuerySet]:
    """What a list's filters offer: the inspections (newest first) and the active people
    (by name) the user may see, of one force when the list is a force's."""
    inspections = inspections_for_user(user)
    owners = scope_to_user(User.objects.filter(is_active=True), user)
    if force is not None:
        inspections = inspections.filter(force=force)
        owners = owners.filter(force=force)
    return inspections.order_by("-published_on"), owners.order_by("first_name", "username")


def forces_for_user(user: User) -> QuerySet[Force]:
    return scope_to_user(Force.objects.all(), user, force_field="pk")


def current_stage(force: Force, *, on: date | None = None) -> MonitoringStageChange | None:
    """The monitoring stage in force on a date (today by default)."""
    on = on or timezone.localdate()
    return force.stage_history.filter(started_on__lte=on).order_by("-started_on").first()


# --- Filters and counts for lists and dashboards --------------------------------------------

_KIND_WORDS = re.compile(r"^(?:recommendation|area for improvement)\s+", re.IGNORECASE)


# At most this many inspections named by a search are listed in its query; past it, their
# titles are matched in a subquery instead.
_TITLED_LIMIT = 500


def _in_inspections_titled(text: str) -> Q:
    """Items of the inspections whose title contains the text. Their ids are read first (a
    few hundred inspections, against a million items) so that the search's three conditions
    are each an index on PostgreSQL (migration 0013's trigram index, the inspection's), which a
    join to the inspection's title would prevent."""
    titled = list(
        Inspection.objects.filter(title__icontains=text).values_list("pk", flat=True)[
            : _TITLED_LIMIT + 1
        ]
    )
    if len(titled) > _TITLED_LIMIT:
        return Q(inspection__title__icontains=text)
    return Q(inspection_id__in=titled)


def in_first_of_each(items: QuerySet[Item], groups: Iterable[dict[str, Any]], limit: int) -> Q:
    """Items among the first `limit`, in `items`' order, of each group (a dict of filters).

    One statement that SQLite answers with a lookup a group in the index that holds the group
    in that order, where one sorted read of every group's items would sort them all.
    """
    return reduce(or_, (Q(pk__in=items.filter(**group).values("pk")[:limit]) for group in groups))


def filter_items(queryset: QuerySet[Item], filters: dict, *, today: date) -> QuerySet[Item]:
    """Apply a list's filters (already validated by ItemFilterForm).

    With no status filter only open items are listed; "all" lists every status.
    """
    text = (filters.get("q") or "").strip()
    if text:
        # "Recommendation PEEL 2021/22 R3", as a page or an e-mail names it, finds that item.
        reference = _KIND_WORDS.sub("", text) or text
        queryset = queryset.filter(
            Q(text__icontains=text)
            | Q(display_reference__icontains=reference)
            | _in_inspections_titled(text)
        )
    if filters.get("inspection"):
        queryset = queryset.filter(inspection_id=filters["inspection"])
    cause = filters.get("cause") or ""
    if cause == "none":
        queryset = queryset.filter(cause_of_concern__isnull=True)
    elif cause:
        queryset = queryset.filter(cause_of_concern_id=int(cause))
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    status = filters.get("status") or ""
    if status == "":
        queryset = queryset.filter(IsOpen())
    elif status in TURN_QUERIES:
        queryset = queryset.filter(TURN_QUERIES[status])
    elif status != "all":
        queryset = queryset.filter(status=status)
    if filters.get("owner"):
        owner_id = filters["owner"]
        queryset = queryset.filter(
            Q(owner_id=owner_id)
            | Exists(Action.objects.filter(item_id=OuterRef("pk"), owner_id=owner_id))
        )
    due = filters.get("due") or ""
    if due == "overdue":
        queryset = queryset.filter(rag_conditions(today=today)[Rag.OVERDUE])
    elif due.isdigit():
        queryset = queryset.filter(
            IsOpen(), due_on__gte=today, due_on__lte=today + timedelta(days=int(due))
        )
    elif due == "none":
        queryset = queryset.filter(due_on__isnull=True)
    if status != "all":
        # One status group only: "closed last" sorts nothing, and leaving it out lets the
        # database walk the (force, due date) index instead of sorting every row.
        queryset = queryset.order_by(*(BY_DUE_FOR_SEARCH if text else BY_DUE))
    return queryset


def _tallies(queryset: QuerySet[Item], *, today: date, by_inspection: bool) -> list[dict]:
    """The items counted by RAG, status and whose turn (and inspection): every dashboard
    figure from one pass over the covering (force, status, due date) index."""
    groups = ["rag_value", "status", "submitted", "returned"]
    return list(
        queryset.order_by()
        .annotate(
            rag_value=rag_annotation(today=today),
            submitted=ExpressionWrapper(Q(submitted_at__isnull=False), output_field=BooleanField()),
            returned=ExpressionWrapper(Q(returned_at__isnull=False), output_field=BooleanField()),
        )
        .values(*(["inspection_id", *groups] if by_inspection else groups))
        .annotate(count=Count("*"))
    )


def _headline(tallies: list[dict]) -> dict[str, int]:
    """The dashboard's headline numbers from the tallies; the turns as TURN_QUERIES says."""
    counts = dict.fromkeys(
        [
            "overdue",
            "due_soon",
            "awaiting_review",
            "new",
            "returned",
            "being_progressed",
            "complete",
            "no_further_action",
        ],
        0,
    )
    # Keyed by the stored values, which the rows hold.
    by_status = {
        Status.BEING_PROGRESSED.value: "being_progressed",
        Status.COMPLETE.value: "complete",
        Status.NO_FURTHER_ACTION_NEEDED.value: "no_further_action",
    }
    for row in tallies:
        n, status = row["count"], row["status"]
        if row["rag_value"] == Rag.OVERDUE:
            counts["overdue"] += n
        elif row["rag_value"] == Rag.DUE_SOON:
            counts["due_soon"] += n
        if status == Status.AWAITING_REVIEW:
            counts["awaiting_review" if row["submitted"] else "new"] += n
        elif status in by_status:
            counts[by_status[status]] += n
        if status == Status.BEING_PROGRESSED and row["returned"]:
            counts["returned"] += n
    return counts


def _rag_rows(tallies: list[dict]) -> list[dict]:
    """Inspection, RAG and count, named and oldest publication first (one query for the few
    inspections: joining every item to its inspection and sorting them took 45 ms of 50 for
    a force of 23,000 items)."""
    counts: dict[tuple[int, str], int] = {}
    for row in tallies:
        key = (row["inspection_id"], row["rag_value"])
        counts[key] = counts.get(key, 0) + row["count"]
    named = Inspection.objects.filter(pk__in={key[0] for key in counts}).only(
        "title", "published_on"
    )
    inspections = {inspection.pk: inspection for inspection in named}
    rows = [
        {
            "inspection_id": inspection_id,
            "inspection__title": inspections[inspection_id].title,
            "inspection__published_on": inspections[inspection_id].published_on,
            "rag_value": rag_value,
            "count": count,
        }
        for (inspection_id, rag_value), count in counts.items()
    ]
    rows.sort(
        key=lambda row: (row["inspection__published_on"], row["inspection_id"], row["rag_value"])
    )
    return rows


def dashboard_figures(
    queryset: QuerySet[Item], *, today: date
) -> tuple[dict[str, int], list[dict]]:
    """The dashboard's headline numbers (overdue and due soon as the RAG says; new, submitted
    and returned as TURN_QUERIES says) and its RAG chart's rows (inspection, RAG category
    `rag_value` and count, oldest publication first), from one pass over the items."""
    tallies = _tallies(queryset, today=today, by_inspection=True)
    return _headline(tallies), _rag_rows(tallies)


def review_queue(user: User, *, new: bool = False) -> QuerySet[Item]:
    """Submissions awaiting an inspector's decision, oldest first; or (`new`) items published
    and not yet submitted, which are the force's turn, oldest publication first."""
    return (
        items_for_user(user)
        .filter(TURN_QUERIES["new" if new else "submitted"])
        .order_by("submitted_at", "status_changed_at", "pk")
    )


def review_queue_counts(user: User) -> dict[str, int]:
    """How many submissions and new items the review queue's two tabs hold."""
    # Items awaiting review are either submitted or new (TURN_QUERIES), so new ones are the
    # difference: two counts that indexes answer alone on both databases. SQLite counted new
    # ones from the (status, submitted) index, misled by its averages (358 ms against 8 ms
    # for five forces at a million items).
    awaiting = scope_to_user(Item.objects.filter(status=Status.AWAITING_REVIEW), user).count()
    submitted = scope_to_user(Item.objects.filter(TURN_QUERIES["submitted"]), user).count()
    return {"submitted": submitted, "new": awaiting - submitted}


def force_overview(user: User, *, today: date) -> QuerySet[Force]:
    """Each force the user may see, with its open, overdue and awaiting-review counts and its
    current monitoring stage, in one query. Each count is a subquery of one force's items
    that an index answers ((force, status), (status, force, due date), the review queue's),
    rather than a join of every item of every force."""
    latest_stage = MonitoringStageChange.objects.filter(
        force_id=OuterRef("pk"), started_on__lte=today
    ).order_by("-started_on")
    return forces_for_user(user).annotate(
        open_count=_count_of(Q(IsOpen())),
        overdue_count=_count_of(Q(IsOpen(), due_on__lt=today)),
        awaiting_review_count=_count_of(TURN_QUERIES["submitted"]),
        stage=Subquery(latest_stage.values("stage")[:1]),
        stage_since=Subquery(latest_stage.values("started_on")[:1]),
    )


def _count_of(condition: Q) -> Subquery:
    """How many of the outer force's items meet the condition, as a subquery."""
    # COUNT(*) with no GROUP BY: PostgreSQL then counts in the partial index that matches the
    # condition, without reading the table (grouping by force read every row: 228 ms against
    # 21 ms for five forces at a million items).
    counted = (
        Item.objects.filter(condition, force_id=OuterRef("pk"))
        .order_by()
        .annotate(count=Func(template="COUNT(*)", output_field=IntegerField()))
        .values("count")
    )
    return Subquery(counted, output_field=IntegerField())


def open_recommendations(cause_of_concern: CauseOfConcern) -> list[Item]:
    """The cause of concern's recommendations that are still open, in the report's order."""
    return list(cause_of_concern.recommendations.filter(IsOpen()).order_by("position", "pk"))


def latest_judgments(force: Force) -> tuple[Inspection | None, list[GradedJudgment]]:
    """The most recent inspection of the force that has graded judgments, and those grades
    (one query: the grades of that inspection, each with it)."""
    latest = (
        Inspection.objects.filter(force=force, judgments__isnull=False)
        .order_by("-published_on", "-pk")
        .values("pk")[:1]
    )
    judgments = list(
        GradedJudgment.objects.filter(inspection=Subquery(latest)).select_related("inspection")
    )
    return (judgments[0].inspection if judgments else None), judgments


def open_and_overdue_series(
    force: Force, *, today: date, now: dict[str, int], months: int = 12
) -> list[dict]:
    """Open and overdue item counts at the end of each of the last `months` months, from the
    force's daily snapshots (the latest of each month, none: zero), and today's from `now`
    (`dashboard_figures` of the force). One query of at most a year of rows."""
    ends = month_ends(today, months)
    recorded = (
        ForceSnapshot.objects.filter(
            force=force, on__gt=ends[0].replace(day=1) - timedelta(days=1), on__lte=ends[-1]
        )
        .order_by("on")
        .values_list("on", "open_count", "overdue_count")
    )
    latest = {(on.year, on.month): (open_count, overdue) for on, open_count, overdue in recorded}
    series = []
    for end in ends:
        open_count, overdue = latest.get((end.year, end.month), (0, 0))
        series.append({"on": end, "open": open_count, "overdue": overdue})
    open_now = now["new"] + now["awaiting_review"] + now["being_progressed"]
    series.append({"on": today, "open": open_now, "overdue": now["overdue"]})
    return series


def month_ends(today: date, months: int) -> list[date]:
    """The last day of each of the `months` months before today's month, oldest first."""
    points = []
    end = today.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        points.append(end)
        end = end.replace(day=1) - timedelta(days=1)
    return sorted(points)

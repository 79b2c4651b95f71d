"""The quarterly pack, computed from the timeline as at the end of the period.

A fixed number of queries whatever the number of items: the forces, their items, the
timeline entries the rebuild reads, the due date changes of the period, the actions, the
causes of concern and their closing history, monitoring stages and graded judgments.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.utils import timezone

from recommendations.models import (
    DUE_DATE_MOVES,
    Action,
    ActionStatus,
    CauseOfConcern,
    Force,
    GradedJudgment,
    Item,
    ItemKind,
    MonitoringStage,
    MonitoringStageChange,
    Rag,
    Status,
    TimelineEntry,
    TimelineKind,
)
from recommendations.rules import scope_to_user
from reports.history import ItemHistory, State, histories
from reports.pack import (
    COUNT_LABELS,
    IN_PERIOD_LABELS,
    DueDateChange,
    ForceSummary,
    ItemRow,
    Pack,
    Period,
    Progress,
    ageing_bands,
    long_date,
)

if TYPE_CHECKING:
    from accounts.models import User


def pack_forces(user: User, *, slug: str | None = None) -> list[Force]:
    """The forces a pack covers: the one named (Force.DoesNotExist unless the user may see
    it), or every force the user may see."""
    forces = scope_to_user(Force.objects.order_by("name"), user, force_field="pk")
    if slug is not None:
        return [forces.get(slug=slug)]
    return list(forces)


def pack_item_count(forces: list[Force]) -> int:
    return Item.objects.filter(force__in=forces).count()


def default_period(today: date) -> Period:
    """From the start of the current quarter (the usual last meeting) to today."""
    return Period(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today)


def previous_quarter(today: date) -> Period:
    start = default_period(today).start
    end = start - timedelta(days=1)
    return Period(date(end.year, end.month - 2, 1), end)


def scope_words(forces: list[Force]) -> str:
    names = [f.name for f in forces]
    if not names:
        return "No forces"
    if len(names) <= 3:
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{len(names)} forces"


def _month_ends(end: date, months: int = 12) -> list[date]:
    """The last day of each of the `months` months before `end`'s month, then `end`."""
    points = [end]
    last = end.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        points.append(last)
        last = last.replace(day=1) - timedelta(days=1)
    return sorted(points)


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max))


def _rag(state: State, on: date, window: int) -> Rag:
    """`Item.rag` of an item as it stood on a day."""
    if state.status == Status.COMPLETE:
        return Rag.COMPLETE
    if state.status == Status.NO_FURTHER_ACTION_NEEDED:
        return Rag.NO_FURTHER_ACTION
    if state.due_on is None:
        return Rag.NO_DEADLINE
    if state.due_on < on:
        return Rag.OVERDUE
    return Rag.DUE_SOON if (state.due_on - on).days <= window else Rag.ON_TRACK


def _row(history: ItemHistory, state: State, on: date, window: int) -> ItemRow:
    item = history.item
    rag = _rag(state, on, window)
    return ItemRow(
        pk=item.pk,
        label=item.label,
        reference=item.display_reference,
        kind=item.kind,
        text=item.text,
        force=item.force_name,
        inspection=item.inspection_title,
        inspection_id=item.inspection_id,
        status=state.status,
        status_label=Status(state.status).label,
        due_on=state.due_on,
        rag=rag,
        days_overdue=(on - state.due_on).days if rag == Rag.OVERDUE and state.due_on else 0,
        owner=item.owner,
        published_on=timezone.localtime(history.born_at).date(),
        since=timezone.localtime(state.status_since).date() if state.status_since else None,
    )


def _actions(forces: list[Force], end_at: datetime) -> dict[int, tuple[int, int]]:
    """Actions done and in all, per item, at the end of the period.

    Actions keep no dated history of their status: an action counts as done if it is done now
    and has not changed since the period ended (one changed later counts as not done)."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = Action.objects.filter(item__force__in=forces, created_at__lte=end_at).values_list(
        "item_id", "status", "updated_at"
    )
    for item_id, status, updated_at in rows.order_by().iterator(chunk_size=5000):
        counts[item_id][1] += 1
        if status == ActionStatus.DONE and updated_at <= end_at:
            counts[item_id][0] += 1
    return {item_id: (done, total) for item_id, (done, total) in counts.items()}


def _causes(forces: list[Force], period: Period) -> dict[int, Progress]:
    """Each cause of concern published by the end of the period, open or closed as it was."""
    causes = list(
        CauseOfConcern.objects.filter(force__in=forces, inspection__published_on__lte=period.end)
        .select_related("inspection", "force")
        .order_by("inspection__published_on", "inspection_id", "position", "pk")
    )
    later: dict[int, str] = {}
    for cause_id, kind in (
        TimelineEntry.objects.filter(
            cause_of_concern__in=[c.pk for c in causes],
            kind__in=[TimelineKind.CAUSE_OF_CONCERN_CLOSED, TimelineKind.CAUSE_OF_CONCERN_REOPENED],
            occurred_at__gt=period.end_at,
        )
        .order_by("occurred_at", "pk")
        .values_list("cause_of_concern_id", "kind")
    ):
        later.setdefault(cause_id, kind)  # the first change after the period ended
    rows = {}
    for cause in causes:
        first_later = later.get(cause.pk)
        if first_later == TimelineKind.CAUSE_OF_CONCERN_CLOSED:
            state = "Open"  # it was closed after the period ended
        elif first_later == TimelineKind.CAUSE_OF_CONCERN_REOPENED:
            state = "Closed"  # reopened since; its letter is in its history
        elif cause.closed_on is not None and cause.closed_on <= period.end:
            state = f"Closed {long_date(cause.closed_on)} ({cause.closing_letter_reference})"
        else:
            state = "Open"
        rows[cause.pk] = Progress(
            key=cause.pk,
            title=cause.label,
            force=cause.force.name,
            inspection=cause.inspection.title,
            inspection_id=cause.inspection_id,
            published_on=cause.inspection.published_on,
            state=state,
        )
    return rows


def _force_summaries(forces: list[Force], end: date) -> dict[int, ForceSummary]:
    """Each force's monitoring stage and latest graded judgments, as they were at the end."""
    summaries = {f.pk: ForceSummary(name=f.name, slug=f.slug) for f in forces}
    for force_id, stage, since in (
        MonitoringStageChange.objects.filter(force__in=forces, started_on__lte=end)
        .order_by("force_id", "-started_on")
        .values_list("force_id", "stage", "started_on")
    ):
        summary = summaries[force_id]
        if summary.stage_since is None:  # the latest stage begun by the end of the period
            known = stage in MonitoringStage.values
            summary.stage = MonitoringStage(stage).label if known else stage
            summary.stage_since = since
    latest: dict[int, int] = {}
    for judgment in (
        GradedJudgment.objects.filter(
            inspection__force__in=forces, inspection__published_on__lte=end
        )
        .select_related("inspection")
        .order_by("-inspection__published_on", "-inspection_id", "position", "area")
    ):
        graded_force_id = cast(int, judgment.inspection.force_id)  # one of `forces`
        if latest.setdefault(graded_force_id, judgment.inspection_id) != judgment.inspection_id:
            continue  # only the latest graded inspection of each force
        summary = summaries[graded_force_id]
        summary.judged_inspection = judgment.inspection.title
        summary.judged_on = judgment.inspection.published_on
        summary.judgments.append((judgment.area, judgment.get_grade_display()))
    return summaries


def _due_changes(forces: list[Force], period: Period, rows: dict[int, ItemRow]) -> list:
    """Every due date moved in the period, with who moved it and why."""
    entries = (
        TimelineEntry.objects.filter(
            item__force__in=forces,
            kind__in=DUE_DATE_MOVES,
            occurred_at__gte=period.start_at,
            occurred_at__lte=period.end_at,
        )
        .select_related("actor")
        .order_by("occurred_at", "pk")
    )
    return [
        DueDateChange(
            item=rows[entry.item_id],
            on=timezone.localtime(entry.occurred_at).date(),
            due_from=entry.due_from,
            due_to=entry.due_to,
            reason=entry.comment,
            by=entry.actor_name,
        )
        for entry in entries
        if entry.item_id in rows
    ]


def _tally(progress: Progress, row: ItemRow, actions: tuple[int, int]) -> None:
    if row.kind == ItemKind.RECOMMENDATION:
        progress.recommendations += 1
        progress.recommendations_complete += row.status == Status.COMPLETE
    else:
        progress.areas_for_improvement += 1
        progress.areas_complete += row.status == Status.COMPLETE
    progress.open += row.rag in OPEN_RAGS
    progress.overdue += row.rag == Rag.OVERDUE
    progress.actions_done += actions[0]
    progress.actions_total += actions[1]
    progress.rag[row.rag.value] = progress.rag.get(row.rag.value, 0) + 1


OPEN_RAGS = frozenset({Rag.OVERDUE, Rag.DUE_SOON, Rag.ON_TRACK, Rag.NO_DEADLINE})


def pack_build(*, forces: list[Force], period: Period) -> Pack:
    """The pack for these forces (already checked against the user) and this period."""
    window = settings.TRACKER_DUE_SOON_DAYS
    end, start_at, end_at = period.end, period.start_at, period.end_at
    item_histories = histories(forces)
    actions = _actions(forces, end_at)
    causes = _causes(forces, period)
    summaries = _force_summaries(forces, end)
    counts = dict.fromkeys(COUNT_LABELS, 0)
    in_period = dict.fromkeys(IN_PERIOD_LABELS, 0)
    rag_counts = dict.fromkeys(Rag, 0)
    by_inspection: dict[tuple[int, int], Progress] = {}
    rows: dict[int, ItemRow] = {}
    completed, new, overdue, awaiting = [], [], [], []
    bands = ageing_bands()
    for history in item_histories:
        state = history.state_at(end_at)
        if not state.exists:
            continue
        item = history.item
        row = rows[item.pk] = _row(history, state, end, window)
        _count(counts, state, row)
        rag_counts[row.rag] += 1
        summary = summaries[item.force_id]
        summary.open += state.is_open
        summary.overdue += row.rag == Rag.OVERDUE
        summary.awaiting_review += state.awaiting_inspector
        summary.complete += state.status == Status.COMPLETE
        if history.born_at >= start_at:
            new.append(row)
        changed_in_period = state.status_since is not None and state.status_since >= start_at
        if changed_in_period and state.status == Status.COMPLETE:
            completed.append(row)
        if changed_in_period and state.status == Status.NO_FURTHER_ACTION_NEEDED:
            in_period["stopped"] += 1
        if row.rag == Rag.OVERDUE:
            overdue.append(row)
            next(band for band in bands if band.holds(row.days_overdue)).count += 1
        if state.awaiting_inspector:
            awaiting.append(row)
        key = (item.force_id, item.inspection_id)
        if key not in by_inspection:
            by_inspection[key] = Progress(
                key=item.inspection_id,
                title=item.inspection_title,
                force=item.force_name,
                inspection=item.inspection_title,
                inspection_id=item.inspection_id,
                published_on=item.inspection_published_on,
                national=item.inspection_force_id is None,
            )
        done_and_total = actions.get(item.pk, (0, 0))
        _tally(by_inspection[key], row, done_and_total)
        if item.cause_of_concern_id in causes:
            _tally(causes[item.cause_of_concern_id], row, done_and_total)
    due_changes = _due_changes(forces, period, rows)
    in_period.update(
        new=len(new),
        completed=len(completed),
        due_changes=len(due_changes),
        extensions=sum(change.extended for change in due_changes),
    )
    new.sort(key=lambda r: (r.published_on, r.inspection_id, r.pk))
    completed.sort(key=lambda r: (r.since, r.pk))
    overdue.sort(key=lambda r: (-r.days_overdue, r.pk))
    awaiting.sort(key=lambda r: (r.since or end, r.pk))
    return Pack(
        title=f"{scope_words(forces)}: HMICFRS recommendations and areas for improvement",
        scope=scope_words(forces),
        forces=list(summaries.values()),
        period=period,
        generated_at=timezone.now(),
        due_soon_days=window,
        counts=counts,
        in_period=in_period,
        rag=list(rag_counts.items()),
        by_inspection=sorted(by_inspection.values(), key=lambda p: p.force),  # stable: by date
        by_cause=sorted(causes.values(), key=lambda p: p.force),
        completed=completed,
        new=new,
        overdue=overdue,
        ageing=bands,
        due_changes=due_changes,
        awaiting_inspector=awaiting,
        trend=_trend(item_histories, end),
    )


def _count(counts: dict[str, int], state: State, row: ItemRow) -> None:
    """The dashboard's headline numbers (`recommendations.selectors.dashboard_figures`)."""
    counts["total"] += 1
    counts["open"] += state.is_open
    counts["overdue"] += row.rag == Rag.OVERDUE
    counts["due_soon"] += row.rag == Rag.DUE_SOON
    counts["returned"] += state.returned
    counts["new"] += state.is_new
    counts["awaiting_review"] += state.awaiting_inspector
    counts["being_progressed"] += state.status == Status.BEING_PROGRESSED
    counts["complete"] += state.status == Status.COMPLETE
    counts["no_further_action"] += state.status == Status.NO_FURTHER_ACTION_NEEDED


def _trend(histories: list[ItemHistory], end: date) -> list[dict]:
    """Open and overdue items at the end of each of the twelve months before the period's
    end, and at its end (the dashboard's second chart, as it would have been drawn then)."""
    series = []
    for on in _month_ends(end):
        moment = _end_of(on)
        open_count = overdue_count = 0
        for history in histories:
            is_open, due_on = history.open_at(moment)
            if is_open:
                open_count += 1
                overdue_count += due_on is not None and due_on < on
        series.append({"on": on, "open": open_count, "overdue": overdue_count})
    return series

"""The pack laid out once for every file format: sections of paragraphs, tables and charts.

The Word, PDF and Excel renderers walk the same sections, so a figure is the same in all of
them. A column shows in the documents (Word, PDF), in the workbook (Excel), or in both: the
documents show "5 of 8" where the workbook has two numbers a spreadsheet can add up.
"""

from __future__ import annotations

from reports import charts
from reports.pack import Pack, Progress, long_date
from reports.renderers.cells import DOCS, SHEET, Chart, Column, Section, Table


def _of(done: int, total: int) -> str:
    return f"{done} of {total}"


def _force_column(pack: Pack) -> list[Column]:
    return [Column("force", "Force", 1.2)] if pack.several_forces else []


def _item_columns(pack: Pack) -> list[Column]:
    return [
        *_force_column(pack),
        Column("reference", "Reference", 1.1),
        Column("kind", "Kind", 1.1, where=SHEET),
        Column("text", "Item", 3.2, kind="long"),
        Column("inspection", "Inspection", 1.8),
    ]


def _item_values(row) -> dict:
    return {
        "force": row.force,
        "reference": row.reference,
        "kind": "Recommendation" if row.kind == "recommendation" else "Area for improvement",
        "text": row.text,
        "inspection": row.inspection,
    }


def _progress_columns(pack: Pack, *, causes: bool) -> list[Column]:
    first = (
        [Column("title", "Cause of concern", 1.5), Column("inspection", "Inspection", 2.0)]
        if causes
        else [Column("inspection", "Inspection", 2.6)]
    )
    return [
        *_force_column(pack),
        *first,
        Column("state", "State", 1.5) if causes else Column("published", "Published", 1.2, "date"),
        Column("recs_docs", "Recommendations complete", 1.8, where=DOCS),
        Column("recommendations", "Recommendations", 1, "number", SHEET),
        Column("recommendations_complete", "Recommendations complete", 1, "number", SHEET),
        Column("percent", "% complete", 1.2, "percent"),
        *(
            []
            if causes
            else [
                Column("areas_docs", "Areas for improvement complete", 1.6, where=DOCS),
                Column("areas", "Areas for improvement", 1, "number", SHEET),
                Column("areas_complete", "Areas for improvement complete", 1, "number", SHEET),
            ]
        ),
        Column("open", "Open", 0.9, "number"),
        Column("overdue", "Overdue", 1.1, "number"),
        Column("actions_docs", "Actions done", 1.2, where=DOCS),
        Column("actions_done", "Actions done", 1, "number", SHEET),
        Column("actions_total", "Actions", 1, "number", SHEET),
    ]


def _progress_values(p: Progress) -> dict:
    return {
        "force": p.force,
        "title": p.title,
        "inspection": p.inspection,
        "published": p.published_on,
        "state": p.state,
        "recs_docs": _of(p.recommendations_complete, p.recommendations),
        "recommendations": p.recommendations,
        "recommendations_complete": p.recommendations_complete,
        "percent": p.percent_complete,
        "areas_docs": _of(p.areas_complete, p.areas_for_improvement),
        "areas": p.areas_for_improvement,
        "areas_complete": p.areas_complete,
        "open": p.open,
        "overdue": p.overdue,
        "actions_docs": _of(p.actions_done, p.actions_total),
        "actions_done": p.actions_done,
        "actions_total": p.actions_total,
    }


def sections(pack: Pack) -> list[Section]:
    """Every section of the pack, in the order the documents show them."""
    number = [Column("label", "Measure", 4.0), Column("count", "Number", 1.0, "number")]
    summary = Section("summary", "Summary")
    summary.blocks += [
        Table(
            "position",
            f"Position at the end of {long_date(pack.period.end)}",
            "Position",
            number,
            [{"label": words, "count": n} for _, words, n in pack.count_rows()],
        ),
        Table(
            "changes",
            f"Changes in the period {pack.period.label}",
            "Changes in the period",
            number,
            [{"label": words, "count": n} for _, words, n in pack.in_period_rows()],
        ),
        Table(
            "rag",
            "RAG at the end of the period",
            "RAG",
            [Column("label", "RAG", 4.0), Column("count", "Items", 1.0, "number")],
            [{"label": rag.label, "count": n} for rag, n in pack.rag],
        ),
        f"Due soon means open and due within {pack.due_soon_days} days of the end of the "
        "period. Overdue means open and past its due date.",
    ]
    result = [summary, _forces_section(pack)]
    result.append(
        Section(
            "by-inspection",
            "Progress by inspection",
            [
                Table(
                    "by-inspection",
                    "Progress by inspection",
                    "By inspection",
                    _progress_columns(pack, causes=False),
                    [_progress_values(p) for p in pack.by_inspection],
                    "No items.",
                ),
                Chart(
                    "rag-chart",
                    "RAG of the items in each inspection",
                    charts.rag_chart_description(pack),
                    lambda: charts.rag_chart_png(pack),
                ),
                _rag_table(pack),
            ],
        )
    )
    result.append(
        Section(
            "by-cause",
            "Progress by cause of concern",
            [
                Table(
                    "by-cause",
                    "Progress by cause of concern",
                    "By cause of concern",
                    _progress_columns(pack, causes=True),
                    [_progress_values(p) for p in pack.by_cause],
                    "No causes of concern.",
                )
            ],
        )
    )
    result += _item_sections(pack)
    result.append(_trend_section(pack))
    return result


def _forces_section(pack: Pack) -> Section:
    section = Section("forces", "Monitoring stage and latest graded judgments")
    section.blocks.append(
        Table(
            "forces",
            "Each force at the end of the period",
            "Forces",
            [
                Column("force", "Force", 1.6),
                Column("stage", "Monitoring stage", 1.8),
                Column("since", "Since", 1.1, "date"),
                Column("open", "Open", 0.8, "number"),
                Column("overdue", "Overdue", 1.0, "number"),
                Column("awaiting", "Awaiting the inspector", 1.1, "number"),
                Column("complete", "Complete", 0.9, "number"),
            ],
            [
                {
                    "force": f.name,
                    "stage": f.stage or "Not recorded",
                    "since": f.stage_since,
                    "open": f.open,
                    "overdue": f.overdue,
                    "awaiting": f.awaiting_review,
                    "complete": f.complete,
                }
                for f in pack.forces
            ],
        )
    )
    section.blocks.append(
        Table(
            "judgments",
            "Latest graded judgments",
            "Graded judgments",
            [
                Column("force", "Force", 1.4),
                Column("inspection", "Inspection", 2.2),
                Column("published", "Published", 1.1, "date"),
                Column("area", "Area", 2.6),
                Column("grade", "Grade", 1.4),
            ],
            [
                {
                    "force": f.name,
                    "inspection": f.judged_inspection,
                    "published": f.judged_on,
                    "area": area[:1].upper() + area[1:],
                    "grade": grade,
                }
                for f in pack.forces
                for area, grade in f.judgments
            ],
            "No graded judgments published by the end of the period.",
        )
    )
    return section


def _rag_table(pack: Pack) -> Table:
    from recommendations.models import Rag

    columns = [
        *_force_column(pack),
        Column("inspection", "Inspection", 2.6),
        *(Column(rag.value, rag.label, 1.0, "number") for rag in Rag),
        Column("total", "Total", 0.8, "number"),
    ]
    rows = [
        {
            "force": p.force,
            "inspection": p.inspection,
            **{rag.value: p.rag.get(rag.value, 0) for rag in Rag},
            "total": p.total,
        }
        for p in pack.by_inspection
    ]
    return Table(
        "rag-by-inspection",
        "RAG of the items in each inspection",
        "RAG by inspection",
        columns,
        rows,
        "No items.",
    )


def _item_sections(pack: Pack) -> list[Section]:
    item = _item_columns(pack)
    overdue = Section("overdue", "Overdue at the end of the period")
    overdue.blocks += [
        Table(
            "ageing",
            "How long overdue items have been overdue",
            "Ageing",
            [Column("band", "Overdue by", 3.0), Column("count", "Items", 1.0, "number")],
            [{"band": band.label, "count": band.count} for band in pack.ageing],
        ),
        Table(
            "overdue",
            "Overdue items, longest overdue first",
            "Overdue",
            [
                *item,
                Column("due_on", "Due date", 1.1, "date"),
                Column("days", "Days overdue", 1.0, "number"),
                Column("owner", "Owner", 1.2),
            ],
            [
                {**_item_values(r), "due_on": r.due_on, "days": r.days_overdue, "owner": r.owner}
                for r in pack.overdue
            ],
            "No item was overdue at the end of the period.",
        ),
    ]
    changes = Section("due-changes", "Due dates changed in the period")
    changes.blocks.append(
        Table(
            "due-changes",
            "Due dates changed in the period, with the reasons",
            "Due date changes",
            [
                *_force_column(pack),
                Column("reference", "Reference", 1.1),
                Column("on", "Changed on", 1.1, "date"),
                Column("due_from", "From", 1.1, "date"),
                Column("due_to", "To", 1.1, "date"),
                Column("change", "Change", 1.3),
                Column("reason", "Reason", 3.0, "long"),
                Column("by", "By", 1.2),
            ],
            [
                {
                    "force": c.item.force,
                    "reference": c.item.reference,
                    "on": c.on,
                    "due_from": c.due_from,
                    "due_to": c.due_to,
                    "change": c.change_label,
                    "reason": c.reason,
                    "by": c.by,
                }
                for c in pack.due_changes
            ],
            "No due date was changed in the period.",
        )
    )
    return [
        _items_section(
            pack,
            "completed",
            "Completed in the period",
            "Completed",
            [Column("since", "Completed on", 1.1, "date")],
            pack.completed,
            "No item was completed in the period.",
        ),
        _items_section(
            pack,
            "new",
            "New in the period",
            "New",
            [
                Column("published_on", "Published", 1.1, "date"),
                Column("due_on", "Due date", 1.1, "date"),
            ],
            pack.new,
            "No new items in the period.",
        ),
        overdue,
        changes,
        _items_section(
            pack,
            "awaiting-inspector",
            "Awaiting the inspector at the end of the period",
            "Awaiting the inspector",
            [
                Column("since", "Submitted on", 1.1, "date"),
                Column("due_on", "Due date", 1.1, "date"),
                Column("rag", "RAG", 1.0),
            ],
            pack.awaiting_inspector,
            "No submission was awaiting the inspector at the end of the period.",
        ),
    ]


def _items_section(pack, key, heading, sheet, extra, rows, empty) -> Section:
    table = Table(
        key,
        heading,
        sheet,
        [*_item_columns(pack), *extra],
        [
            {
                **_item_values(r),
                "since": r.since,
                "published_on": r.published_on,
                "due_on": r.due_on,
                "rag": r.rag.label,
            }
            for r in rows
        ],
        empty,
    )
    return Section(key, heading, [table])


def _trend_section(pack: Pack) -> Section:
    return Section(
        "trend",
        "Open and overdue items over the year",
        [
            Chart(
                "trend-chart",
                "Open and overdue items at the end of each month",
                charts.trend_chart_description(),
                lambda: charts.trend_chart_png(pack.trend),
            ),
            Table(
                "trend",
                "Open and overdue items at the end of each month",
                "Open and overdue",
                [
                    Column("on", "Date", 2.0, "date"),
                    Column("open", "Open", 1.0, "number"),
                    Column("overdue", "Overdue", 1.0, "number"),
                ],
                list(pack.trend),
            ),
        ],
    )

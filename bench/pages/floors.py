"""The floor of each page: the minimal hand-written SQL that returns the data the page shows.

Each floor is a list of (sql, params) run on the same connection, every row fetched. A list
page's floor is its 50 rows (the columns shown, joined to what they name) in the page's
order, and the count for the pager; a dashboard's adds its headline counts, the RAG chart's
groups and the 12-month chart; an item page's is the item and its actions, updates,
evidence, timeline and pending extension. The inspection page's floor is a bounded page (its
first 50 items and their count), which is what issue 14 asks the page to become.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

OPEN = "i.status IN ('awaiting-review', 'being-progressed')"
COLUMNS = (
    "i.id, i.kind, i.display_reference, i.text, i.due_on, i.status, i.submitted_at,"
    " i.returned_at, i.cause_of_concern_id, ins.id, ins.title, ins.short_name, f.name,"
    " f.slug, u.first_name, u.last_name, u.username"
)
JOINS = (
    "recommendations_item i"
    " JOIN recommendations_inspection ins ON ins.id = i.inspection_id"
    " JOIN recommendations_force f ON f.id = i.force_id"
    " LEFT JOIN accounts_user u ON u.id = i.owner_id"
)
BY_DUE = "i.due_on ASC NULLS LAST, i.inspection_id, i.position, i.id"


def scope(force_ids: list[int]) -> str:
    return f"i.force_id IN ({', '.join(str(int(f)) for f in force_ids)})"


def item_list(
    force_ids: list[int], *, where: str = OPEN, params=(), page: int = 1, order: str = BY_DUE
) -> list[tuple[str, tuple]]:
    condition = f"{scope(force_ids)} AND {where}"
    return [
        (
            f"SELECT {COLUMNS} FROM {JOINS} WHERE {condition} ORDER BY {order}"
            f" LIMIT 50 OFFSET {(page - 1) * 50}",
            tuple(params),
        ),
        (f"SELECT COUNT(*) FROM {JOINS} WHERE {condition}", tuple(params)),
    ]


def search(vendor: str, force_ids: list[int], text: str) -> list[tuple[str, tuple]]:
    like = "ILIKE" if vendor == "postgresql" else "LIKE"  # SQLite's LIKE ignores ASCII case
    pattern = f"%{text}%"
    where = f"{OPEN} AND (i.text {like} %s OR i.display_reference {like} %s OR ins.title {like} %s)"
    return item_list(force_ids, where=where, params=(pattern, pattern, pattern))


def overdue(force_ids: list[int], today: date) -> list[tuple[str, tuple]]:
    return item_list(force_ids, where=f"{OPEN} AND i.due_on < %s", params=(today,))


def month_ends(today: date, months: int = 12) -> list[date]:
    ends, day = [], today.replace(day=1) - timedelta(days=1)
    for _ in range(months):
        ends.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return [*reversed(ends), today]


def dashboard(force_id: int, today: date) -> list[tuple[str, tuple]]:
    """Headline counts, the RAG chart's groups, the 12-month chart (open and overdue at each
    month end, one pass over the force's items: open then if created by then and either
    still open or closed after it), the stage, the latest grades and the first page."""
    soon = today + timedelta(days=30)
    points = []
    params: list = []
    for day in month_ends(today):
        cutoff = datetime.combine(day, time.max)
        alive = f"i.created_at <= %s AND ({OPEN} OR i.status_changed_at > %s)"
        points.append(f"SUM(CASE WHEN {alive} THEN 1 ELSE 0 END)")
        points.append(f"SUM(CASE WHEN {alive} AND i.due_on < %s THEN 1 ELSE 0 END)")
        params += [cutoff, cutoff, cutoff, cutoff, day]
    series = f"SELECT {', '.join(points)} FROM recommendations_item i WHERE i.force_id = %s"
    counts = (
        "SELECT"
        f" SUM(CASE WHEN {OPEN} AND i.due_on < %s THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {OPEN} AND i.due_on >= %s AND i.due_on <= %s THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN i.status = 'awaiting-review' AND i.submitted_at IS NOT NULL"
        " THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN i.status = 'awaiting-review' AND i.submitted_at IS NULL"
        " THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN i.status = 'being-progressed' AND i.returned_at IS NOT NULL"
        " THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN i.status = 'being-progressed' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN i.status = 'complete' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN i.status = 'no-further-action-needed' THEN 1 ELSE 0 END)"
        " FROM recommendations_item i WHERE i.force_id = %s"
    )
    rag = (
        "SELECT ins.id, ins.title, ins.published_on, CASE"
        " WHEN i.status = 'complete' THEN 'complete'"
        " WHEN i.status = 'no-further-action-needed' THEN 'no-further-action'"
        " WHEN i.due_on IS NULL THEN 'no-deadline'"
        " WHEN i.due_on < %s THEN 'overdue' WHEN i.due_on <= %s THEN 'due-soon'"
        " ELSE 'on-track' END AS rag, COUNT(*)"
        " FROM recommendations_item i JOIN recommendations_inspection ins"
        " ON ins.id = i.inspection_id WHERE i.force_id = %s GROUP BY 1, 2, 3, 4"
    )
    return [
        (counts, (today, today, soon, force_id)),
        (rag, (today, soon, force_id)),
        (series, (*params, force_id)),
        (
            "SELECT stage, started_on FROM recommendations_monitoringstagechange"
            " WHERE force_id = %s AND started_on <= %s ORDER BY started_on DESC LIMIT 1",
            (force_id, today),
        ),
        (
            "SELECT j.area, j.grade FROM recommendations_gradedjudgment j WHERE j.inspection_id ="
            " (SELECT ins.id FROM recommendations_inspection ins WHERE ins.force_id = %s AND"
            " EXISTS (SELECT 1 FROM recommendations_gradedjudgment g"
            " WHERE g.inspection_id = ins.id) ORDER BY ins.published_on DESC LIMIT 1)",
            (force_id,),
        ),
        *item_list([force_id]),
    ]


def item_page(item_id: int) -> list[tuple[str, tuple]]:
    return [
        (
            f"SELECT i.*, ins.title, ins.short_name, f.name, f.slug, u.first_name, u.last_name"
            f" FROM {JOINS} WHERE i.id = %s",
            (item_id,),
        ),
        (
            "SELECT a.*, u.first_name, u.last_name FROM recommendations_action a"
            " LEFT JOIN accounts_user u ON u.id = a.owner_id WHERE a.item_id = %s"
            " ORDER BY a.target_on, a.id",
            (item_id,),
        ),
        (
            "SELECT p.*, u.first_name, u.last_name FROM recommendations_progressupdate p"
            " JOIN accounts_user u ON u.id = p.author_id WHERE p.item_id = %s"
            " ORDER BY p.created_at DESC, p.id DESC",
            (item_id,),
        ),
        (
            "SELECT e.*, u.first_name, u.last_name FROM recommendations_evidence e"
            " JOIN accounts_user u ON u.id = e.uploaded_by_id WHERE e.item_id = %s"
            " ORDER BY e.uploaded_at DESC, e.id DESC",
            (item_id,),
        ),
        (
            "SELECT t.*, u.first_name, u.last_name FROM recommendations_timelineentry t"
            " LEFT JOIN accounts_user u ON u.id = t.actor_id WHERE t.item_id = %s"
            " ORDER BY t.occurred_at DESC, t.id DESC",
            (item_id,),
        ),
        (
            "SELECT x.*, u.first_name, u.last_name FROM recommendations_extensionrequest x"
            " JOIN accounts_user u ON u.id = x.requested_by_id"
            " WHERE x.item_id = %s AND x.state = 'pending'",
            (item_id,),
        ),
    ]


def inspection_page(inspection_id: int, force_ids: list[int]) -> list[tuple[str, tuple]]:
    return [
        (
            "SELECT ins.*, f.name FROM recommendations_inspection ins"
            " LEFT JOIN recommendations_force f ON f.id = ins.force_id WHERE ins.id = %s",
            (inspection_id,),
        ),
        (
            "SELECT * FROM recommendations_gradedjudgment WHERE inspection_id = %s"
            " ORDER BY position, area",
            (inspection_id,),
        ),
        (
            "SELECT * FROM recommendations_causeofconcern WHERE inspection_id = %s"
            " ORDER BY position, id",
            (inspection_id,),
        ),
        *item_list(
            force_ids,
            where="i.inspection_id = %s",
            params=(inspection_id,),
            order="i.position, i.id",
        ),
    ]


def review_queue(force_ids: list[int]) -> list[tuple[str, tuple]]:
    submitted = "i.status = 'awaiting-review' AND i.submitted_at IS NOT NULL"
    return [
        *item_list(force_ids, where=submitted, order="i.submitted_at, i.status_changed_at, i.id")[
            :1
        ],
        (
            "SELECT SUM(CASE WHEN i.submitted_at IS NOT NULL THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN i.submitted_at IS NULL THEN 1 ELSE 0 END)"
            f" FROM recommendations_item i WHERE {scope(force_ids)}"
            " AND i.status = 'awaiting-review'",
            (),
        ),
    ]


def force_overview(force_ids: list[int], today: date) -> list[tuple[str, tuple]]:
    return [
        (
            "SELECT i.force_id, COUNT(*), SUM(CASE WHEN i.due_on < %s THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN i.status = 'awaiting-review' AND i.submitted_at IS NOT NULL"
            f" THEN 1 ELSE 0 END) FROM recommendations_item i WHERE {scope(force_ids)}"
            f" AND {OPEN} GROUP BY i.force_id",
            (today,),
        ),
        (
            "SELECT f.id, f.name, f.slug, (SELECT s.stage FROM"
            " recommendations_monitoringstagechange s WHERE s.force_id = f.id AND"
            " s.started_on <= %s ORDER BY s.started_on DESC LIMIT 1)"
            f" FROM recommendations_force f WHERE f.id IN"
            f" ({', '.join(str(int(f)) for f in force_ids)}) ORDER BY f.name",
            (today,),
        ),
    ]


def signed_in(session_key: str, user_id: int) -> list[tuple[str, tuple]]:
    """What any signed-in page reads before its own data: the session and the user."""
    return [
        (
            "SELECT session_data, expire_date FROM django_session WHERE session_key = %s",
            (session_key,),
        ),
        ("SELECT * FROM accounts_user WHERE id = %s", (user_id,)),
    ]


def csv_rows(force_id: int) -> tuple[str, tuple]:
    """Every item of the force with the CSV's columns, in the list's order."""
    return (
        f"SELECT {COLUMNS}, ins.published_on, i.deadline_rule, i.original_due_on,"
        " i.extension_count"
        f" FROM {JOINS} WHERE i.force_id = %s ORDER BY {BY_DUE}",
        (force_id,),
    )

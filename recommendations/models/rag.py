"""RAG: how urgent an item is, derived from its status, due date and today; never stored."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, F, Func, Q, Value, When

from recommendations.vocabulary import OPEN_STATUSES, Status


class Rag(models.TextChoices):
    """The item's RAG: derived from its status, due date and today, never stored.

    The one definition of the words and the look that tables, charts, e-mails and CSV share.
    Amber only ever means "open and due within the window": never no deadline, never closed.
    """

    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due-soon", "Due soon"
    ON_TRACK = "on-track", "On track"
    NO_DEADLINE = "no-deadline", "No deadline"
    COMPLETE = "complete", "Complete"
    NO_FURTHER_ACTION = "no-further-action", "No further action"

    @property
    def tag_class(self) -> str:
        """The GOV.UK tag modifier for pages (the app- ones are defined in tracker.scss)."""
        return _RAG_LOOK[self][0]

    @property
    def email_colours(self) -> tuple[str, str]:
        """The same tag's text and background colours, for e-mails (no stylesheet there)."""
        return _RAG_LOOK[self][1], _RAG_LOOK[self][2]


# Tag class, text colour, background colour: GOV.UK Frontend's tag palette.
_RAG_LOOK = {
    Rag.OVERDUE: ("govuk-tag--red", "#651b1b", "#f4d7d7"),
    Rag.DUE_SOON: ("govuk-tag--orange", "#7a3c1c", "#fde4d7"),
    Rag.ON_TRACK: ("govuk-tag--green", "#083d29", "#cfe4dc"),
    Rag.NO_DEADLINE: ("app-tag--no-deadline", "#0b0c0c", "#ffffff"),
    Rag.COMPLETE: ("govuk-tag--grey", "#0b0c0c", "#cecece"),
    Rag.NO_FURTHER_ACTION: ("app-tag--no-further-action", "#484949", "#f3f3f3"),
}


def due_soon_window(window_days: int | None = None) -> int:
    """Days ahead that count as "due soon" (TRACKER_DUE_SOON_DAYS, default 30)."""
    return settings.TRACKER_DUE_SOON_DAYS if window_days is None else window_days


class HasStatus(Func):
    """The item's status is one of these, with the statuses written into the SQL as literals
    rather than passed as parameters.

    SQLite plans a statement before its parameters are bound, so it cannot tell that a
    parameter meets a partial index's condition: it ignores the index (`IN`) or reads every
    row to check the status (`=`). Only this form lets lists and counts read the partial
    indexes on open items and on the review queue alone (migrations 0011, 0012). Each status
    must be the vocabulary's (`Status` refuses anything else), so no input reaches the SQL.
    """

    output_field = BooleanField()

    def __init__(self, *statuses: str) -> None:
        listed = ", ".join(f"'{Status(status).value}'" for status in statuses)
        if len(statuses) == 1:
            self.template = f"%(expressions)s = {listed}"
        else:
            self.template = f"%(expressions)s IN ({listed})"
        super().__init__(F("status"))


class IsOpen(HasStatus):
    """The item is open: awaiting review or being progressed (`HasStatus`)."""

    def __init__(self) -> None:
        super().__init__(*OPEN_STATUSES)


def rag_conditions(*, today: date, window_days: int | None = None) -> dict[Rag, Q]:
    """The RAG categories as database conditions: mutually exclusive, together everything.

    The SQL twin of `Item.rag`, for filtering, counting and grouping lists in one query.
    """
    window_end = today + timedelta(days=due_soon_window(window_days))
    is_open = Q(IsOpen())
    return {
        Rag.OVERDUE: is_open & Q(due_on__lt=today),
        Rag.DUE_SOON: is_open & Q(due_on__gte=today, due_on__lte=window_end),
        Rag.ON_TRACK: is_open & Q(due_on__gt=window_end),
        Rag.NO_DEADLINE: is_open & Q(due_on__isnull=True),
        Rag.COMPLETE: Q(status=Status.COMPLETE),
        Rag.NO_FURTHER_ACTION: Q(status=Status.NO_FURTHER_ACTION_NEEDED),
    }


def rag_annotation(*, today: date, window_days: int | None = None) -> Case:
    """`Item.rag` as a SQL expression: `.annotate(rag_value=rag_annotation(today=...))`."""
    conditions = rag_conditions(today=today, window_days=window_days)
    return Case(
        *(When(condition, then=Value(rag.value)) for rag, condition in conditions.items()),
        output_field=models.CharField(),
    )

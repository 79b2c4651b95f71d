"""My work: what is a force user's own, across inspections, in a fixed number of queries.

What is "yours" depends on the role:

- an action owner: the items they own and the items where they own an open action;
- a force improvement lead: the same, plus the force's items that have no owner yet (the
  lead's to assign);
- an executive sponsor: the force's overdue items (the ones escalated to them).

Only open items are listed; their open actions owned by the user come with them, so the
list can update them in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import Combinable

from accounts.models import User
from recommendations.models import (
    OPEN_ACTION_STATUSES,
    Action,
    IsOpen,
    Item,
    Rag,
    rag_conditions,
)
from recommendations.rules import is_executive_sponsor, is_force_lead
from recommendations.selectors import items_for_user

# A page stays bounded: a lead of a large force sees the first ones and a link to the lists.
MY_WORK_LIMIT = 200


@dataclass
class WorkSection:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)


@dataclass
class MyWork:
    sections: list[WorkSection]
    truncated: bool  # more than MY_WORK_LIMIT items are the user's: only the first are shown
    # What the list holds, for the page's introduction: "overdue" (a sponsor's force's overdue
    # items), "own_and_unowned" (a lead's, with the force's unowned items) or "own".
    holds: str = "own"

    @property
    def count(self) -> int:
        return sum(len(section.items) for section in self.sections)

    @property
    def action_count(self) -> int:
        # `my_actions` is prefetched by my_items (to_attr), unknown to the model's type.
        actions: list[list[Action]] = [
            item.my_actions  # type: ignore[attr-defined]
            for section in self.sections
            for item in section.items
        ]
        return sum(len(mine) for mine in actions)


def my_items(user: User, *, today: date) -> QuerySet[Item]:
    """The open items that are the user's (see the module's rule), soonest due first,
    each with `my_actions`: the user's open actions on it, soonest target first."""
    owns_open_action = Exists(
        Action.objects.filter(item_id=OuterRef("pk"), owner=user, status__in=OPEN_ACTION_STATUSES)
    )
    yours: Q | Combinable
    if is_executive_sponsor(user):
        yours = rag_conditions(today=today)[Rag.OVERDUE]
    else:
        yours = Q(owner=user) | owns_open_action
        if is_force_lead(user):
            yours |= Q(owner__isnull=True)
    mine = Action.objects.filter(owner=user, status__in=OPEN_ACTION_STATUSES).order_by(
        "target_on", "pk"
    )
    return (
        items_for_user(user)
        # A user with no force (force_id None) matches no item.
        .filter(IsOpen(), force_id=user.force_id)  # type: ignore[misc]
        .filter(yours)
        .prefetch_related(Prefetch("actions", queryset=mine, to_attr="my_actions"))
    )


def my_work(user: User, *, today: date, limit: int = MY_WORK_LIMIT) -> MyWork:
    """The user's items in four sections: overdue, due soon, returned to you, and the rest.

    An item is listed once, in the first section that applies (an overdue item sent back is
    overdue; the page still says it was returned). Two queries, whatever the number of rows.
    """
    if not user.force_id:
        return MyWork(sections=[], truncated=False, holds=_holds(user))
    items = list(my_items(user, today=today)[: limit + 1])
    sections = [
        WorkSection("overdue", "Overdue"),
        WorkSection("due-soon", "Due soon"),
        WorkSection("returned", "Returned to you: more is needed"),
        WorkSection("rest", "Everything else, soonest due first"),
    ]
    by_key = {section.key: section for section in sections}
    for item in items[:limit]:
        rag = item.rag(today)
        if rag == Rag.OVERDUE:
            key = "overdue"
        elif rag == Rag.DUE_SOON:
            key = "due-soon"
        elif item.is_returned:
            key = "returned"
        else:
            key = "rest"
        item.yours_because = _why(item, user)  # type: ignore[attr-defined]  # for the page
        by_key[key].items.append(item)
    return MyWork(sections=sections, truncated=len(items) > limit, holds=_holds(user))


def _holds(user: User) -> str:
    if is_executive_sponsor(user):
        return "overdue"
    return "own_and_unowned" if is_force_lead(user) else "own"


def _why(item: Item, user: User) -> str:
    """Why the item is on the user's list, in the words the page shows."""
    if item.owner_id == user.pk:
        return "You own it"
    if item.my_actions:  # type: ignore[attr-defined]  # prefetched by my_items
        return "You own an action"
    if item.owner_id is None and is_force_lead(user):
        return "No owner yet"
    return "Overdue item of your force"

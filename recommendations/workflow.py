"""Read-only view of the status machine declared on `Item` (django-fsm-2 transitions).

The interface and the services ask this module which transitions exist, which a user may
make now, and what each needs; none of it is declared a second time here.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django_fsm import has_transition_perm

from recommendations.models import Item, Status

TRANSITION_NAMES = ("submit_for_review", "complete", "send_back", "stop_tracking", "reopen")
_REVIEW_TRANSITIONS = {"complete", "send_back", "stop_tracking", "reopen"}


@dataclass(frozen=True)
class TransitionInfo:
    name: str
    label: str
    source: tuple[str, ...]
    target: str
    comment_required: bool
    comment_label: str


def _describe(name: str) -> TransitionInfo:
    meta = getattr(Item, name)._django_fsm
    transitions = list(meta.transitions.values())
    first = transitions[0]
    return TransitionInfo(
        name=name,
        label=first.custom["label"],
        source=tuple(str(t.source) for t in transitions),
        target=str(first.target),
        comment_required=first.custom.get("comment") == "required",
        comment_label=first.custom.get("comment_label", "Comment"),
    )


TRANSITIONS: dict[str, TransitionInfo] = {name: _describe(name) for name in TRANSITION_NAMES}


def available_transitions(item: Item, user) -> list[TransitionInfo]:
    """The transitions this user may make on this item now, in a stable order."""
    return [
        info for name, info in TRANSITIONS.items() if has_transition_perm(getattr(item, name), user)
    ]


def refusal_reason(item: Item, user, name: str) -> str:
    """Why a transition is refused, in words the user understands."""
    info = TRANSITIONS[name]
    # Say nothing about an item's status or force to someone who may not see it.
    if not rules.has_perm("recommendations.view_item", user, item):
        return "You do not have access to this item."
    status_label = Status(item.status).label.lower()
    if item.status not in info.source:
        return f"This item is {status_label}, so it cannot be sent to “{info.label.lower()}”."
    if name in _REVIEW_TRANSITIONS:
        return f"Only an inspector assigned to {item.force} can {info.label.lower()} this item."
    return f"Only the force improvement lead for {item.force} can submit this item for review."

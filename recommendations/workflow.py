"""Read-only view of the status machine declared on `Item` (django-fsm-2 transitions).

The interface, the service and the e-mails ask this module which transitions exist, which a
user may make now, and everything about each (label, button, comment rule and wording, the
message after it, the e-mail headline); none of it is declared a second time here.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules

from recommendations.models import Item, Status

# Decisions an inspector makes on a submission, offered together as one question.
DECISIONS = ("complete", "send_back", "stop_tracking")


@dataclass(frozen=True)
class TransitionInfo:
    name: str
    label: str
    choice: str
    button: str
    source: tuple[str, ...]
    target: str
    comment_required: bool
    comment_label: str
    comment_error: str
    success: str
    email_headline: str
    confirm: str
    freezes_evidence: bool

    @property
    def button_class(self) -> str:
        return "" if self.button == "primary" else f"govuk-button--{self.button}"


def _describe(name: str, transitions: list) -> TransitionInfo:
    first = transitions[0]
    custom = first.custom
    return TransitionInfo(
        name=name,
        label=custom["label"],
        choice=custom.get("choice", custom["label"]),
        button=custom.get("button", "secondary"),
        source=tuple(str(t.source) for t in transitions),
        target=str(first.target),
        comment_required=custom.get("comment") == "required",
        comment_label=custom.get("comment_label", "Comment"),
        comment_error=custom.get("comment_error", "Enter a comment"),
        success=custom.get("success", f"{custom['label']}: done."),
        email_headline=custom.get("email_headline", custom["label"]),
        confirm=custom.get("confirm", ""),
        freezes_evidence=bool(custom.get("freezes_evidence")),
    )


def _declared() -> dict[str, TransitionInfo]:
    """Every transition declared on the status field, in declaration order."""
    declared = [name for name, attr in vars(Item).items() if hasattr(attr, "_django_fsm")]
    by_name: dict[str, list] = {name: [] for name in declared}
    for transition in Item._meta.get_field("status").get_all_transitions(Item):
        by_name[transition.name].append(transition)
    _FSM_TRANSITIONS.update(by_name)
    return {name: _describe(name, found) for name, found in by_name.items()}


_FSM_TRANSITIONS: dict[str, list] = {}
TRANSITIONS: dict[str, TransitionInfo] = _declared()


def has_role_for(item: Item, user, name: str) -> bool:
    """Whether the user holds the transition's permission on this item, whatever its status
    now: tells "not yours to decide" (403) from "not possible in this state" (400)."""
    return any(t.has_perm(item, user) for t in _FSM_TRANSITIONS.get(name, ()))


def available_transitions(item: Item, user) -> list[TransitionInfo]:
    """The transitions this user may make on this item now (django-fsm's own answer, which
    checks source, conditions and permission), in declaration order."""
    # The method django-fsm adds to the model for the `status` field.
    available = item.get_available_user_status_transitions(user)  # type: ignore[attr-defined]
    names = {t.name for t in available}
    return [info for name, info in TRANSITIONS.items() if name in names]


def refusal_reason(item: Item, user, name: str) -> str:
    """Why a transition is refused, in words the user understands."""
    info = TRANSITIONS[name]
    # Say nothing about an item's status or force to someone who may not see it.
    if not rules.has_perm("recommendations.view_item", user, item):
        return "You do not have access to this item."
    status_label = Status(item.status).label.lower()
    if item.status not in info.source:
        return f"This item is {status_label}, so it cannot be sent to “{info.label.lower()}”."
    if name == "submit_for_review":
        if rules.has_perm("recommendations.submit_item", user, item):
            return "This item is awaiting review: it is already with the inspector to decide."
        return f"Only the force improvement lead for {item.force} can submit this item for review."
    if not rules.has_perm("recommendations.review_item", user, item):
        return f"Only an inspector assigned to {item.force} can {info.label.lower()} this item."
    return "The force has not submitted this item yet, so there is nothing to send back."

"""Use cases that change data: one function each, keyword-only, atomic, writing the timeline.

Permission is checked here as well as in views, so no caller (view, command, task) can skip it.
Callers import from this package; the modules split the use cases by responsibility.
"""

from recommendations.services.common import timeline_record
from recommendations.services.findings import (
    HistoryEvent,
    item_assign_owner,
    item_change_due_date,
    item_create,
)
from recommendations.services.oversight import (
    cause_of_concern_close,
    cause_of_concern_reopen,
    force_record_monitoring_stage,
)
from recommendations.services.transitions import (
    ITEM_TRANSITION_SERVICES,
    item_complete,
    item_reopen,
    item_send_back,
    item_stop_tracking,
    item_submit_for_review,
)
from recommendations.services.work import (
    action_create,
    action_update,
    evidence_add,
    progress_update_create,
)

__all__ = [
    "ITEM_TRANSITION_SERVICES",
    "HistoryEvent",
    "action_create",
    "action_update",
    "cause_of_concern_close",
    "cause_of_concern_reopen",
    "evidence_add",
    "force_record_monitoring_stage",
    "item_assign_owner",
    "item_change_due_date",
    "item_complete",
    "item_create",
    "item_reopen",
    "item_send_back",
    "item_stop_tracking",
    "item_submit_for_review",
    "progress_update_create",
    "timeline_record",
]

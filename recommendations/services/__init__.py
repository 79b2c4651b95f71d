"""Use cases that change data: one function each, keyword-only, atomic, writing the timeline.

Permission is checked here as well as in views, so no caller (view, command, task) can skip it.
Callers import from this package; the modules split the use cases by responsibility.
"""

from recommendations.services.bulk import (
    BULK_LIMIT,
    BulkResult,
    items_bulk_assign_owner,
    items_bulk_transition,
)
from recommendations.services.common import timeline_record
from recommendations.services.extensions import (
    extension_request_create,
    extension_request_decide,
)
from recommendations.services.findings import (
    HistoryEvent,
    item_assign_owner,
    item_change_due_date,
    item_create,
    item_import,
)
from recommendations.services.imports import ImportResult, publication_import
from recommendations.services.inspections import (
    cause_of_concern_create,
    cause_of_concern_import,
    inspection_create,
)
from recommendations.services.oversight import (
    cause_of_concern_close,
    cause_of_concern_reopen,
    force_record_monitoring_stage,
)
from recommendations.services.publication import (
    inspection_publish,
    inspection_unpublish,
    timeline_entry_set_public,
)
from recommendations.services.snapshots import snapshot_backfill, snapshot_record
from recommendations.services.statistics import database_statistics_refresh
from recommendations.services.transitions import item_transition, item_version, stale_message
from recommendations.services.work import (
    action_create,
    action_update,
    action_update_with_note,
    evidence_add,
    progress_update_create,
)

__all__ = [
    "BULK_LIMIT",
    "BulkResult",
    "HistoryEvent",
    "ImportResult",
    "action_create",
    "action_update",
    "action_update_with_note",
    "cause_of_concern_close",
    "cause_of_concern_create",
    "cause_of_concern_import",
    "cause_of_concern_reopen",
    "database_statistics_refresh",
    "evidence_add",
    "extension_request_create",
    "extension_request_decide",
    "force_record_monitoring_stage",
    "inspection_create",
    "inspection_publish",
    "inspection_unpublish",
    "item_assign_owner",
    "item_change_due_date",
    "item_create",
    "item_import",
    "item_transition",
    "item_version",
    "items_bulk_assign_owner",
    "items_bulk_transition",
    "progress_update_create",
    "publication_import",
    "snapshot_backfill",
    "snapshot_record",
    "stale_message",
    "timeline_entry_set_public",
    "timeline_record",
]

"""Domain models: they declare fields, choices, constraints and small derived properties.

Writes live in `recommendations.services`, reads that filter in `recommendations.selectors`.
"""

from .extensions import ExtensionRequest, ExtensionState
from .findings import (
    OPEN_STATUSES,
    AreaForImprovement,
    CauseOfConcern,
    Item,
    ItemKind,
    Recommendation,
    Status,
)
from .forces import Force, ForceKind, MonitoringStage, MonitoringStageChange
from .inspections import Grade, GradedJudgment, Inspection, Programme
from .rag import HasStatus, IsOpen, Rag, rag_annotation, rag_conditions
from .snapshots import ForceSnapshot
from .timeline import DUE_DATE_MOVES, TimelineEntry, TimelineKind
from .work import OPEN_ACTION_STATUSES, Action, ActionStatus, Evidence, ProgressUpdate

__all__ = [
    "DUE_DATE_MOVES",
    "OPEN_ACTION_STATUSES",
    "OPEN_STATUSES",
    "Action",
    "ActionStatus",
    "AreaForImprovement",
    "CauseOfConcern",
    "Evidence",
    "ExtensionRequest",
    "ExtensionState",
    "Force",
    "ForceKind",
    "ForceSnapshot",
    "Grade",
    "GradedJudgment",
    "HasStatus",
    "Inspection",
    "IsOpen",
    "Item",
    "ItemKind",
    "MonitoringStage",
    "MonitoringStageChange",
    "Programme",
    "ProgressUpdate",
    "Rag",
    "Recommendation",
    "Status",
    "TimelineEntry",
    "TimelineKind",
    "rag_annotation",
    "rag_conditions",
]

from zhengshu.core.models.base import BaseModel, ChangeLoggedModel, PrimaryModel, RestrictedQuerySet
from zhengshu.core.models.calendar import CalendarOverride, DayKind
from zhengshu.core.models.changelog import (
    AppendOnlyError,
    ChangeAction,
    ChangeLogAnchor,
    ChangeLogEntry,
    record_change,
    verify_chain,
)
from zhengshu.core.models.jobs import Job, JobStatus

__all__ = [
    "AppendOnlyError",
    "BaseModel",
    "CalendarOverride",
    "ChangeAction",
    "ChangeLogAnchor",
    "ChangeLogEntry",
    "ChangeLoggedModel",
    "DayKind",
    "Job",
    "JobStatus",
    "PrimaryModel",
    "RestrictedQuerySet",
    "record_change",
    "verify_chain",
]

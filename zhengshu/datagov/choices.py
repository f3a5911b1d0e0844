"""Code tables of the data-governance app (fixed by the regime itself; thresholds live in ``GovernancePolicy``)."""

from django.db import models


class UpdateCycle(models.TextChoices):
    REALTIME = "realtime", "实时"
    DAILY = "daily", "每日"
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季"
    YEARLY = "yearly", "每年"


class RateBasis(models.TextChoices):
    """Which deliveries count as 归集 when the aggregation rate is computed."""

    ON_TIME = "on_time", "按期归集（截止日前交付）"
    DELIVERED = "delivered", "已归集（周期内交付，不论是否逾期）"


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", "按期"
    LATE = "late", "逾期交付"
    MISSING = "missing", "未交付"
    NOT_DUE = "not_due", "尚未到期"


class ShutdownTarget(models.TextChoices):
    RESOURCE = "resource", "数据资源"
    APPLICATION = "application", "应用"


class ShutdownStatus(models.TextChoices):
    PROPOSED = "proposed", "待审批"
    APPROVED = "approved", "停机中"
    REJECTED = "rejected", "不予停机"
    REINSTATED = "reinstated", "已恢复"


class RectificationKind(models.TextChoices):
    NOTE = "note", "整改进展"
    SUBMITTED = "submitted", "提请复核"
    REVIEW = "review", "复核意见"

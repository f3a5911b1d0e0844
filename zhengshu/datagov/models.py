"""Data governance (D2/D3): the aggregation registry, deliveries and daily quality snapshots, and the
inspection regime 周提醒·旬通报·月停机 (reminders, bulletins, shutdown orders).

Resources are linked to the catalogue by their resource code (a string), so this app works with or
without the catalogue app. Deliveries mirror the pipeline's batch manifest (``zhengshu.pipeline.store``);
snapshots and the regime's records are derived from them by ``zhengshu.datagov.regime``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from zhengshu.core.models.base import BaseModel, ChangeLoggedModel, PrimaryModel
from zhengshu.datagov.choices import (
    RateBasis, RectificationKind, ShutdownStatus, ShutdownTarget, Timeliness, UpdateCycle,
)

WEEKDAYS = [(0, "星期一"), (1, "星期二"), (2, "星期三"), (3, "星期四"), (4, "星期五"), (5, "星期六"), (6, "星期日")]


class GovernancePolicy(ChangeLoggedModel):
    """The regime's definitions as data: score weights, thresholds, reminder weekday, rate basis.

    One row per ``code``; the regime reads ``code="default"`` (created with the defaults on first use).
    """

    code = models.CharField("编码", max_length=32, unique=True, default="default")
    name = models.CharField("名称", max_length=100, default="海宁市数据治理巡查规则")
    weight_completeness = models.DecimalField("完整性权重", max_digits=5, decimal_places=2, default=Decimal("0.30"),
                                              validators=[MinValueValidator(0)])
    weight_validity = models.DecimalField("有效性权重", max_digits=5, decimal_places=2, default=Decimal("0.30"),
                                          validators=[MinValueValidator(0)])
    weight_uniqueness = models.DecimalField("唯一性权重", max_digits=5, decimal_places=2, default=Decimal("0.10"),
                                            validators=[MinValueValidator(0)])
    weight_timeliness = models.DecimalField("及时性权重", max_digits=5, decimal_places=2, default=Decimal("0.30"),
                                            validators=[MinValueValidator(0)])
    pass_score = models.DecimalField("达标分数线", max_digits=5, decimal_places=2, default=Decimal("80"),
                                     validators=[MinValueValidator(0), MaxValueValidator(100)],
                                     help_text="质量得分低于此分即为不达标（0–100）")
    quality_window_days = models.PositiveIntegerField("质量评估窗口（天）", default=30,
                                                      help_text="按最近若干天内归集的批次计算完整性、有效性、唯一性")
    late_timeliness = models.DecimalField("逾期交付的及时性得分", max_digits=4, decimal_places=2,
                                          default=Decimal("0.50"),
                                          validators=[MinValueValidator(0), MaxValueValidator(1)])
    rate_basis = models.CharField("归集率口径", max_length=12, choices=RateBasis.choices, default=RateBasis.ON_TIME)
    reminder_weekday = models.PositiveSmallIntegerField("周提醒日", choices=WEEKDAYS, default=0)
    reminder_reply_workdays = models.PositiveIntegerField("周提醒补报期限（工作日）", default=3)
    rectification_workdays = models.PositiveIntegerField("停机整改期限（工作日）", default=10)

    class Meta:
        ordering = ("pk",)
        verbose_name = verbose_name_plural = "治理巡查规则"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.total_weight() <= 0:
            raise ValidationError({"weight_timeliness": "四项权重之和须大于 0"})

    def total_weight(self) -> Decimal:
        return sum((self.weight_completeness or 0, self.weight_validity or 0, self.weight_uniqueness or 0,
                    self.weight_timeliness or 0), Decimal(0))


class AggregationResource(PrimaryModel):
    """A resource due for aggregation (归集清单): who provides it, how often, by when."""

    code = models.CharField("资源代码", max_length=64, unique=True, help_text="与数据资源目录的资源代码一致")
    name = models.CharField("资源名称", max_length=200)
    update_cycle = models.CharField("更新周期", max_length=12, choices=UpdateCycle.choices, default=UpdateCycle.MONTHLY)
    delivery_workdays = models.PositiveIntegerField(
        "交付期限（工作日）", default=1, help_text="每个更新周期结束后，须在此数量的工作日内完成归集（0 表示周期最后一天）",
    )
    application = models.CharField("所属应用", max_length=100, blank=True,
                                   help_text="数字资源一本账中的应用名称；月停机可针对整个应用")
    due_since = models.DateField("纳入归集日期", help_text="自此日起纳入归集考核")
    is_active = models.BooleanField("纳入考核", default=True)

    class Meta:
        ordering = ("code",)
        verbose_name = verbose_name_plural = "归集清单"

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Delivery(BaseModel):
    """One committed batch of a resource (a mirror of the pipeline manifest, or an imported figure)."""

    batch_id = models.CharField("批次号", max_length=64, unique=True)
    resource = models.ForeignKey(AggregationResource, verbose_name="归集资源", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="deliveries")
    resource_code = models.CharField("资源代码", max_length=64, db_index=True)
    department = models.ForeignKey("orgs.Department", verbose_name="所属部门", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    source_name = models.CharField("来源", max_length=255, blank=True)
    committed_at = models.DateTimeField("归集时间", db_index=True)
    read = models.BigIntegerField("读取行数", default=0)
    accepted = models.BigIntegerField("入湖行数", default=0)
    rejected = models.BigIntegerField("拒收行数", default=0)
    duplicates = models.BigIntegerField("重复行数", default=0)
    ragged = models.BigIntegerField("列数错误行数", default=0)
    new_versions = models.BigIntegerField("更新版本行数", default=0)
    null_cells = models.BigIntegerField("空值单元格数", default=0)
    item_count = models.PositiveIntegerField("信息项数", default=0)
    seconds = models.FloatField("耗时（秒）", default=0)
    in_lake = models.BooleanField("本机数据湖中有批次", default=True,
                                  help_text="否：由外部系统报送的批次数字，拒收明细不在本机")
    stats = models.JSONField("统计", default=dict, blank=True)

    class Meta:
        ordering = ("-committed_at",)
        verbose_name = verbose_name_plural = "归集批次"

    def __str__(self) -> str:
        return f"{self.resource_code} {self.batch_id}"

    @property
    def new_records(self) -> int:
        """Records this batch added to the resource (accepted rows that were not new versions)."""
        return max(self.accepted - self.new_versions, 0)


class QualitySnapshot(BaseModel):
    """One resource's figures as of one day (the regime takes one per day; trends read them)."""

    day = models.DateField("日期", db_index=True)
    resource = models.ForeignKey(AggregationResource, verbose_name="归集资源", on_delete=models.CASCADE,
                                 related_name="snapshots")
    department = models.ForeignKey("orgs.Department", verbose_name="所属部门", on_delete=models.PROTECT,
                                   related_name="+")
    total_records = models.BigIntegerField("归集总量", default=0)
    batches = models.PositiveIntegerField("批次数", default=0)
    last_delivery = models.DateTimeField("最近归集", null=True, blank=True)
    cycle_start = models.DateField("考核周期起", null=True, blank=True)
    cycle_end = models.DateField("考核周期止", null=True, blank=True)
    deadline = models.DateField("交付截止日", null=True, blank=True)
    timeliness_status = models.CharField("交付情况", max_length=10, choices=Timeliness.choices)
    completeness = models.FloatField("完整性", null=True, blank=True)
    validity = models.FloatField("有效性", null=True, blank=True)
    uniqueness = models.FloatField("唯一性", null=True, blank=True)
    timeliness = models.FloatField("及时性", null=True, blank=True)
    score = models.FloatField("质量得分", default=0)
    due = models.BooleanField("应归集", default=False)
    aggregated = models.BooleanField("已按口径归集", default=False)
    failing = models.BooleanField("不达标", default=False)
    problems = models.JSONField("问题", default=list, blank=True)

    class Meta:
        ordering = ("-day", "resource_id")
        verbose_name = verbose_name_plural = "质量快照"
        constraints = [models.UniqueConstraint(fields=("resource", "day"), name="datagov_snapshot_once_a_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.resource_id}"


class InspectionRun(BaseModel):
    """The record of one day's inspection (巡查): what it did; re-running the day updates only this row."""

    day = models.DateField("巡查日期", unique=True)
    ran_at = models.DateTimeField("最近运行时间", auto_now=True)
    runs = models.PositiveIntegerField("运行次数", default=0)
    result = models.JSONField("结果", default=dict, blank=True)

    class Meta:
        ordering = ("-day",)
        verbose_name = verbose_name_plural = "巡查记录"

    def __str__(self) -> str:
        return f"巡查 {self.day}"


class Reminder(PrimaryModel):
    """周提醒: a department's late or failing resources, as seen on the reminder weekday."""

    day = models.DateField("提醒日期")
    week_start = models.DateField("所属周（周一）")
    title = models.CharField("标题", max_length=200)
    message = models.TextField("提醒内容")
    items = models.JSONField("问题资源", default=list)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签收人", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ("-day", "department__path")
        verbose_name = verbose_name_plural = "周提醒"
        constraints = [
            models.UniqueConstraint(fields=("department", "week_start"), name="datagov_reminder_once_a_week"),
        ]

    def __str__(self) -> str:
        return self.title


class Bulletin(ChangeLoggedModel):
    """旬通报: departments ranked over one 旬 (days 1–10, 11–20, 21–end of month)."""

    period_start = models.DateField("旬起", unique=True)
    period_end = models.DateField("旬止")
    issued_on = models.DateField("通报日期")
    title = models.CharField("标题", max_length=200)
    summary = models.JSONField("汇总", default=dict)
    ranking = models.JSONField("部门排名", default=list)

    class Meta:
        ordering = ("-period_start",)
        verbose_name = verbose_name_plural = "旬通报"

    def __str__(self) -> str:
        return self.title


class ShutdownOrder(PrimaryModel):
    """月停机: a resource or application that failed a whole month is shut down until rectified."""

    number = models.CharField("停机单号", max_length=40, unique=True)
    target_kind = models.CharField("停机对象类型", max_length=12, choices=ShutdownTarget.choices)
    resource_code = models.CharField("资源代码", max_length=64, blank=True, db_index=True)
    application = models.CharField("应用", max_length=100, blank=True, db_index=True)
    target_name = models.CharField("停机对象", max_length=200)
    month = models.DateField("不达标月份", help_text="该月第一天")
    reason = models.TextField("停机理由")
    evidence = models.JSONField("依据", default=dict)
    status = models.CharField("状态", max_length=12, choices=ShutdownStatus.choices, default=ShutdownStatus.PROPOSED,
                              db_index=True)
    proposed_on = models.DateField("提出日期")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审批人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=500, blank=True)
    effective_from = models.DateField("停机起始", null=True, blank=True)
    rectify_by = models.DateField("整改期限", null=True, blank=True)
    reinstated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="恢复人", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    reinstated_at = models.DateTimeField("恢复时间", null=True, blank=True)
    reinstate_note = models.CharField("恢复说明", max_length=500, blank=True)

    class Meta:
        ordering = ("-month", "number")
        verbose_name = verbose_name_plural = "停机单"
        constraints = [
            models.UniqueConstraint(fields=("target_kind", "resource_code", "application", "month"),
                                    name="datagov_shutdown_once_a_month"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.target_name}"

    @property
    def in_force(self) -> bool:
        return self.status == ShutdownStatus.APPROVED


class Rectification(ChangeLoggedModel):
    """A step in rectifying a shutdown: the department's progress and the data office's review."""

    order = models.ForeignKey(ShutdownOrder, verbose_name="停机单", on_delete=models.CASCADE,
                              related_name="rectifications")
    kind = models.CharField("类型", max_length=12, choices=RectificationKind.choices, default=RectificationKind.NOTE)
    note = models.TextField("内容")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.SET_NULL,
                               related_name="+")

    class Meta:
        ordering = ("created", "pk")
        verbose_name = verbose_name_plural = "整改记录"

    def __str__(self) -> str:
        return f"{self.order.number} {self.get_kind_display()}"

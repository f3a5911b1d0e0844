"""一企一档: which resources feed the archive (and how authoritative each is), the reviewers' decisions, and
the log of builds. The archive itself (links, profiles, lineage) is Parquet under ``DATA_DIR/archive``,
written by ``zhengshu.pipeline.linking`` — never Django rows."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from zhengshu.archive.choices import Category, Verdict
from zhengshu.core.models import BaseModel, ChangeLoggedModel


class ArchiveSource(ChangeLoggedModel):
    """一个数据资源作为一企一档的数据来源。"""

    resource_code = models.CharField("信息资源代码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=200)
    category = models.CharField("档案类别", max_length=16, choices=Category.choices, default=Category.OTHER)
    authority = models.PositiveIntegerField(
        "权威顺序", default=100, help_text="登记事实不一致时数值小者优先，相同时取较新的批次")
    name_index = models.BooleanField("作为名称索引", default=False,
                                     help_text="其（统一社会信用代码，名称）用于仅有名称的记录的关联；默认仅登记类")
    enabled = models.BooleanField("启用", default=True)
    schema = models.JSONField("数据项定义", default=dict, blank=True,
                              help_text="数据资源目录中没有此资源时使用（管道的数据项定义格式，含 link 关联键）")

    class Meta:
        ordering = ("authority", "resource_code")
        verbose_name = verbose_name_plural = "档案数据来源"

    def __str__(self) -> str:
        return f"{self.name}（{self.resource_code}）"

    def clean(self) -> None:
        if self.schema:
            from zhengshu.pipeline.schema import SchemaError, validate_schema

            try:
                checked = validate_schema(self.schema, where=f"数据来源 {self.resource_code} 的数据项定义")
            except SchemaError as exc:
                raise ValidationError({"schema": str(exc)}) from None
            if checked["resource"] != self.resource_code:
                raise ValidationError({"schema": f"数据项定义属于资源 {checked['resource']}，与信息资源代码 "
                                                 f"{self.resource_code} 不一致"})
            if not any(i.get("link") for i in checked["items"]):
                raise ValidationError({"schema": "数据项定义中没有关联键（link: uscc、org_code 或 enterprise_name）"})


class MatchDecision(ChangeLoggedModel):
    """复核结论：规范化后的名称是否为某一企业；以后每次构建都沿用。"""

    name_key = models.CharField("规范化名称", max_length=200)
    name_example = models.CharField("原始名称示例", max_length=200, blank=True)
    uscc = models.CharField("候选企业统一社会信用代码", max_length=18)
    candidate_name = models.CharField("候选企业名称", max_length=200, blank=True)
    verdict = models.CharField("结论", max_length=10, choices=Verdict.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="复核人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ("-updated", "-id")
        constraints = [models.UniqueConstraint(fields=("name_key", "uscc"), name="archive_decision_unique")]
        verbose_name = verbose_name_plural = "关联复核结论"

    def __str__(self) -> str:
        return f"{self.name_example or self.name_key} → {self.uscc}：{self.get_verdict_display()}"


class ArchiveBuild(BaseModel):
    """一次档案构建（全量或增量）及其结果。"""

    started_at = models.DateTimeField("开始时间")
    seconds = models.FloatField("耗时（秒）", default=0)
    full = models.BooleanField("全量构建", default=False)
    generation = models.CharField("版本", max_length=20, blank=True)
    batches = models.PositiveIntegerField("新批次", default=0)
    enterprises = models.PositiveIntegerField("企业数", default=0)
    linked = models.PositiveBigIntegerField("已关联记录", default=0)
    unlinked = models.PositiveBigIntegerField("未关联记录", default=0)
    review = models.PositiveIntegerField("待复核", default=0)
    touched = models.PositiveIntegerField("更新的企业", default=0)
    triggered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="触发人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ("-started_at", "-id")
        verbose_name = verbose_name_plural = "档案构建记录"

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.generation}"

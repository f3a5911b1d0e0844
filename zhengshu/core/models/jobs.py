"""Background jobs: the database is the queue (DESIGN §3.7).

A worker claims a queued job with one conditional UPDATE (``status='queued'`` → ``running``) and
works on it only if exactly one row changed, so two workers never run the same job.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengshu.core.models.base import BaseModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "运行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(BaseModel):
    """One unit of background work of a registered kind (see ``zhengshu.core.jobs``)."""

    kind = models.CharField("类型", max_length=100, db_index=True)
    payload = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True)
    department = models.ForeignKey(
        "orgs.Department", verbose_name="所属部门", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    run_after = models.DateTimeField("不早于", null=True, blank=True)
    created = models.DateTimeField("提交时间", auto_now_add=True)
    started = models.DateTimeField("开始时间", null=True, blank=True)
    finished = models.DateTimeField("结束时间", null=True, blank=True)
    worker = models.CharField("执行进程", max_length=100, blank=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    result = models.JSONField("结果", null=True, blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        ordering = ("-created",)
        verbose_name = verbose_name_plural = "后台任务"
        default_permissions = ("view", "add")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

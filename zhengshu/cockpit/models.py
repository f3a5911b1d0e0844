"""The cockpit stores no figures (they are computed from the other apps); it records each annual report that
was generated from the pages, and its model carries the permissions: ``view`` opens the cockpit and the
figures API, ``add`` generates and downloads the annual report."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengshu.core.models import ChangeLoggedModel


class AnnualReport(ChangeLoggedModel):
    """One generated annual report (年度报告): who generated it, for which year, with which figures."""

    year = models.PositiveIntegerField("年度", db_index=True)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="生成人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField("文件名", max_length=100)
    digest = models.CharField("文件摘要（SM3）", max_length=64)
    figures = models.JSONField("指标值", default=dict, help_text="生成时的全部指标值：{key: value}")

    class Meta:
        ordering = ("-created", "-id")
        verbose_name = verbose_name_plural = "年度报告"

    def __str__(self) -> str:
        return f"{self.year} 年度报告（{self.filename}）"

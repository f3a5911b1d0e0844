"""Working-day calendar overrides (工作日调整).

The national calendar comes from the ``chinesecalendar`` package (法定节假日 and 调休). This table
adds what the package lacks: years it has no data for (published by 国务院办公厅 each November),
and local closures of one service hall (a department), e.g. a town centre closed for a move.
"""

from __future__ import annotations

from django.db import models

from zhengshu.core.models.base import PrimaryModel


class DayKind(models.TextChoices):
    WORKDAY = "workday", "工作日"
    HOLIDAY = "holiday", "休息日"


class CalendarOverride(PrimaryModel):
    """One day declared a workday or a day off, city-wide or for the owning department only."""

    date = models.DateField("日期")
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    citywide = models.BooleanField("全市适用", default=False, help_text="勾选则全市适用；否则仅所属部门适用")
    reason = models.CharField("原因", max_length=200)

    class Meta:
        ordering = ("-date",)
        verbose_name = verbose_name_plural = "工作日调整"
        constraints = [
            models.UniqueConstraint(fields=("date", "department", "citywide"), name="core_calendar_unique_day"),
        ]

    def __str__(self) -> str:
        scope = "全市" if self.citywide else str(self.department)
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}（{scope}）"

"""Working days (工作日) with Chinese holidays and 调休, for every time limit the platform counts.

The national calendar is the ``chinesecalendar`` package; ``CalendarOverride`` rows (city-wide, or
for one department's service hall) take precedence, and cover years the package does not know yet.
A system check (``zs.W010``) warns when next year has neither.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

import chinese_calendar
from django.db.models import Q

from zhengshu.core.models import CalendarOverride, DayKind


class CalendarUnknown(Exception):
    """The year is outside both the package's data and the override table."""


@cache
def covered_years() -> frozenset[int]:
    """Years the national calendar package carries data for (fixed for the process's life)."""
    return frozenset({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})


class _Calendar:
    """The working days of one department (or the city) between two dates, read with two queries.

    A year the package lacks counts as known once city-wide days have been entered for it; a
    department's own closures alone do not make a year known.
    """

    def __init__(self, start: date, end: date, department_id: int | None):
        scope = Q(citywide=True)
        if department_id is not None:
            scope |= Q(department_id=department_id, citywide=False)
        rows = CalendarOverride.objects.filter(scope, date__range=(start, end))
        # City-wide days first, then the department's, so a local closure wins.
        self.overrides = {day: kind == DayKind.WORKDAY
                          for day, kind in rows.order_by("-citywide").values_list("date", "kind")}
        years = range(start.year, end.year + 1)
        unknown = [y for y in years if y not in covered_years()]
        entered = set()
        if unknown:
            entered = {d.year for d in CalendarOverride.objects.filter(citywide=True, date__year__in=unknown)
                       .dates("date", "year")}
        self.known = covered_years() | entered

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year not in self.known:
            raise CalendarUnknown(f"{day.year} 年的节假日安排尚未录入：请在“工作日调整”中录入国务院办公厅公布的安排")
        if day.year in covered_years():
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5  # the year's 法定节假日 are entered as overrides


def is_workday(day: date, *, department_id: int | None = None) -> bool:
    return _Calendar(day, day, department_id).is_workday(day)


def add_workdays(start: date, days: int, *, department_id: int | None = None) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted), e.g. a 承诺时限's end."""
    if days < 0:
        raise ValueError("工作日数不能为负")
    span = timedelta(days=days * 3 + 30)  # enough for any run of holidays; read again if ever exhausted
    current, counted, horizon = start, 0, start
    while counted < days:
        current += timedelta(days=1)
        if current > horizon:
            horizon = current + span
            calendar = _Calendar(current, horizon, department_id)
        counted += calendar.is_workday(current)
    return current


def workdays_between(start: date, end: date, *, department_id: int | None = None) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
    if end <= start:
        return 0
    calendar = _Calendar(start, end, department_id)
    return sum(calendar.is_workday(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))

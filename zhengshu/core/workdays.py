"""Working days (工作日) with Chinese holidays and 调休, for every time limit the platform counts.

The national calendar is the ``chinesecalendar`` package; ``CalendarOverride`` rows (city-wide, or
for one department's service hall) take precedence, and cover years the package does not know yet.
A system check (``zs.W010``) warns when next year has neither.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
from django.db.models import Q

from zhengshu.core.models import CalendarOverride, DayKind


class CalendarUnknown(Exception):
    """The year is outside both the package's data and the override table."""


def covered_years() -> set[int]:
    """Years the national calendar package carries data for."""
    return {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}


def _overrides(start: date, end: date, department_id: int | None) -> dict[date, bool]:
    scope = Q(citywide=True)
    if department_id is not None:
        scope |= Q(department_id=department_id, citywide=False)
    result: dict[date, bool] = {}
    # Department-specific days are applied after city-wide ones, so a local closure wins.
    for day, kind, citywide in (
        CalendarOverride.objects.filter(scope, date__range=(start, end))
        .order_by("-citywide").values_list("date", "kind", "citywide")
    ):
        result[day] = kind == DayKind.WORKDAY
    return result


def _national(day: date, known: set[int], overridden_years: set[int]) -> bool:
    if day.year in known:
        return chinese_calendar.is_workday(day)
    if day.year in overridden_years:
        return day.weekday() < 5  # the year's 法定节假日 are entered as overrides
    raise CalendarUnknown(f"{day.year} 年的节假日安排尚未录入：请在“工作日调整”中录入国务院办公厅公布的安排")


def is_workday(day: date, *, department_id: int | None = None) -> bool:
    override = _overrides(day, day, department_id)
    if day in override:
        return override[day]
    years = set(CalendarOverride.objects.filter(citywide=True, date__year=day.year).dates("date", "year"))
    return _national(day, covered_years(), {d.year for d in years})


def add_workdays(start: date, days: int, *, department_id: int | None = None) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted), e.g. a 承诺时限's end."""
    if days < 0:
        raise ValueError("工作日数不能为负")
    horizon = start + timedelta(days=days * 3 + 30)
    overrides = _overrides(start, horizon, department_id)
    known = covered_years()
    override_years = {d.year for d in overrides}
    current, counted = start, 0
    while counted < days:
        current += timedelta(days=1)
        if current > horizon:
            horizon = current + timedelta(days=days * 3 + 30)
            overrides.update(_overrides(current, horizon, department_id))
            override_years |= {d.year for d in overrides}
        workday = overrides[current] if current in overrides else _national(current, known, override_years)
        counted += workday
    return current


def workdays_between(start: date, end: date, *, department_id: int | None = None) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
    if end <= start:
        return 0
    overrides = _overrides(start, end, department_id)
    known, override_years = covered_years(), {d.year for d in overrides}
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        count += overrides[current] if current in overrides else _national(current, known, override_years)
    return count

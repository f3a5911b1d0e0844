"""The case clock: due dates in working days (or calendar days) on the core calendar.

Rules (行政许可法 第四十二、四十五、八十二条):

- The clock starts on the day of 受理 and that day is not counted (day 1 is the next working day).
- A limit in working days ends on the N-th working day after the start (``core.workdays.add_workdays``).
- A limit in calendar days ends N days after the start; when that day is not a working day, the limit ends on
  the next working day (a period whose last day is a holiday ends on the first day after it).
- 补正 happens before 受理, so its time never enters the clock.
- 特别程序 other than 延长审批 stops the clock: the working days (calendar days for a calendar-day limit) after
  the start of the procedure up to and including its end are not counted; the due dates move by that many.
- 延长审批 adds its days to the limits; the clock keeps running.
- 即办件: the promised due date is the day of 受理.
- Warning at 80 %: the day on which 80 % (rounded up) of the promised time is used.
- A year whose holidays are not known yet (beyond the national package, no city-wide overrides entered)
  counts Monday–Friday as working days; the clock record says the due date is an estimate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from zhengshu.core.workdays import CalendarUnknown, add_workdays, covered_years, is_workday, workdays_between

WORKDAY = "workday"
CALENDAR_DAY = "calendar_day"


def _workday_or_estimate(day: date, department_id: int | None) -> bool:
    try:
        return is_workday(day, department_id=department_id)
    except CalendarUnknown:
        return day.weekday() < 5


def add_days(start: date, days: int, unit: str, *, department_id: int | None = None) -> date:
    """The last day of a period of ``days`` in ``unit`` starting after ``start``.

    A period reaching into a year whose holidays are not yet known (neither in the national package nor
    entered as overrides, e.g. in December before the State Council notice) is estimated with weekends
    only for that year; the due date is recomputed at the next clock change.
    """
    if unit == CALENDAR_DAY:
        end = start + timedelta(days=days)
        while days and not _workday_or_estimate(end, department_id):
            end += timedelta(days=1)
        return end
    try:
        return add_workdays(start, days, department_id=department_id)
    except CalendarUnknown:
        current, counted = start, 0
        while counted < days:
            current += timedelta(days=1)
            counted += _workday_or_estimate(current, department_id)
        return current


def days_between(start: date, end: date, unit: str, *, department_id: int | None = None) -> int:
    """Days of ``unit`` after ``start`` up to and including ``end`` (estimated like ``add_days`` in an
    unknown year)."""
    if unit == CALENDAR_DAY:
        return max((end - start).days, 0)
    try:
        return workdays_between(start, end, department_id=department_id)
    except CalendarUnknown:
        return sum(_workday_or_estimate(start + timedelta(days=i), department_id)
                   for i in range(1, (end - start).days + 1))


def unknown_years(*days: date | None) -> list[int]:
    """The years among ``days`` whose holidays are neither in the national package nor entered city-wide:
    a due date in such a year is an estimate (weekends only) until the year's 安排 is entered."""
    from zhengshu.core.models import CalendarOverride

    years = sorted({d.year for d in days if d is not None} - covered_years())
    if not years:
        return []
    rows = CalendarOverride.objects.filter(citywide=True, date__year__in=years)
    entered = {d.year for d in rows.dates("date", "year")}
    return [y for y in years if y not in entered]


@dataclass(frozen=True)
class Due:
    legal: date | None
    promised: date | None
    warn: date | None


def due_dates(*, accepted_on: date, legal_limit: int | None, legal_unit: str, promised_limit: int | None,
              promised_unit: str, is_immediate: bool, extension_days: int = 0, paused_days: int = 0,
              department_id: int | None = None, warn_ratio: float = 0.8) -> Due:
    """Legal, promised and warning dates of a case accepted on ``accepted_on``."""
    shift = extension_days + paused_days
    legal = None
    if legal_limit is not None:
        legal = add_days(accepted_on, legal_limit + shift, legal_unit, department_id=department_id)
    if is_immediate:
        promised = add_days(accepted_on, shift, promised_unit, department_id=department_id) if shift else accepted_on
        return Due(legal, promised, promised)
    limit, unit = (promised_limit, promised_unit) if promised_limit is not None else (legal_limit, legal_unit)
    if limit is None:
        return Due(legal, None, None)
    promised = add_days(accepted_on, limit + shift, unit, department_id=department_id)
    warn_days = math.ceil((limit + extension_days) * warn_ratio) + paused_days
    warn = add_days(accepted_on, warn_days, unit, department_id=department_id)
    return Due(legal, promised, min(warn, promised))


def paused_length(started_on: date, ended_on: date, unit: str, *, department_id: int | None = None) -> int:
    """Days not counted for a 特别程序 running from ``started_on`` to ``ended_on``."""
    return days_between(started_on, ended_on, unit, department_id=department_id)


def warning(case, today: date) -> str:
    """'' (normal), 'warn' (80 % used) or 'overdue' for an open case; '' for one not on a clock."""
    from zhengshu.cases.choices import OPEN_STATUSES, CaseStatus

    if case.status not in OPEN_STATUSES or case.promised_due is None:
        return ""
    if case.status == CaseStatus.SUSPENDED and case.paused_since is not None:
        return ""  # the clock stands still
    if today > case.promised_due:
        return "overdue"
    if case.warn_on is not None and today >= case.warn_on:
        return "warn"
    return ""

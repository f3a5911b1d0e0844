"""The figures: update cycles, delivery deadlines, timeliness, quality metrics and the score.

Definitions (also in ``docs/apps/datagov.md``), all "as of the end of day A":

- due cycle: the latest update cycle of the resource whose delivery deadline is on or before A
  (deadline = the cycle's last day plus ``delivery_workdays`` working days) and which starts on or
  after ``due_since``. A resource without one is 尚未到期 (not due).
- timeliness status: 按期 when a delivery was committed in the cycle's delivery window (from the
  start of its last part — the day itself; Friday of a week; the 21st of a month; the last month of a
  quarter; 1 October of a year — to the deadline); 逾期交付 when one came after the deadline (up to A);
  未交付 otherwise. A delivery early in a cycle is taken to be the previous cycle's data.
- completeness = 1 − empty cells ÷ (rows read × data items); validity = 1 − rows rejected by a
  rule or a wrong column count ÷ rows read; uniqueness = 1 − key duplicates ÷ rows read — over the
  batches committed in the last ``quality_window_days`` days (or the latest batch when none).
- timeliness = 1 (按期), ``late_timeliness`` (逾期交付), 0 (未交付).
- score = 100 × Σ wᵢ·mᵢ ÷ Σ wᵢ over the metrics that have a value (weights are policy data).
- aggregated: 按期 (rate basis "on time") or 按期/逾期交付 (rate basis "delivered").
- aggregation rate = aggregated resources ÷ due resources.
- failing (不达标) = due and 未交付, or score below the pass score (a late delivery lowers the rate and
  the timeliness score, and is no longer "failing" once it has arrived).
- rectified (整改到位, for reinstatement) = the due cycle delivered 按期 and the score passes.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from zhengshu.core.workdays import CalendarUnknown, add_workdays
from zhengshu.datagov.choices import RateBasis, Timeliness, UpdateCycle


def month_end(day: date) -> date:
    first_next = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_next - timedelta(days=1)


def cycle_bounds(cycle: str, day: date) -> tuple[date, date]:
    """The update cycle of ``cycle`` kind that contains ``day``."""
    if cycle in (UpdateCycle.REALTIME, UpdateCycle.DAILY):
        return day, day
    if cycle == UpdateCycle.WEEKLY:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if cycle == UpdateCycle.MONTHLY:
        return day.replace(day=1), month_end(day)
    if cycle == UpdateCycle.QUARTERLY:
        first_month = (day.month - 1) // 3 * 3 + 1
        start = day.replace(month=first_month, day=1)
        return start, month_end(start.replace(month=first_month + 2))
    if cycle == UpdateCycle.YEARLY:
        return day.replace(month=1, day=1), day.replace(month=12, day=31)
    raise ValueError(f"未知的更新周期：{cycle}")


def window_opens(cycle: str, start: date, end: date) -> date:
    """First day a delivery counts for the cycle [start, end]: its last part (the day; Friday; the
    last 旬; the last month; the fourth quarter). A delivery early in a cycle is the previous cycle's."""
    if cycle in (UpdateCycle.REALTIME, UpdateCycle.DAILY):
        return end
    if cycle == UpdateCycle.WEEKLY:
        return end - timedelta(days=2)
    if cycle == UpdateCycle.MONTHLY:
        return end.replace(day=21)
    if cycle == UpdateCycle.QUARTERLY:
        return end.replace(day=1)
    return end.replace(month=10, day=1)


def period_text(start: date, end: date) -> str:
    """An update cycle as people say it: one day for a daily cycle, else from … to …."""
    return f"{start}" if start == end else f"{start}至{end}"


def dekad_bounds(day: date) -> tuple[date, date]:
    """The 旬 containing ``day``: 1–10, 11–20, 21–end of month."""
    if day.day <= 10:
        return day.replace(day=1), day.replace(day=10)
    if day.day <= 20:
        return day.replace(day=11), day.replace(day=20)
    return day.replace(day=21), month_end(day)


def dekad_label(start: date) -> str:
    part = {1: "上旬", 11: "中旬", 21: "下旬"}[start.day]
    return f"{start.year}年{start.month}月{part}"


class Deadlines:
    """``cycle end + n working days``, cached; years the calendar does not know count Monday–Friday."""

    def __init__(self):
        self.cache: dict[tuple[date, int], date] = {}
        self.fallback_years: set[int] = set()

    def __call__(self, end: date, workdays: int) -> date:
        key = (end, workdays)
        if key not in self.cache:
            try:
                self.cache[key] = add_workdays(end, workdays)
            except CalendarUnknown:
                current, counted = end, 0
                while counted < workdays:
                    current += timedelta(days=1)
                    counted += current.weekday() < 5
                self.fallback_years.add(current.year)
                self.cache[key] = current
        return self.cache[key]


@dataclass
class Figures:
    """One resource as of one day (becomes a ``QualitySnapshot``)."""

    day: date
    resource_id: int
    department_id: int
    total_records: int = 0
    batches: int = 0
    last_delivery: datetime | None = None
    cycle_start: date | None = None
    cycle_end: date | None = None
    deadline: date | None = None
    timeliness_status: str = Timeliness.NOT_DUE
    completeness: float | None = None
    validity: float | None = None
    uniqueness: float | None = None
    timeliness: float | None = None
    score: float = 0.0
    due: bool = False
    aggregated: bool = False
    failing: bool = False
    problems: list = field(default_factory=list)


@dataclass
class _Series:
    """A resource's deliveries in commit order, with running sums for window queries."""

    days: list = field(default_factory=list)
    times: list = field(default_factory=list)
    # running sums: read, bad (rejected - duplicates), duplicates, null cells, cells, new records
    sums: list = field(default_factory=lambda: [(0, 0, 0, 0, 0, 0)])

    def add(self, when: datetime, read, rejected, duplicates, null_cells, item_count, new_records):
        r, b, d, n, c, t = self.sums[-1]
        self.days.append(timezone.localdate(when) if timezone.is_aware(when) else when.date())
        self.times.append(when)
        self.sums.append((r + read, b + max(rejected - duplicates, 0), d + duplicates, n + null_cells,
                          c + read * item_count, t + new_records))

    def upto(self, day: date) -> int:
        """Number of deliveries committed on or before ``day``."""
        return bisect.bisect_right(self.days, day)

    def window(self, lo: int, hi: int):
        a, b = self.sums[lo], self.sums[hi]
        return tuple(y - x for x, y in zip(a, b, strict=True))


class Evaluator:
    """Evaluates every registered resource on any day from deliveries loaded once (fast for a year)."""

    def __init__(self, policy, resources, deliveries):
        self.policy = policy
        self.resources = list(resources)
        self.deadlines = Deadlines()
        self.series: dict[int, _Series] = defaultdict(_Series)
        for d in sorted(deliveries, key=lambda d: d.committed_at):
            if d.resource_id is not None:
                self.series[d.resource_id].add(d.committed_at, d.read, d.rejected, d.duplicates, d.null_cells,
                                               d.item_count, d.new_records)
        weights = {
            "completeness": float(policy.weight_completeness), "validity": float(policy.weight_validity),
            "uniqueness": float(policy.weight_uniqueness), "timeliness": float(policy.weight_timeliness),
        }
        self.weights = weights

    def due_cycle(self, resource, day: date) -> tuple[date, date, date] | None:
        """(start, end, deadline) of the latest cycle whose deadline is on or before ``day``."""
        start, end = cycle_bounds(resource.update_cycle, day)
        for _ in range(60):  # walk back from the current cycle; deadlines are a few working days
            deadline = self.deadlines(end, resource.delivery_workdays)
            if deadline <= day:
                return (start, end, deadline) if start >= resource.due_since else None
            start, end = cycle_bounds(resource.update_cycle, start - timedelta(days=1))
        return None

    def evaluate(self, resource, day: date) -> Figures:
        policy = self.policy
        s = self.series.get(resource.pk) or _Series()
        n = s.upto(day)
        fig = Figures(day=day, resource_id=resource.pk, department_id=resource.department_id)
        fig.batches = n
        fig.total_records = s.sums[n][5]
        fig.last_delivery = s.times[n - 1] if n else None
        cycle = self.due_cycle(resource, day) if resource.is_active and resource.due_since <= day else None
        if cycle is not None:
            fig.cycle_start, fig.cycle_end, fig.deadline = cycle
            fig.due = True
            lo = bisect.bisect_left(s.days, window_opens(resource.update_cycle, cycle[0], cycle[1]))
            in_time = s.upto(cycle[2])
            if in_time > lo:
                fig.timeliness_status, fig.timeliness = Timeliness.ON_TIME, 1.0
            elif n > in_time:
                fig.timeliness_status, fig.timeliness = Timeliness.LATE, float(policy.late_timeliness)
            else:
                fig.timeliness_status, fig.timeliness = Timeliness.MISSING, 0.0
            fig.aggregated = fig.timeliness_status == Timeliness.ON_TIME or (
                policy.rate_basis == RateBasis.DELIVERED and fig.timeliness_status == Timeliness.LATE)
        if n:
            lo = bisect.bisect_right(s.days, day - timedelta(days=policy.quality_window_days))
            lo = min(lo, n - 1)
            read, bad, dups, nulls, cells, _new = s.window(lo, n)
            if read:
                fig.completeness = 1 - nulls / cells if cells else 1.0
                fig.validity = 1 - bad / read
                fig.uniqueness = 1 - dups / read
        parts = [(self.weights[k], getattr(fig, k)) for k in ("completeness", "validity", "uniqueness", "timeliness")]
        parts = [(w, v) for w, v in parts if v is not None]
        total = sum(w for w, _ in parts)
        fig.score = round(100 * sum(w * v for w, v in parts) / total, 2) if total else 0.0
        pass_score = float(policy.pass_score)
        if fig.due and fig.timeliness_status == Timeliness.MISSING:
            fig.problems.append(f"{period_text(fig.cycle_start, fig.cycle_end)}的数据未交付（截止 {fig.deadline}）")
        if n and fig.score < pass_score:
            fig.problems.append(f"质量得分 {fig.score:.1f} 低于达标线 {pass_score:.0f}")
        fig.failing = bool(fig.problems)
        return fig


def rectified(fig: Figures, policy) -> bool:
    """整改到位: the due cycle was delivered on time (or nothing is due yet) and the score passes."""
    on_time = not fig.due or fig.timeliness_status == Timeliness.ON_TIME
    return on_time and fig.score >= float(policy.pass_score)

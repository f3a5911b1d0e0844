"""The inspection regime 周提醒·旬通报·月停机, date-driven and idempotent.

``inspect_day(D)`` is what the worker runs every day (and ``zhengshu datagov inspect --date D``):

1. copy new batches of the pipeline store into ``Delivery`` rows;
2. take every registered resource's snapshot as of the end of D−1 (a re-run overwrites the same rows);
3. 周提醒 — on the first working day on or after the policy's weekday, one reminder per department
   that has late or failing resources (at most one per department and week);
4. 旬通报 — the bulletin of the latest completed 旬 (1–10, 11–20, 21–end), once, on the first working day
   after it (an official document is not dated on a weekend or holiday), when snapshots exist for it;
5. 月停机 — for the month before D: a resource whose every daily snapshot of that month is failing gets a
   proposed shutdown order (an application when all its resources failed), once per target and month.

The records it creates are keyed by (department, week), 旬 and (target, month), so running a day
again creates nothing new; its own ``InspectionRun`` row counts the runs.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q

from zhengshu.core.workdays import CalendarUnknown, is_workday
from zhengshu.datagov.choices import ShutdownStatus, ShutdownTarget
from zhengshu.datagov.quality import Deadlines, Evaluator, dekad_bounds, dekad_label, month_end

SNAPSHOT_FIELDS = (
    "department_id", "total_records", "batches", "last_delivery", "cycle_start", "cycle_end", "deadline",
    "timeliness_status", "completeness", "validity", "uniqueness", "timeliness", "score", "due", "aggregated",
    "failing", "problems",
)


def get_policy():
    from zhengshu.datagov.models import GovernancePolicy

    policy = GovernancePolicy.objects.filter(code="default").first()
    if policy is None:
        policy = GovernancePolicy(code="default")
        policy.save()
    return policy


class _Batch:
    """The few fields of a delivery the evaluator needs (loaded as tuples: a year of batches in a second)."""

    __slots__ = ("resource_id", "committed_at", "read", "rejected", "duplicates", "null_cells", "item_count",
                 "new_records")

    def __init__(self, resource_id, committed_at, read, rejected, duplicates, null_cells, item_count, accepted,
                 new_versions):
        self.resource_id, self.committed_at, self.read, self.rejected = resource_id, committed_at, read, rejected
        self.duplicates, self.null_cells, self.item_count = duplicates, null_cells, item_count
        self.new_records = max(accepted - new_versions, 0)


def evaluator(policy=None, resources=None) -> Evaluator:
    """An evaluator over every registered resource, or over ``resources`` only (their batches only)."""
    from zhengshu.datagov.models import AggregationResource, Delivery

    policy = policy or get_policy()
    rows = Delivery.objects.filter(resource__isnull=False)
    if resources is not None:
        resources = list(resources)
        rows = rows.filter(resource__in=[r.pk for r in resources])
    else:
        resources = AggregationResource.objects.all()
    rows = rows.values_list(
        "resource_id", "committed_at", "read", "rejected", "duplicates", "null_cells", "item_count", "accepted",
        "new_versions")
    return Evaluator(policy, resources, (_Batch(*r) for r in rows.iterator(chunk_size=5000)))


def take_snapshots(day: date, ev: Evaluator) -> int:
    """Write every resource's figures as of the end of ``day`` (insert or overwrite)."""
    return write_snapshots([ev.evaluate(resource, day) for resource in ev.resources])


def write_snapshots(figures) -> int:
    """Upsert snapshot rows with one statement per 2,000 rows (INSERT … ON CONFLICT DO UPDATE, both databases)."""
    import json

    from django.db import connection

    from zhengshu.datagov.models import QualitySnapshot

    ops = connection.ops
    table = connection.ops.quote_name(QualitySnapshot._meta.db_table)
    columns = ("day", "resource_id", *SNAPSHOT_FIELDS)
    json_mark = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    marks = ", ".join(json_mark if c == "problems" else "%s" for c in columns)
    updates = ", ".join(f"{ops.quote_name(c)} = excluded.{ops.quote_name(c)}" for c in SNAPSHOT_FIELDS)
    sql = (f"INSERT INTO {table} ({', '.join(ops.quote_name(c) for c in columns)}) VALUES ({marks}) "
           f"ON CONFLICT ({ops.quote_name('resource_id')}, {ops.quote_name('day')}) DO UPDATE SET {updates}")

    def value(fig, name):
        v = getattr(fig, name)
        if name in ("day", "cycle_start", "cycle_end", "deadline"):
            return ops.adapt_datefield_value(v)
        if name == "last_delivery":
            return ops.adapt_datetimefield_value(v)
        if name == "problems":
            return json.dumps(v, ensure_ascii=False)
        return v

    params = [[value(f, c) for c in columns] for f in figures]
    with connection.cursor() as cursor:
        for i in range(0, len(params), 2000):
            cursor.executemany(sql, params[i:i + 2000])
    return len(params)


def _workday(day: date) -> bool:
    try:
        return is_workday(day)
    except CalendarUnknown:
        return day.weekday() < 5


def _add_workdays(day: date, n: int) -> date:
    """``day`` + ``n`` working days (Monday–Friday in a year the holiday calendar does not know)."""
    return Deadlines()(day, n)


def is_reminder_day(day: date, weekday: int) -> bool:
    """The first working day of ``day``'s week on or after ``weekday`` (a holiday moves it later)."""
    week_start = day - timedelta(days=day.weekday())
    first = week_start + timedelta(days=weekday)
    if day < first:
        return False
    current = first
    while current < day:
        if _workday(current):
            return False
        current += timedelta(days=1)
    return _workday(day)


def send_reminders(day: date, as_of: date, policy) -> tuple[list[dict], int]:
    from zhengshu.datagov.models import QualitySnapshot, Reminder

    week_start = day - timedelta(days=day.weekday())
    failing = (QualitySnapshot.objects.filter(day=as_of, failing=True)
               .select_related("resource", "department").order_by("department__path", "resource__code"))
    by_dept = defaultdict(list)
    for snap in failing:
        by_dept[snap.department].append(snap)
    reply_by = _add_workdays(day, policy.reminder_reply_workdays)
    created, existing = [], 0
    for dept, snaps in by_dept.items():
        if Reminder.objects.filter(department=dept, week_start=week_start).exists():
            existing += 1
            continue
        items = [{"code": s.resource.code, "name": s.resource.name, "status": s.get_timeliness_status_display(),
                  "score": s.score, "problems": s.problems} for s in snaps]
        lines = [f"{i + 1}. {it['name']}（{it['code']}）：{'；'.join(it['problems'])}" for i, it in enumerate(items)]
        message = (f"{dept.name}：截至 {as_of:%Y年%m月%d日}，贵单位有 {len(items)} 项数据资源归集逾期或质量不达标，"
                   f"请于 {reply_by:%Y年%m月%d日}前完成补报或整改。\n" + "\n".join(lines))
        reminder = Reminder(department=dept, day=day, week_start=week_start, items=items, message=message,
                            title=f"{day:%Y年%m月%d日}数据治理周提醒（{len(items)} 项）")
        reminder.save()
        created.append({"department": dept.code, "resources": [it["code"] for it in items]})
    return created, existing


def rank_departments(start: date, end: date) -> tuple[list[dict], dict]:
    """The departments over [start, end] from the daily snapshots, best first."""
    from zhengshu.datagov.models import QualitySnapshot

    from zhengshu.orgs.models import Department

    snaps = QualitySnapshot.objects.filter(day__range=(start, end))
    acc: dict[int, dict] = {}
    last_day = snaps.order_by("-day").values_list("day", flat=True).first()
    rows = snaps.values_list("department_id", "resource_id", "day", "due", "aggregated", "score", "failing",
                             "total_records")
    names = {}
    for dept_id, resource_id, day, due, aggregated, score, failing, records in rows.iterator(chunk_size=5000):
        row = acc.get(dept_id)
        if row is None:
            if not names:
                names = dict(Department.objects.filter(pk__in=snaps.values("department_id"))
                             .values_list("pk", "name").order_by())
                codes = dict(Department.objects.filter(pk__in=snaps.values("department_id"))
                             .values_list("pk", "code").order_by())
            row = acc[dept_id] = {"department": names[dept_id], "department_code": codes[dept_id], "resources": set(),
                                  "due": 0, "aggregated": 0, "score_sum": 0.0, "days": 0, "failing": set(),
                                  "records": 0}
        row["resources"].add(resource_id)
        row["due"] += bool(due)
        row["aggregated"] += bool(aggregated)
        row["score_sum"] += score
        row["days"] += 1
        if day == last_day:
            row["records"] += records
            if failing:
                row["failing"].add(resource_id)
    ranking = []
    for row in acc.values():
        rate = row["aggregated"] / row["due"] if row["due"] else None
        ranking.append({
            "department": row["department"], "department_code": row["department_code"],
            "resources": len(row["resources"]), "due_days": row["due"], "aggregated_days": row["aggregated"],
            "rate": round(rate, 4) if rate is not None else None,
            "score": round(row["score_sum"] / row["days"], 2) if row["days"] else 0.0,
            "failing": len(row["failing"]), "records": row["records"],
        })
    ranking.sort(key=lambda r: (-r["score"], -(r["rate"] if r["rate"] is not None else 1), r["department_code"]))
    for i, row in enumerate(ranking, start=1):
        row["rank"] = i
    due = sum(r["due_days"] for r in ranking)
    summary = {
        "departments": len(ranking), "resources": sum(r["resources"] for r in ranking),
        "rate": round(sum(r["aggregated_days"] for r in ranking) / due, 4) if due else None,
        "score": round(sum(r["score"] for r in ranking) / len(ranking), 2) if ranking else None,
        "failing": sum(r["failing"] for r in ranking), "records": sum(r["records"] for r in ranking),
        "as_of": last_day.isoformat() if last_day else None,
    }
    return ranking, summary


def first_workday_after(day: date) -> date:
    """The first working day after ``day`` (weekends and public holidays skipped, make-up days count)."""
    current = day + timedelta(days=1)
    while not _workday(current):
        current += timedelta(days=1)
    return current


def issue_bulletin(day: date):
    """The bulletin of the latest 旬 completed before ``day``, issued on the first working day after that
    旬 (or later, when the inspection did not run then); None when it exists, is not due yet or has no data."""
    from zhengshu.datagov.models import Bulletin, QualitySnapshot

    start, end = dekad_bounds(dekad_bounds(day)[0] - timedelta(days=1))
    if day < first_workday_after(end):
        return None
    if Bulletin.objects.filter(period_start=start).exists():
        return None
    if not QualitySnapshot.objects.filter(day__range=(start, end)).exists():
        return None
    ranking, summary = rank_departments(start, end)
    bulletin = Bulletin(period_start=start, period_end=end, issued_on=day, ranking=ranking, summary=summary,
                        title=f"海宁市公共数据归集治理{dekad_label(start)}通报")
    bulletin.save()
    return bulletin


def _next_number(month: date) -> str:
    from zhengshu.datagov.models import ShutdownOrder

    prefix = f"TJ{month:%Y%m}-"
    taken = ShutdownOrder.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{taken + 1:03d}"


def propose_shutdowns(day: date) -> list[str]:
    """Orders for the month before ``day``: targets failing on every day of it (snapshots for every day)."""
    from zhengshu.datagov.models import AggregationResource, QualitySnapshot, ShutdownOrder

    month = (day.replace(day=1) - timedelta(days=1)).replace(day=1)
    last = month_end(month)
    days = (last - month).days + 1
    stats = (QualitySnapshot.objects.filter(day__range=(month, last)).values("resource_id")
             .annotate(n=Count("id"), bad=Count("id", filter=Q(failing=True))))
    whole = {s["resource_id"] for s in stats if s["n"] == days and s["bad"] == days}
    covered = {s["resource_id"] for s in stats if s["n"] == days}
    if not whole:
        return []
    resources = {r.pk: r for r in AggregationResource.objects.filter(pk__in=covered)}
    by_app = defaultdict(list)
    for r in resources.values():
        if r.application:
            by_app[r.application].append(r)
    targets = []  # (kind, resource or None, application, members)
    in_app = set()
    for app, members in sorted(by_app.items()):
        if len(members) > 1 and all(m.pk in whole for m in members):
            targets.append((ShutdownTarget.APPLICATION, None, app, members))
            in_app |= {m.pk for m in members}
    for pk in sorted(whole - in_app):
        targets.append((ShutdownTarget.RESOURCE, resources[pk], "", [resources[pk]]))
    open_states = (ShutdownStatus.PROPOSED, ShutdownStatus.APPROVED)
    created = []
    for kind, resource, app, members in targets:
        code = resource.code if resource else ""
        key = {"target_kind": kind, "resource_code": code, "application": app}
        if ShutdownOrder.objects.filter(**key, month=month).exists():
            continue
        if ShutdownOrder.objects.filter(**key, status__in=open_states).exists():
            continue  # already under an order: rectification goes on, no second order
        problems = {}
        for m in members:
            snap = QualitySnapshot.objects.filter(resource=m, day=last).first()
            problems[m.code] = snap.problems if snap else []
        name = resource.name if resource else f"{app}（{len(members)} 项资源）"
        first = members[0]
        order = ShutdownOrder(
            number=_next_number(month), month=month, target_kind=kind, resource_code=code, application=app,
            target_name=name, department_id=first.department_id, proposed_on=day,
            reason=(f"{month:%Y年%m月}全月（{days} 天）每日巡查均不达标：归集逾期或质量得分低于达标线。"
                    f"依据“月停机”规定，提请停止其数据共享与调用，待整改复核后恢复。"),
            evidence={"month": month.isoformat(), "days": days, "resources": [m.code for m in members],
                      "problems": problems},
        )
        order.save()
        created.append(order.number)
    return created


def inspect_day(day: date, *, store=None) -> dict:
    """Run ``day``'s inspection; safe to run again (see the module docstring)."""
    return inspect_days(day, day, store=store)[0]


def inspect_days(start: date, end: date, *, store=None) -> list[dict]:
    """Run the inspection of every day from ``start`` to ``end`` in order (deliveries read once)."""
    from zhengshu.datagov.lake import sync_deliveries

    policy = get_policy()
    with transaction.atomic():
        synced = sync_deliveries(store)
    ev = evaluator(policy)
    span = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    with transaction.atomic():  # every day's snapshot first: a day's actions read only earlier snapshots
        counts = {day: take_snapshots(day - timedelta(days=1), ev) for day in span}
    results = []
    for day in span:
        with transaction.atomic():
            results.append(_inspect(day, ev, policy, synced, counts[day]))
    return results


def _inspect(day: date, ev: Evaluator, policy, synced: dict, count: int) -> dict:
    from zhengshu.datagov.models import InspectionRun, QualitySnapshot

    as_of = day - timedelta(days=1)
    snaps = QualitySnapshot.objects.filter(day=as_of)
    due = snaps.filter(due=True).count()
    on_time = snaps.filter(due=True, aggregated=True).count()
    result = {
        "date": day.isoformat(), "as_of": as_of.isoformat(), "snapshots": count,
        "deliveries_synced": synced["created"], "store": synced["store"],
        "aggregation": {"resources_due": due, "resources_on_time": on_time,
                        "aggregation_rate": round(on_time / due, 4) if due else None},
        "failing": snaps.filter(failing=True).count(),
        "reminders": [], "reminders_existing": 0, "bulletin": None, "shutdown_orders": [],
    }
    if is_reminder_day(day, policy.reminder_weekday):
        result["reminders"], result["reminders_existing"] = send_reminders(day, as_of, policy)
    bulletin = issue_bulletin(day)
    if bulletin is not None:
        result["bulletin"] = {"id": bulletin.pk, "title": bulletin.title,
                              "period": [bulletin.period_start.isoformat(), bulletin.period_end.isoformat()]}
    result["shutdown_orders"] = propose_shutdowns(day)
    if ev.deadlines.fallback_years:
        result["warnings"] = [f"{y} 年节假日未录入，交付期限暂按周一至周五计算" for y in sorted(ev.deadlines.fallback_years)]
    run, _ = InspectionRun.objects.get_or_create(day=day)
    run.runs += 1
    run.result = result
    run.save()
    result["runs"] = run.runs
    return result

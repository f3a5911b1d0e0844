"""Reads other apps may use (the sharing/portal code, the cockpit).

- ``is_shut_down(resource_code=None, application=None)``: True while an approved 月停机 order is in force
  for that resource, for that application, or for the application the resource belongs to.
- ``aggregation_summary(year=None)``: the aggregation figures as of the end of ``year`` (or today).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils import timezone

from zhengshu.datagov.choices import ShutdownStatus, ShutdownTarget


def is_shut_down(resource_code: str | None = None, application: str | None = None) -> bool:
    """Whether access to the resource (or application) must be refused because of a 月停机 order."""
    from zhengshu.datagov.models import AggregationResource, ShutdownOrder

    if not resource_code and not application:
        return False
    in_force = ShutdownOrder.objects.filter(status=ShutdownStatus.APPROVED)
    q = Q()
    apps = set()
    if application:
        apps.add(application)
    if resource_code:
        q |= Q(target_kind=ShutdownTarget.RESOURCE, resource_code=resource_code)
        owner = AggregationResource.objects.filter(code=resource_code).values_list("application", flat=True).first()
        if owner:
            apps.add(owner)
    if apps:
        q |= Q(target_kind=ShutdownTarget.APPLICATION, application__in=apps)
    return in_force.filter(q).exists()


def aggregation_summary(year: int | None = None) -> dict:
    """Aggregation figures as of the end of ``year`` (today when the year is not over, or None).

    ``{"as_of", "total_records", "aggregation_rate", "resources_due", "resources_on_time",
    "resources", "definition", "by_department": [{"department", "department_code", "resources",
    "resources_due", "resources_on_time", "aggregation_rate", "total_records", "score"}]}``.
    Read from the latest daily snapshot in that year; computed live when there is none.
    """
    from zhengshu.datagov.models import QualitySnapshot
    from zhengshu.datagov.regime import evaluator, get_policy

    today = timezone.localdate()
    end = today if year is None or year >= today.year else date(year, 12, 31)
    start = date(year, 1, 1) if year is not None else None
    policy = get_policy()
    snaps = QualitySnapshot.objects.filter(day__lte=end)
    if start is not None:
        snaps = snaps.filter(day__gte=start)
    as_of = snaps.order_by("-day").values_list("day", flat=True).first()
    rows = []
    if as_of is not None:
        for s in QualitySnapshot.objects.filter(day=as_of).select_related("department"):
            rows.append((s.department, s.total_records, s.due, s.aggregated, s.score))
    else:
        as_of = end
        ev = evaluator(policy)
        from zhengshu.orgs.models import Department

        departments = {d.pk: d for d in Department.objects.filter(pk__in={r.department_id for r in ev.resources})}
        for resource in ev.resources:
            fig = ev.evaluate(resource, end)
            rows.append((departments[fig.department_id], fig.total_records, fig.due, fig.aggregated, fig.score))
    by_dept: dict[int, dict] = {}
    for dept, records, due, aggregated, score in rows:
        row = by_dept.setdefault(dept.pk, {"department": dept.name, "department_code": dept.code, "resources": 0,
                                           "resources_due": 0, "resources_on_time": 0, "total_records": 0,
                                           "_score": 0.0})
        row["resources"] += 1
        row["resources_due"] += bool(due)
        row["resources_on_time"] += bool(due and aggregated)
        row["total_records"] += records
        row["_score"] += score
    departments = []
    for row in by_dept.values():
        row["aggregation_rate"] = (round(row["resources_on_time"] / row["resources_due"], 4)
                                   if row["resources_due"] else None)
        row["score"] = round(row.pop("_score") / row["resources"], 2)
        departments.append(row)
    departments.sort(key=lambda r: r["department_code"])
    due = sum(r["resources_due"] for r in departments)
    on_time = sum(r["resources_on_time"] for r in departments)
    return {
        "as_of": as_of.isoformat(),
        "total_records": sum(r["total_records"] for r in departments),
        "aggregation_rate": round(on_time / due, 4) if due else None,
        "resources_due": due,
        "resources_on_time": on_time,
        "resources": sum(r["resources"] for r in departments),
        "definition": policy.get_rate_basis_display(),
        "by_department": departments,
    }


# --- added for the cockpit (统筹驾驶舱): the inspection regime and aggregation by month ---------------------


def inspection_counts(year: int) -> dict:
    """The inspection regime's output in ``year``: 周提醒 (by reminder day), 旬通报 (by issue day), 月停机 orders
    (by proposal day; ``shutdowns`` counts the approved ones, in force or since reinstated).

    ``{"reminders", "bulletins", "shutdowns", "shutdowns_proposed", "by_month": [{"month", "reminders",
    "bulletins", "shutdowns"}], "by_department": [{"code", "name", "level", "reminders", "shutdowns"}]}``.
    """
    from django.db.models import Count
    from django.db.models.functions import ExtractMonth

    from zhengshu.datagov.models import Bulletin, Reminder, ShutdownOrder

    months = {m: {"month": m, "reminders": 0, "bulletins": 0, "shutdowns": 0} for m in range(1, 13)}
    reminders = Reminder.objects.filter(day__year=year)
    bulletins = Bulletin.objects.filter(issued_on__year=year)
    proposed = ShutdownOrder.objects.filter(proposed_on__year=year)
    issued = proposed.filter(status__in=(ShutdownStatus.APPROVED, ShutdownStatus.REINSTATED))
    for qs, field, key in ((reminders, "day", "reminders"), (bulletins, "issued_on", "bulletins"),
                           (issued, "proposed_on", "shutdowns")):
        for row in qs.annotate(m=ExtractMonth(field)).values("m").annotate(n=Count("id")):
            months[row["m"]][key] = row["n"]
    departments: dict[str, dict] = {}
    for qs, key in ((reminders, "reminders"), (issued, "shutdowns")):
        for row in qs.values("department__code", "department__name", "department__level").annotate(n=Count("id")):
            entry = departments.setdefault(row["department__code"], {
                "code": row["department__code"], "name": row["department__name"],
                "level": row["department__level"], "reminders": 0, "shutdowns": 0})
            entry[key] = row["n"]
    return {"reminders": reminders.count(), "bulletins": bulletins.count(), "shutdowns": issued.count(),
            "shutdowns_proposed": proposed.count(), "by_month": list(months.values()),
            "by_department": sorted(departments.values(), key=lambda r: r["code"])}


def aggregation_by_month(year: int) -> list[dict]:
    """The aggregation figures at the last daily snapshot of each month of ``year``.

    ``[{"month", "as_of", "total_records", "resources_due", "resources_on_time", "aggregation_rate",
    "score"}]``; a month without snapshots has ``as_of`` None and zeros. Same definitions as
    ``aggregation_summary`` (rate = resources aggregated on time ÷ resources due; score = mean quality score).
    """
    from django.db.models import Avg, Count, Max, Sum

    from zhengshu.datagov.models import QualitySnapshot

    starts = [date(year, m, 1) for m in range(1, 13)] + [date(year + 1, 1, 1)]
    row = QualitySnapshot.objects.filter(day__gte=starts[0], day__lt=starts[12]).aggregate(**{
        f"last_{m}": Max("day", filter=Q(day__gte=starts[m - 1], day__lt=starts[m])) for m in range(1, 13)})
    last_days = {m: row[f"last_{m}"] for m in range(1, 13) if row[f"last_{m}"] is not None}
    figures = {r["day"]: r for r in QualitySnapshot.objects.filter(day__in=list(last_days.values())).values("day")
               .annotate(n_records=Sum("total_records"), n_due=Count("id", filter=Q(due=True)),
                         n_on_time=Count("id", filter=Q(due=True, aggregated=True)), mean_score=Avg("score"))}
    result = []
    for month in range(1, 13):
        day = last_days.get(month)
        if day is None:
            result.append({"month": month, "as_of": None, "total_records": 0, "resources_due": 0,
                           "resources_on_time": 0, "aggregation_rate": None, "score": None})
            continue
        agg = figures[day]
        due, on_time = agg["n_due"], agg["n_on_time"]
        result.append({"month": month, "as_of": day.isoformat(), "total_records": agg["n_records"] or 0,
                       "resources_due": due, "resources_on_time": on_time,
                       "aggregation_rate": round(on_time / due, 4) if due else None,
                       "score": round(agg["mean_score"], 2) if agg["mean_score"] is not None else None})
    return result

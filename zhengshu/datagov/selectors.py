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

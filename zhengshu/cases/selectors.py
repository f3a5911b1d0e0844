"""Reads of the case app that pages, the API, the cockpit and other apps may use."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from zhengshu.cases.choices import OPEN_STATUSES, CaseStatus
from zhengshu.cases.models import Case, PartnerRegion

QUEUES = {
    # key: (label, filter)
    "intake": ("待受理", Q(status__in=(CaseStatus.SUBMITTED, CaseStatus.CORRECTION))),
    "open": ("办理中", Q(status__in=OPEN_STATUSES)),
    "warn": ("预警", None),
    "overdue": ("超期", None),
    "delivery": ("待送达", Q(status=CaseStatus.CONCLUDED)),
    "closed": ("已办结", Q(status__in=(CaseStatus.DELIVERED, CaseStatus.RATED))),
}


def queue(qs, key: str, today: date):
    """Cases of one work queue; 预警 and 超期 are read from the stored due dates (paused cases excluded)."""
    running = qs.filter(status__in=OPEN_STATUSES, paused_since__isnull=True)
    if key == "warn":
        return running.filter(warn_on__lte=today, promised_due__gte=today)
    if key == "overdue":
        return running.filter(promised_due__lt=today)
    return qs.filter(QUEUES[key][1])


def queue_counts(qs, today: date) -> dict[str, int]:
    return {key: queue(qs, key, today).count() for key in QUEUES}


def cases_of_applicant(user):
    return Case.objects.filter(applicant_user=user).select_related("item", "department")


def region_figures(year: int) -> list[dict]:
    """Proxy and cross-region cases per partner region for one year (by application time)."""
    rows = (
        PartnerRegion.objects.filter(receipts__case__submitted_at__year=year)
        .annotate(cases=Count("receipts", distinct=True),
                  concluded=Count("receipts", filter=Q(receipts__case__status__in=(
                      CaseStatus.CONCLUDED, CaseStatus.DELIVERED, CaseStatus.RATED)), distinct=True))
        .select_related("division").order_by("province_code", "division_id")
    )
    return [{"region": str(r), "code": r.division_id, "province": r.province_name, "cases": r.cases,
             "concluded": r.concluded} for r in rows]


def active_flags(id_number: str):
    """Flags (不良信用 / 虚假承诺) of an applicant that have not been lifted."""
    from zhengshu.cases.services import _active_flags

    return _active_flags(id_number)


def merged_form(bundle) -> dict:
    """The merged form of a 一件事: ``{"fields": {name: [items]}, "materials": {name: {"items", "required"}}}``."""
    from zhengshu.cases.services import _merged_form

    return _merged_form(bundle)


def bundle_status(application) -> str:
    """The one overall status of a 一件事 submission."""
    from zhengshu.cases.services import _bundle_status

    return _bundle_status(application)


# --- added for the cockpit (统筹驾驶舱): breakdowns by month, department and town ------------------------


def _month_bounds(year: int) -> list:
    """The 13 local-time instants that bound the months of ``year`` (for range filters the indexes can serve)."""
    from datetime import datetime

    from django.utils import timezone

    tz = timezone.get_current_timezone()
    return [datetime(year, m, 1, tzinfo=tz) for m in range(1, 13)] + [datetime(year + 1, 1, 1, tzinfo=tz)]


def _monthly(qs, field: str, year: int, **extra: Q) -> list[dict]:
    """Counts per month of ``field`` in one query: ``[{"month", "n", <extra name>: count also matching that
    filter}]``. The month is one ``CASE`` over the month bounds (no per-row date function, which SQLite would
    run in Python), and the rows are grouped by it."""
    from django.db.models import Case, IntegerField, Value, When

    bounds = _month_bounds(year)
    distinct = "__" in field  # a date across a join may repeat a row
    month = Case(*[When(**{f"{field}__lt": bounds[m + 1]}, then=Value(m + 1)) for m in range(12)],
                 output_field=IntegerField())
    rows = (qs.filter(**{f"{field}__gte": bounds[0], f"{field}__lt": bounds[12]}).annotate(_month=month)
            .values("_month").order_by()
            .annotate(n=Count("id", distinct=distinct),
                      **{f"x_{name}": Count("id", filter=q, distinct=distinct) for name, q in extra.items()}))
    found = {r["_month"]: r for r in rows}
    return [{"month": m, "n": found.get(m, {}).get("n", 0),
             **{name: found.get(m, {}).get(f"x_{name}", 0) for name in extra}} for m in range(1, 13)]


def case_breakdown(year: int) -> dict:
    """Cases of ``year`` by month and by handling department (towns are the departments of level 镇·街道).

    ``{"by_month": [{"month": 1..12, "submitted", "via_platform", "concluded", "cross_region"}],
    "by_department": [{"code", "name", "level", "submitted", "via_platform", "concluded"}]}``; submitted and
    via_platform count by application time, concluded by conclusion time, cross_region counts 异地代收代办 cases
    (a ``ProxyReceipt``) by application time. Months without cases are listed with zeros.
    """
    from zhengshu.cases.models import ProxyReceipt

    submitted = Case.objects.filter(submitted_at__year=year)
    concluded = Case.objects.filter(concluded_at__year=year)
    by_submission = _monthly(submitted, "submitted_at", year, online=Q(via_platform=True))
    by_conclusion = _monthly(concluded, "concluded_at", year)
    proxies = _monthly(ProxyReceipt.objects.filter(case__submitted_at__year=year), "case__submitted_at", year)
    months = [{"month": a["month"], "submitted": a["n"], "via_platform": a["online"], "concluded": b["n"],
               "cross_region": c["n"]} for a, b, c in zip(by_submission, by_conclusion, proxies)]
    departments: dict[str, dict] = {}
    for row in (submitted.values("department__code", "department__name", "department__level")
                .annotate(n=Count("id"), online=Count("id", filter=Q(via_platform=True)))):
        departments[row["department__code"]] = {
            "code": row["department__code"], "name": row["department__name"], "level": row["department__level"],
            "submitted": row["n"], "via_platform": row["online"], "concluded": 0}
    for row in concluded.values("department__code", "department__name", "department__level").annotate(n=Count("id")):
        entry = departments.setdefault(row["department__code"], {
            "code": row["department__code"], "name": row["department__name"], "level": row["department__level"],
            "submitted": 0, "via_platform": 0, "concluded": 0})
        entry["concluded"] = row["n"]
    return {"by_month": months,
            "by_department": sorted(departments.values(), key=lambda r: (-r["submitted"], r["code"]))}


def metric_breakdown(key: str, year: int) -> dict | None:
    """Numerator and denominator of one case-counting metric (``cases.metrics``) by month and by department.

    The month is that of the metric's own ``$year`` date field (申请时间 for 一网通办率, 办结时间 for 按时办结率,
    评价时间 for 好评率). ``{"key", "by_month": [{"month", "numerator", "denominator"}], "by_department":
    [{"code", "name", "level", "numerator", "denominator"}]}``; None for an unknown key or an item metric.
    """
    from zhengshu.cases import metrics
    from zhengshu.cases.choices import MetricUnit
    from zhengshu.cases.models import MetricDefinition

    metrics.ensure_metric_definitions()
    definition = MetricDefinition.objects.filter(key=key).first()
    if definition is None or definition.unit != MetricUnit.CASES:
        return None
    date_field = (definition.base or {}).get("$year", "submitted_at")
    den = metrics.drill_down(definition, year, None, "denominator")
    num_q = metrics.to_q(definition.numerator)
    months = [{"month": r["month"], "numerator": r["num"], "denominator": r["n"]}
              for r in _monthly(den, date_field, year, num=num_q)]
    rows = (den.values("department__code", "department__name", "department__level")
            .annotate(d=Count("id", distinct=True), n=Count("id", filter=num_q, distinct=True))
            .order_by("department__code"))
    return {"key": key, "by_month": months,
            "by_department": [{"code": r["department__code"], "name": r["department__name"],
                               "level": r["department__level"], "numerator": r["n"], "denominator": r["d"]}
                              for r in rows]}


def cross_region_scope() -> dict:
    """The reach of 异地无忧 today: active partner regions, their provinces, and the items under agreement.

    ``{"provinces", "regions", "items"}``.
    """
    from zhengshu.cases.models import AgreementItem

    regions = PartnerRegion.objects.filter(active=True)
    return {"provinces": regions.values("province_code").distinct().count(), "regions": regions.count(),
            "items": AgreementItem.objects.values("item_id").distinct().count()}


def metric_definitions() -> dict[str, dict]:
    """The metric definitions as edited by the office: ``{key: {"name", "definition", "unit", "kind"}}``."""
    from zhengshu.cases import metrics
    from zhengshu.cases.models import MetricDefinition

    metrics.ensure_metric_definitions()
    return {d.key: {"name": d.name, "definition": d.definition, "unit": d.unit, "kind": d.kind}
            for d in MetricDefinition.objects.all()}

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

"""Timed work of the case app, run by ``zhengshu worker`` (enqueue daily, e.g. from cron)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from zhengshu.core.jobs import job_kind


@job_kind("cases.tolerance_daily")
def tolerance_daily(payload: dict) -> dict:
    """容缺: remind applicants whose promised date is near; terminate cases whose materials are overdue."""
    from zhengshu.cases.services import _remind_and_terminate_tolerances

    today = date.fromisoformat(payload["date"]) if payload.get("date") else timezone.localdate()
    return _remind_and_terminate_tolerances(today)

"""The worker's daily inspection: ``datagov.inspect`` runs one day and queues the next day's run."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from zhengshu.core.jobs import enqueue, job_kind

KIND = "datagov.inspect"
RUN_AT = time(1, 0)  # 01:00 local time: the previous day is complete


def schedule(day: date | None = None):
    """Queue the daily chain starting at ``day`` (today by default) unless a run is already queued."""
    from zhengshu.core.models import Job, JobStatus

    queued = Job.objects.filter(kind=KIND, status=JobStatus.QUEUED).order_by("created").first()
    if queued is not None:
        return queued, False
    day = day or timezone.localdate()
    run_after = timezone.make_aware(datetime.combine(day, RUN_AT))
    return enqueue(KIND, {"date": day.isoformat(), "repeat": True}, run_after=run_after), True


@job_kind(KIND)
def inspect_job(payload: dict) -> dict:
    """Payload ``{"date": "YYYY-MM-DD"}`` (default today); ``"repeat": false`` stops the daily chain."""
    from zhengshu.core.models import Job, JobStatus
    from zhengshu.datagov.regime import inspect_day

    day = date.fromisoformat(payload["date"]) if payload.get("date") else timezone.localdate()
    result = inspect_day(day)
    if payload.get("repeat", True):
        following = (day + timedelta(days=1)).isoformat()
        queued = Job.objects.filter(kind=KIND, status=JobStatus.QUEUED, payload__date=following).exists()
        if not queued:
            run_after = timezone.make_aware(datetime.combine(day + timedelta(days=1), RUN_AT))
            enqueue(KIND, {"date": following, "repeat": True}, run_after=run_after)
            result["next"] = following
    return result

"""Fixtures built through the services: a registry, and deliveries following a schedule."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from zhengshu.datagov.models import AggregationResource
from zhengshu.datagov.permissions import grant_datagov


def grant(p) -> None:
    grant_datagov({name: getattr(p, name) for name in ("clerk_a", "colleague_a", "outsider_b", "town_clerk",
                                                      "dataofficer", "auditor", "supervisor")})
    for name in ("clerk_a", "colleague_a", "outsider_b", "town_clerk", "dataofficer", "auditor"):
        getattr(p, name).clear_permission_cache()


def resource(code, name, department, cycle, workdays=1, application="", since=date(2026, 1, 1)):
    r = AggregationResource(code=code, name=name, department=department, update_cycle=cycle,
                            delivery_workdays=workdays, application=application, due_since=since)
    r.save()
    return r


def at(day: date, hour: int = 20) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def days(start: date, end: date):
    current = start
    while current <= end:
        yield current
        current += timedelta(days=1)


def delivery_row(code: str, day: date, n: int = 0, *, read=1000, rejected=5, duplicates=2, null_cells=10,
                 items=10, hour=20) -> dict:
    return {"resource_code": code, "batch_id": f"{code}-{day:%Y%m%d}-{n}", "committed_at": at(day, hour),
            "read": read, "accepted": read - rejected, "rejected": rejected, "duplicates": duplicates,
            "null_cells": null_cells, "item_count": items, "new_versions": 0, "source_name": "测试报送"}

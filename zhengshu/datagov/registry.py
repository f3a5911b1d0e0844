"""The aggregation registry (归集清单) kept in step with the data resource catalogue.

A published resource of the city's own catalogue is due for aggregation under its catalogue code, so that
the batches the pipeline commits under that code (``zhengshu pipeline ingest … --resource CODE``) count for
it. ``sync_registry`` is the system's own work (the ``zhengshu datagov register`` command); staff then set
the delivery deadline and the application on the registry page.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.utils import timezone

from zhengshu.datagov.choices import UpdateCycle

# Working days after a cycle ends within which a resource must be delivered, until staff set their own.
DEFAULT_WORKDAYS = {UpdateCycle.REALTIME: 1, UpdateCycle.DAILY: 1, UpdateCycle.WEEKLY: 2, UpdateCycle.MONTHLY: 5,
                    UpdateCycle.QUARTERLY: 10, UpdateCycle.YEARLY: 20}


def sync_registry(on: date | None = None) -> dict:
    """Register every aggregation candidate of the catalogue; idempotent.

    New codes are registered as due from ``on`` (today); known codes take the catalogue's current name,
    department and cycle, keeping their deadline, application, start date and whether they are assessed.
    Resources updated half-yearly or irregularly cannot be timed by the registry's cycles and are counted
    under ``skipped``. Returns ``{"candidates", "created", "updated", "skipped": {cycle: n}, "not_in_catalogue"}``.
    """
    from zhengshu.datagov.models import AggregationResource
    from zhengshu.dataresources.selectors import aggregation_candidates

    on = on or timezone.localdate()
    candidates = aggregation_candidates()
    known = {r.code: r for r in AggregationResource.objects.all()}
    created = updated = 0
    skipped: Counter = Counter()
    for cand in candidates:
        cycle = cand["update_cycle"]
        if cycle not in UpdateCycle.values:
            skipped[cycle] += 1
            continue
        resource = known.get(cand["code"])
        if resource is None:
            AggregationResource.objects.create(
                code=cand["code"], name=cand["name"][:200], department_id=cand["department_id"], update_cycle=cycle,
                delivery_workdays=DEFAULT_WORKDAYS[UpdateCycle(cycle)], due_since=on)
            created += 1
            continue
        current = (resource.name, resource.department_id, resource.update_cycle)
        if current != (cand["name"][:200], cand["department_id"], cycle):
            resource.name, resource.department_id, resource.update_cycle = cand["name"][:200], cand["department_id"], cycle
            resource.save()
            updated += 1
    codes = {c["code"] for c in candidates}
    return {"candidates": len(candidates), "created": created, "updated": updated, "skipped": dict(skipped),
            "not_in_catalogue": sum(1 for code in known if code not in codes)}

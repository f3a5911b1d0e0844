"""Every state change of the data-governance app (keyword-only, permission-checked, change-logged).

The daily inspection itself (``regime.inspect_day``) is the system's own work, run by the worker and
the ``datagov inspect`` command in a change context of their own; ``run_inspection`` lets a permitted
user run a day by hand.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from zhengshu.core.services import ServiceError, service
from zhengshu.datagov.choices import RectificationKind, ShutdownStatus, ShutdownTarget


@service(perm="datagov.add_inspectionrun")
def run_inspection(*, actor, day: date, store=None) -> dict:
    """Run one day's inspection (周提醒·旬通报·月停机) now; idempotent."""
    from zhengshu.datagov.regime import inspect_day

    if day > timezone.localdate():
        raise ServiceError(f"不能巡查未来的日期：{day}")
    return inspect_day(day, store=store)


@service(perm="datagov.add_delivery")
def record_deliveries(*, actor, rows: list[dict]) -> int:
    """Record batch figures reported by an outside system (no batch in this lake), e.g. the provincial
    platform's returns. Each row: resource_code, batch_id, committed_at, read, accepted, rejected and
    optionally duplicates, ragged, new_versions, null_cells, item_count, source_name."""
    from zhengshu.datagov.models import AggregationResource, Delivery

    registry = {r.code: r for r in AggregationResource.objects.filter(code__in={r["resource_code"] for r in rows})}
    objs = []
    for i, row in enumerate(rows, start=1):
        resource = registry.get(row["resource_code"])
        if resource is None:
            raise ServiceError(f"第 {i} 条：资源代码 {row['resource_code']} 不在归集清单中")
        read, accepted, rejected = int(row["read"]), int(row["accepted"]), int(row["rejected"])
        if read < 0 or accepted < 0 or rejected < 0 or accepted + rejected != read:
            raise ServiceError(f"第 {i} 条（{row['batch_id']}）：入湖 {accepted} + 拒收 {rejected} ≠ 读取 {read}")
        committed = row["committed_at"]
        if isinstance(committed, datetime) and timezone.is_naive(committed):
            committed = timezone.make_aware(committed)
        objs.append(Delivery(
            batch_id=row["batch_id"], resource=resource, resource_code=resource.code,
            department_id=resource.department_id, committed_at=committed, read=read, accepted=accepted,
            rejected=rejected, duplicates=int(row.get("duplicates", 0)), ragged=int(row.get("ragged", 0)),
            new_versions=int(row.get("new_versions", 0)), null_cells=int(row.get("null_cells", 0)),
            item_count=int(row.get("item_count", 0)), source_name=str(row.get("source_name", ""))[:255],
            in_lake=False,
        ))
    ids = [o.batch_id for o in objs]
    known = set()
    for i in range(0, len(ids), 5000):
        known |= set(Delivery.objects.filter(batch_id__in=ids[i:i + 5000]).values_list("batch_id", flat=True))
    fresh = [o for o in objs if o.batch_id not in known]
    Delivery.objects.bulk_create(fresh, batch_size=1000)
    scope = Delivery.objects.restrict(actor, "add")
    for i in range(0, len(fresh), 5000):  # every new row inside the actor's scope, or nothing is kept
        chunk = [o.batch_id for o in fresh[i:i + 5000]]
        if scope.filter(batch_id__in=chunk).count() != len(chunk):
            raise PermissionDenied("所报批次的资源超出您的数据范围")
    return len(fresh)


@service(perm="datagov.change_reminder", obj="reminder")
def acknowledge_reminder(*, actor, reminder):
    """The department signs for a weekly reminder (签收)."""
    if reminder.acknowledged_at is not None:
        raise ServiceError(f"该提醒已于 {timezone.localtime(reminder.acknowledged_at):%Y-%m-%d %H:%M} 签收")
    reminder.acknowledged_at = timezone.now()
    reminder.acknowledged_by = actor
    reminder.save()
    return reminder


def _day(day: date | None) -> date:
    return day or timezone.localdate()


@service(perm="datagov.approve_shutdownorder", obj="order")
def approve_shutdown(*, actor, order, note: str = "", day: date | None = None):
    """The data office approves a proposed shutdown: access stops, rectification is due."""
    from zhengshu.datagov.regime import _add_workdays, get_policy

    if order.status != ShutdownStatus.PROPOSED:
        raise ServiceError(f"停机单 {order.number} 当前为“{order.get_status_display()}”，不能审批停机")
    day = _day(day)
    order.status = ShutdownStatus.APPROVED
    order.decided_by, order.decided_at, order.decision_note = actor, timezone.now(), note[:500]
    order.effective_from = day
    order.rectify_by = _add_workdays(day, get_policy().rectification_workdays)
    order.save()
    return order


@service(perm="datagov.approve_shutdownorder", obj="order")
def reject_shutdown(*, actor, order, note: str):
    """The data office decides not to shut down (a reason is required)."""
    if order.status != ShutdownStatus.PROPOSED:
        raise ServiceError(f"停机单 {order.number} 当前为“{order.get_status_display()}”，不能作不予停机决定")
    if len((note or "").strip()) < 2:
        raise ServiceError("不予停机须填写理由")
    order.status = ShutdownStatus.REJECTED
    order.decided_by, order.decided_at, order.decision_note = actor, timezone.now(), note.strip()[:500]
    order.save()
    return order


@service(perm="datagov.rectify_shutdownorder", obj="order")
def add_rectification(*, actor, order, note: str, kind: str = RectificationKind.NOTE):
    """The department reports rectification progress, or asks for review (提请复核)."""
    from zhengshu.datagov.models import Rectification

    if order.status != ShutdownStatus.APPROVED:
        raise ServiceError(f"停机单 {order.number} 当前为“{order.get_status_display()}”，无需整改")
    if kind not in (RectificationKind.NOTE, RectificationKind.SUBMITTED):
        raise ServiceError("部门只能填报整改进展或提请复核")
    if len((note or "").strip()) < 2:
        raise ServiceError("整改记录内容不能为空")
    entry = Rectification(order=order, kind=kind, note=note.strip(), author=actor)
    entry.save()
    return entry


def _target_resources(order) -> list:
    from zhengshu.datagov.models import AggregationResource

    if order.target_kind == ShutdownTarget.APPLICATION:
        return list(AggregationResource.objects.filter(application=order.application))
    return list(AggregationResource.objects.filter(code=order.resource_code))


def _still_failing(order, day: date) -> list[str]:
    """The order's resources not rectified as of the end of ``day`` (evaluated now, not from a snapshot)."""
    from zhengshu.datagov.quality import period_text, rectified
    from zhengshu.datagov.regime import evaluator

    targets = _target_resources(order)
    ev = evaluator(resources=targets)
    failing = []
    for resource in targets:
        fig = ev.evaluate(resource, day)
        if not rectified(fig, ev.policy):
            reasons = fig.problems or [
                f"{period_text(fig.cycle_start, fig.cycle_end)}的数据{_status(fig)}（截止 {fig.deadline}）"]
            failing.append(f"{resource.name}（{resource.code}）：{'；'.join(reasons)}")
    return failing


def _status(fig) -> str:
    from zhengshu.datagov.choices import Timeliness

    return Timeliness(fig.timeliness_status).label


@service(perm="datagov.reinstate_shutdownorder", obj="order")
def reinstate_shutdown(*, actor, order, note: str, day: date | None = None):
    """The data office reinstates a rectified target; refused while any of its resources still fails."""
    from zhengshu.datagov.models import Rectification

    if order.status != ShutdownStatus.APPROVED:
        raise ServiceError(f"停机单 {order.number} 当前为“{order.get_status_display()}”，不在停机中")
    day = _day(day)
    failing = _still_failing(order, day)
    if failing:
        raise ServiceError("整改尚未到位，不能恢复：" + "；".join(failing))
    if len((note or "").strip()) < 2:
        raise ServiceError("恢复须填写复核意见")
    Rectification(order=order, kind=RectificationKind.REVIEW, note=f"复核通过：{note.strip()}", author=actor).save()
    order.status = ShutdownStatus.REINSTATED
    order.reinstated_by, order.reinstated_at, order.reinstate_note = actor, timezone.now(), note.strip()[:500]
    order.save()
    return order

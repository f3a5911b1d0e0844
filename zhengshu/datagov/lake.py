"""The pipeline's store as this app sees it: batch figures copied into ``Delivery`` rows, and rejects.

The pipeline package (``zhengshu.pipeline``) owns the lake; this module only reads its manifest
(``Store.batches``) and its quarantine (``Store.rejects``). When the pipeline is not installed the
functions say so in Chinese instead of pretending.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone as dt_timezone
from pathlib import Path

from django.conf import settings
from django.utils import timezone

REJECT_COLUMNS = (("row", "行号"), ("column", "列"), ("rule", "规则"), ("reason", "原因"), ("values", "原始值"))


def store_root() -> Path:
    return Path(settings.DATA_DIR) / "pipeline"


def get_store(root: Path | None = None):
    """The pipeline store, or None when the pipeline package has no store (yet)."""
    try:
        from zhengshu.pipeline.store import Store
    except ImportError:
        return None
    root = Path(root) if root is not None else store_root()
    return Store(root)


def _aware(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, (int, float)):
        value = datetime.fromtimestamp(value, tz=dt_timezone.utc)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt_timezone.utc)
    return value


def delivery_fields(info) -> dict:
    """The ``Delivery`` field values of one ``BatchInfo`` of the pipeline."""
    stats = dict(getattr(info, "stats", None) or {})
    items = stats.get("items") or {}
    return {
        "batch_id": str(info.batch_id),
        "resource_code": str(info.resource),
        "source_name": str(getattr(info, "source_name", "") or "")[:255],
        "committed_at": _aware(info.committed_at),
        "read": int(info.read or 0),
        "accepted": int(info.accepted or 0),
        "rejected": int(info.rejected or 0),
        "duplicates": int(stats.get("duplicates") or 0),
        "ragged": int(stats.get("ragged") or 0),
        "new_versions": int(stats.get("new_versions") or 0),
        "null_cells": int(sum(int((v or {}).get("nulls") or 0) for v in items.values())),
        "item_count": len(items),
        "seconds": float(getattr(info, "seconds", 0) or 0),
        "in_lake": True,
        "stats": _jsonable(stats),
    }


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def sync_deliveries(store=None) -> dict:
    """Copy batches of the store not yet known into ``Delivery`` rows; idempotent (keyed by batch id)."""
    from zhengshu.datagov.models import AggregationResource, Delivery

    store = store if store is not None else get_store()
    if store is None:
        return {"store": "absent", "created": 0}
    known = set(Delivery.objects.values_list("batch_id", flat=True))
    registry = {r.code: r for r in AggregationResource.objects.all()}
    created = 0
    for info in store.batches():
        if str(info.batch_id) in known:
            continue
        fields = delivery_fields(info)
        resource = registry.get(fields["resource_code"])
        Delivery.objects.create(resource=resource, department_id=resource.department_id if resource else None,
                                **fields)
        created += 1
    # Batches committed before their resource was registered are linked once it is.
    orphans = set(Delivery.objects.filter(resource__isnull=True).values_list("resource_code", flat=True).distinct())
    for code in orphans & set(registry):
        Delivery.objects.filter(resource__isnull=True, resource_code=code).update(
            resource=registry[code], department_id=registry[code].department_id)
    return {"store": "present", "created": created}


def iter_rejects(batch_id: str, store=None) -> Iterator[dict]:
    """The quarantined rows of a batch (row, column, rule, reason, values)."""
    store = store if store is not None else get_store()
    if store is None:
        raise NotImplementedError("数据归集管道尚未安装（zhengshu.pipeline.store 不存在），无法读取拒收明细")
    yield from store.rejects(batch_id)


def reject_cells(row: dict) -> list[str]:
    cells = []
    for key, _label in REJECT_COLUMNS:
        value = row.get(key)
        if isinstance(value, dict):
            value = "；".join(f"{k}={'' if v is None else v}" for k, v in value.items())
        elif isinstance(value, (list, tuple)):
            value = "；".join(str(v) for v in value)
        cells.append("" if value is None else str(value))
    return cells

"""Reads other parts of the platform use: the pipeline's schema of a resource, live catalogue counts,
and the portal's public view of a dataset (search, masked rows)."""

from __future__ import annotations

import math
from functools import reduce
from typing import Any
from operator import add

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from zhengshu.core.masking import mask
from zhengshu.dataresources import choices as c
from zhengshu.dataresources.models import DataItem, DataResource, bigrams

CHECKS = {"uscc", "orgcode", "idcard", "division", "phone"}


def pipeline_schema(resource_code: str) -> dict | None:
    """The resource's data items in the pipeline's schema shape; None for an unknown or withdrawn resource."""
    resource = (DataResource.objects.select_related("department")
                .exclude(status=c.Status.WITHDRAWN).filter(code=resource_code).first())
    if resource is None:
        return None
    items = list(resource.items.all())
    return {
        "resource": resource.code,
        "name": resource.name,
        "provider": resource.department.code,
        "key": [i.name for i in items if i.is_key],
        "items": [{
            "name": i.name,
            "label": i.label,
            "type": i.data_type,
            "required": i.required or i.is_key,
            "max_length": i.max_length,
            "enum": list(i.enum_values) or None,
            "unit": i.unit or None,
            "sensitive": i.sensitive,
            "check": i.id_check if i.id_check in CHECKS else None,
            "link": i.link or None,
        } for i in items],
    }


def catalogue_counts(department=None) -> dict:
    """Live counts of published catalogues: shareable (共享类型≠不予共享) and openable (开放属性≠禁止开放).

    ``department`` (a Department or its code) narrows the totals to one provider.
    """
    qs = DataResource.objects.filter(status=c.Status.PUBLISHED)
    if department is not None:
        qs = qs.filter(department__code=getattr(department, "code", department))
    shareable_q = ~Q(share_type=c.ShareType.NONE)
    openable_q = ~Q(open_type=c.OpenType.PROHIBITED)
    totals = qs.aggregate(total=Count("id"), shareable=Count("id", filter=shareable_q),
                          openable=Count("id", filter=openable_q))
    rows = (qs.values("department__code", "department__name", "department__sort_order")
            .annotate(total=Count("id"), shareable=Count("id", filter=shareable_q),
                      openable=Count("id", filter=openable_q))
            .order_by("department__sort_order", "department__code"))
    return {
        "total": totals["total"], "shareable": totals["shareable"], "openable": totals["openable"],
        "by_department": [{"code": r["department__code"], "name": r["department__name"], "total": r["total"],
                           "shareable": r["shareable"], "openable": r["openable"]} for r in rows],
    }


def open_datasets() -> QuerySet[DataResource]:
    """What the public portal and the CKAN API show: published entries whose open type is not 禁止开放."""
    return (DataResource.objects.filter(status=c.Status.PUBLISHED)
            .exclude(open_type=c.OpenType.PROHIBITED).select_related("department"))


def search(qs: QuerySet[DataResource], text: str) -> QuerySet[DataResource]:
    """Chinese full-text search on both databases: the query's character bigrams (and Latin words) are
    matched against the entry's search text; an entry must hold at least 60 % of them. Ranked by keys held,
    a key found in the name counting twice."""
    keys = bigrams(text)[:16]
    if not keys:
        return qs

    def count(lookup: str):
        return reduce(add, [Case(When(**{lookup: k}, then=Value(1)), default=Value(0), output_field=IntegerField())
                            for k in keys])

    need = max(1, math.ceil(len(keys) * 0.6))
    return (qs.annotate(hits=count("search_text__contains"), name_hits=count("name__icontains"))
            .filter(hits__gte=need).annotate(score=F("hits") + F("name_hits")).order_by("-score", "code"))


def _mask_generic(value: str) -> str:
    return (value[:1] + "***") if value else ""


def visible_items(resource: DataResource) -> list[DataItem]:
    """Columns the portal may show: L4 items never leave the platform."""
    return [i for i in resource.items.all() if i.grade != c.Grade.L4]


def masked_rows(resource: DataResource, *, limit: int | None = None, full_l3: bool = False) -> tuple[list, list]:
    """(items, rows) for the portal: personal fields masked (core.masking), L3 values masked unless
    ``full_l3`` (an approved 受限开放 applicant), L4 columns left out."""
    items = visible_items(resource)
    rows = []
    for raw in (resource.data_rows or [])[:limit]:
        row = {}
        for item in items:
            value = raw.get(item.name)
            text = "" if value is None else str(value)
            if item.mask_kind:
                value = mask(item.mask_kind, text)
            elif item.grade == c.Grade.L3 and not full_l3:
                value = _mask_generic(text)
            row[item.name] = value
        rows.append(row)
    return items, rows


SNAPSHOT_FIELDS = (
    "category_code", "sequence", "name", "resource_class", "theme", "summary", "keywords", "format_class",
    "format_type", "share_type", "share_condition", "share_method", "open_type", "open_condition", "grade",
    "update_cycle", "related_codes", "origin", "origin_note", "region_code", "record_count", "description",
)
SNAPSHOT_ITEM_FIELDS = ("name", "label", "data_type", "max_length", "required", "is_key", "enum_values", "unit",
                        "description", "grade", "mask_kind", "id_check", "link")


def resource_snapshot(resource: DataResource) -> dict[str, Any]:
    """The resource and its items as plain JSON, for versions and exports."""
    data = {name: getattr(resource, name) for name in SNAPSHOT_FIELDS}
    data.update(code=resource.code, department=resource.department.code, status=resource.status,
                version=resource.version,
                published_at=resource.published_at.isoformat() if resource.published_at else None)
    data["items"] = [{name: getattr(item, name) for name in SNAPSHOT_ITEM_FIELDS} for item in resource.items.all()]
    return data


def aggregation_candidates(department=None) -> list[dict]:
    """Published resources of this city's own catalogue that departments deliver for aggregation (归集):
    ``[{"code", "name", "department_id", "update_cycle"}]``, by code. Upper-level resources (origin other
    than local) are the province's to aggregate and are left out. ``update_cycle`` is the catalogue's value
    (``realtime`` … ``yearly``, ``halfyear``, ``irregular``); the aggregation registry decides what it can time.
    """
    qs = DataResource.objects.filter(status=c.Status.PUBLISHED, origin=c.Origin.LOCAL)
    if department is not None:
        qs = qs.filter(department__code=getattr(department, "code", department))
    return [{"code": r["code"], "name": r["name"], "department_id": r["department_id"],
             "update_cycle": r["update_cycle"]}
            for r in qs.order_by("code").values("code", "name", "department_id", "update_cycle")]

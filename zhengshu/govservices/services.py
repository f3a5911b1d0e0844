"""State changes of the item catalogue: drafting, review and publication, withdrawal, code values.

Workflow: a department clerk drafts or edits an item of its own department (草稿) → submits it (待审核) →
the office (市政务数据办, permission ``review_serviceitem``) approves it (已发布, a new ``ItemVersion`` with an
effective date) or returns it (草稿, with a reason) → it may later be withdrawn (已废止). Editing a published
item makes the working copy a draft again while the last published version stays in force for the public.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from zhengshu.core.services import ServiceError, service
from zhengshu.govservices.models import (
    CodeValue,
    FindingSeverity,
    ItemStatus,
    ItemVersion,
    Material,
    ServiceItem,
)
from zhengshu.govservices.rules import refresh_findings, suspended

__all__ = [
    "approve_item",
    "import_items",
    "return_item",
    "save_code_value",
    "save_item",
    "submit_item",
    "withdraw_item",
]

ITEM_FIELDS = (
    "name", "basic_code", "implementation_code", "business_item_code", "implementing_uscc", "item_type",
    "exercise_level", "basis", "legal_limit", "legal_limit_unit", "promised_limit", "promised_limit_unit",
    "is_immediate", "visits", "onsite_reason", "handling_forms", "online_depth", "service_objects",
    "cross_region_scope", "fee", "fee_basis", "online_payment", "allows_commitment", "consult_phone",
    "supervise_phone", "handling_address", "handling_time", "result_name", "acceptance_conditions", "process",
    "faq", "keywords", "extra", "department", "department_id", "description", "comments",
)
MATERIAL_FIELDS = ("name", "source", "originals", "copies", "required", "may_be_missing", "missing_max_workdays",
                   "commitment_allowed", "electronic", "notes", "sort")


def _item_perm(kwargs: dict) -> str:
    return "govservices.change_serviceitem" if kwargs.get("item") is not None else "govservices.add_serviceitem"


def _in_scope(actor, item: ServiceItem, action: str) -> None:
    if not ServiceItem.objects.restrict(actor, action).filter(pk=item.pk).exists():
        raise ServiceError(f"事项“{item.name}”的实施主体不在您的数据范围内，不能保存")


@service(perm=_item_perm, obj="item")
def save_item(*, actor, item: ServiceItem | None = None, data: dict[str, Any],
              materials: list[dict[str, Any]] | None = None) -> ServiceItem:
    """Create or edit an item (and, when ``materials`` is given, replace its material list); result: 草稿."""
    unknown = set(data) - set(ITEM_FIELDS)
    if unknown:
        raise ServiceError(f"不能通过此服务修改字段：{'、'.join(sorted(unknown))}")
    item = item if item is not None else ServiceItem()
    for name, value in data.items():
        setattr(item, name, value)
    creating = item.pk is None
    item.status = ItemStatus.DRAFT
    item.full_clean()
    with suspended():
        item.save()
        _in_scope(actor, item, "add" if creating else "change")
        if materials is not None:
            _replace_materials(item, materials)
    refresh_findings([item])
    return item


def _replace_materials(item: ServiceItem, materials: list[dict[str, Any]]) -> None:
    existing = {m.name: m for m in item.materials.all()}
    keep = set()
    for index, row in enumerate(materials):
        unknown = set(row) - set(MATERIAL_FIELDS)
        if unknown:
            raise ServiceError(f"材料第{index + 1}行含未知字段：{'、'.join(sorted(unknown))}")
        name = (row.get("name") or "").strip()
        if not name:
            raise ServiceError(f"材料第{index + 1}行缺少材料名称")
        if name in keep:
            raise ServiceError(f"材料“{name}”重复")
        material = existing.get(name) or Material(item=item, name=name)
        for key, value in row.items():
            setattr(material, key, value)
        material.sort = row.get("sort", (index + 1) * 10)
        material.full_clean()
        material.save()
        keep.add(name)
    for name, material in existing.items():
        if name not in keep:
            material.delete()


@service(perm="govservices.change_serviceitem", obj="item")
def submit_item(*, actor, item: ServiceItem) -> ServiceItem:
    """草稿 → 待审核; refused while the quality rules report errors."""
    if item.status != ItemStatus.DRAFT:
        raise ServiceError(f"只有草稿可以提交审核，当前状态为“{item.get_status_display()}”")
    refresh_findings([item])
    errors = list(item.findings.filter(severity=FindingSeverity.ERROR).values_list("message", flat=True)[:3])
    if errors:
        count = item.findings.filter(severity=FindingSeverity.ERROR).count()
        raise ServiceError(f"事项有{count}项质量错误，须修改后再提交：{'；'.join(errors)}")
    item.status, item.review_note = ItemStatus.REVIEW, ""
    item.save()
    return item


def _snapshot(item: ServiceItem, materials: list[Material] | None = None) -> dict[str, Any]:
    """The frozen content of a published version (item fields, 实施主体 and materials)."""
    materials = list(item.materials.all()) if materials is None else materials
    data = {name: getattr(item, name) for name in ITEM_FIELDS if name not in ("department", "department_id",
                                                                                "description", "comments")}
    data["department"] = {"id": item.department_id, "name": item.department.name, "code": item.department.code}
    data["materials"] = [{name: getattr(m, name) for name in MATERIAL_FIELDS} for m in materials]
    return data


@service(perm="govservices.review_serviceitem", obj="item")
def approve_item(*, actor, item: ServiceItem, effective_from: dt.date | None = None, note: str = "") -> ItemVersion:
    """待审核 → 已发布: a new version in force from ``effective_from`` (default today)."""
    if item.status != ItemStatus.REVIEW:
        raise ServiceError(f"只有待审核的事项可以审核发布，当前状态为“{item.get_status_display()}”")
    return _publish(item, actor=actor, effective_from=effective_from, note=note)


def _publish(item: ServiceItem, *, actor, effective_from: dt.date | None, note: str) -> ItemVersion:
    today = timezone.localdate()
    effective_from = effective_from or today
    if effective_from < today:
        raise ServiceError("生效日期不能早于今天")
    previous = item.versions.filter(effective_to__isnull=True).order_by("-version").first()
    if previous is not None:
        # A previous version that would not yet be in force on the new date is superseded before it starts.
        previous.effective_to = effective_from - dt.timedelta(days=1)
        previous.save(update_fields=["effective_to"])
    number = item.published_version + 1
    version = ItemVersion.objects.create(item=item, version=number, effective_from=effective_from,
                                         data=_snapshot(item), published_by=actor, note=note[:300])
    item.status, item.published_version, item.effective_from = ItemStatus.PUBLISHED, number, effective_from
    item.review_note = note[:500]
    item.save()
    return version


@service(perm="govservices.review_serviceitem", obj="item")
def return_item(*, actor, item: ServiceItem, reason: str) -> ServiceItem:
    """待审核 → 草稿, with the reviewer's reason."""
    reason = (reason or "").strip()
    if item.status != ItemStatus.REVIEW:
        raise ServiceError(f"只有待审核的事项可以退回，当前状态为“{item.get_status_display()}”")
    if len(reason) < 2:
        raise ServiceError("退回须填写理由")
    item.status, item.review_note = ItemStatus.DRAFT, reason[:500]
    item.save()
    return item


@service(perm="govservices.review_serviceitem", obj="item")
def withdraw_item(*, actor, item: ServiceItem, reason: str) -> ServiceItem:
    """Any published item → 已废止: the version in force ends today; the guide and applications close."""
    reason = (reason or "").strip()
    if item.status == ItemStatus.WITHDRAWN:
        raise ServiceError("事项已废止")
    if not item.published_version:
        raise ServiceError("从未发布的事项无需废止，可直接删除草稿")
    if len(reason) < 2:
        raise ServiceError("废止须填写理由")
    item.versions.filter(effective_to__isnull=True).update(effective_to=timezone.localdate())
    item.status, item.review_note = ItemStatus.WITHDRAWN, reason[:500]
    item.save()
    return item


@service(perm=lambda kw: "govservices.change_codevalue" if kw.get("value") else "govservices.add_codevalue",
         obj="value")
def save_code_value(*, actor, value: CodeValue | None = None, data: dict[str, Any]) -> CodeValue:
    """Add or edit a code-table value; a code in use by items cannot be changed, only renamed or deactivated."""
    value = value if value is not None else CodeValue()
    if value.pk and "code" in data and data["code"] != value.code:
        raise ServiceError("已有代码不能改码，只能改名称或停用；如需新代码请新增")
    for name in ("table", "code", "name", "aliases", "sort", "active"):
        if name in data:
            setattr(value, name, data[name])
    value.full_clean()
    value.save()
    return value


@service(perm="govservices.review_serviceitem")
def import_items(*, actor, paths: list, dry_run: bool = False, publish: bool = False) -> dict:
    """Import a catalogue file set from the web (the office); same rules and result as ``services import-items``."""
    from zhengshu.govservices.catalogue_io import import_catalogue

    return import_catalogue(paths, dry_run=dry_run, publish=publish)

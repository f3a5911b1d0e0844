"""Writing a checked catalogue: all or nothing, items matched by 实施编码, materials updated in place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from zhengshu.core.models import ChangeAction, record_change
from zhengshu.govservices.catalogue_io.reading import MATERIAL_SHEET, ITEM_SHEET, Problem, read_sheets
from zhengshu.govservices.catalogue_io.values import (
    CodeLookup,
    DepartmentIndex,
    ItemRow,
    _code,
    _parse_item_row,
    _parse_material_row,
)
from zhengshu.govservices.models import ItemStatus, ItemVersion, Material, ServiceItem
from zhengshu.govservices.rules import refresh_findings, suspended

ITEM_SAVE_FIELDS = (
    "name", "basic_code", "business_item_code", "implementing_uscc", "item_type", "exercise_level", "legal_limit",
    "legal_limit_unit", "promised_limit", "promised_limit_unit", "is_immediate", "visits", "handling_forms",
    "online_depth", "service_objects", "cross_region_scope", "fee", "allows_commitment", "consult_phone",
    "acceptance_conditions", "process", "faq", "onsite_reason", "basis", "fee_basis", "online_payment",
    "supervise_phone", "handling_address", "handling_time", "result_name", "keywords", "department_id",
)
MATERIAL_SAVE_FIELDS = ("name", "source", "originals", "copies", "required", "may_be_missing",
                        "missing_max_workdays", "commitment_allowed", "notes")


def _material_key(m) -> tuple:
    get = m.get if isinstance(m, dict) else lambda k: getattr(m, k)
    return tuple(get(k) for k in MATERIAL_SAVE_FIELDS)


def import_catalogue(paths: list[Path | str], *, dry_run: bool = False, publish: bool = False) -> dict:
    """Check every row, then (unless ``dry_run`` or any row is rejected) write everything in one transaction.

    Returns ``{"read", "created", "updated", "rejected", "errors": [{"row", "column", "message"}]}``: read =
    rows of the 事项 sheet; created/updated = rows written (or that would be, with ``dry_run``), updated
    counting every row matched to an existing item by 实施编码; rejected = rejected 事项 rows. When any row is
    rejected nothing is written and created = updated = 0.
    """
    sheets = read_sheets([Path(p) for p in paths])
    lookup, departments = CodeLookup(), DepartmentIndex()
    problems: list[Problem] = []
    rows: list[ItemRow] = []
    by_code: dict[str, ItemRow] = {}
    for number, raw in sheets[ITEM_SHEET].rows:
        row = _parse_item_row(number, raw, lookup, departments, problems)
        code = row.values.get("implementation_code")
        if code and code in by_code:
            problems.append(Problem(number, "实施编码",
                                    f"【{ITEM_SHEET}】第{number}行实施编码{code}与第{by_code[code].row}行重复"))
            row.bad = True
        elif code:
            by_code[code] = row
        rows.append(row)
    existing = _existing_items(list(by_code))
    if MATERIAL_SHEET in sheets:
        seen: dict[tuple[str, str], int] = {}
        for number, raw in sheets[MATERIAL_SHEET].rows:
            parsed = _parse_material_row(number, raw, problems)
            code = _code(raw.get("实施编码", ""))
            owner = by_code.get(code)
            if parsed is None:
                if owner is not None:
                    owner.bad = True
                continue
            code, material = parsed
            if owner is None and code not in existing:
                problems.append(Problem(number, "实施编码",
                                        f"【申请材料】第{number}行实施编码{code}既不在“事项”表中，也不是已有事项"))
                continue
            if (code, material["name"]) in seen:
                problems.append(Problem(number, "材料名称", f"【申请材料】第{number}行材料“{material['name']}”"
                                                          f"与第{seen[(code, material['name'])]}行重复"))
                if owner is not None:
                    owner.bad = True
                continue
            seen[(code, material["name"])] = number
            if owner is None:  # materials of an existing item not in this file
                owner = by_code[code] = ItemRow(0, {"implementation_code": code}, {}, materials=None)
                owner.values["_materials_only"] = True
            if owner.materials is None:
                owner.materials = []
            material["sort"] = (len(owner.materials) + 1) * 10
            owner.materials.append(material)
    item_rows = [r for r in rows]
    rejected = sum(1 for r in item_rows if r.bad)
    problems.sort(key=lambda p: (p.message.startswith("【申请材料】"), p.row))
    result = {"read": len(item_rows), "created": 0, "updated": 0, "rejected": rejected,
              "errors": [p.as_dict() for p in problems]}
    if problems:
        return result
    created = sum(1 for r in item_rows if r.values["implementation_code"] not in existing)
    result["created"], result["updated"] = created, len(item_rows) - created
    if not dry_run:
        _write(list(by_code.values()), existing, publish=publish)
    return result


def _existing_items(codes: list[str]) -> dict[str, ServiceItem]:
    found: dict[str, ServiceItem] = {}
    for start in range(0, len(codes), 500):
        for item in ServiceItem.objects.filter(implementation_code__in=codes[start:start + 500]):
            found[item.implementation_code] = item
    return found


def _write(rows: list[ItemRow], existing: dict[str, ServiceItem], *, publish: bool) -> None:
    with transaction.atomic(), suspended():
        new_items, touched = [], []
        for row in rows:
            if row.values.get("_materials_only"):
                touched.append(existing[row.values["implementation_code"]])
                continue
            item = existing.get(row.values["implementation_code"])
            if item is None:
                item = ServiceItem(implementation_code=row.values["implementation_code"], extra=row.extra)
                for name in ITEM_SAVE_FIELDS:
                    setattr(item, name, row.values[name])
                new_items.append(item)
                continue
            changed = [n for n in ITEM_SAVE_FIELDS if getattr(item, n) != row.values[n]]
            merged_extra = {**(item.extra or {}), **row.extra}
            if changed or merged_extra != item.extra:
                for name in changed:
                    setattr(item, name, row.values[name])
                item.extra = merged_extra
                if item.status != ItemStatus.WITHDRAWN:
                    item.status = ItemStatus.DRAFT
                item.save()
                touched.append(item)
        ServiceItem.objects.bulk_create(new_items, batch_size=500)
        if new_items:
            if any(i.pk is None for i in new_items):  # a backend that does not return ids from bulk inserts
                new_items = list(_existing_items([i.implementation_code for i in new_items]).values())
            record_change(action=ChangeAction.CREATE, object_type="govservices.serviceitem",
                          object_repr=f"导入新建事项 {len(new_items)} 项",
                          after={"implementation_codes": [i.implementation_code for i in new_items]})
        items_by_code = {i.implementation_code: i for i in [*new_items, *touched]}
        for code, item in existing.items():
            items_by_code.setdefault(code, item)
        replaced = _replace_materials(rows, items_by_code, {i.pk for i in new_items})
        changed_items = {i.pk: i for i in [*new_items, *touched, *replaced]}
        if publish:
            _publish_all([i for i in items_by_code.values() if i.status != ItemStatus.PUBLISHED])
        refresh_findings(changed_items.values())


def _replace_materials(rows: list[ItemRow], items_by_code: dict[str, ServiceItem],
                       new_ids: set[int]) -> list[ServiceItem]:
    wanted = {r.values["implementation_code"]: r.materials for r in rows if r.materials is not None}
    if not wanted:
        return []
    items = [items_by_code[c] for c in wanted]
    current: dict[int, list] = {i.pk: [] for i in items}
    ids = [pk for pk in current if pk not in new_ids]  # new items have no materials yet
    for start in range(0, len(ids), 500):
        for m in Material.objects.filter(item_id__in=ids[start:start + 500]).order_by("item_id", "sort", "id"):
            current[m.item_id].append(m)
    # Materials are matched by name and updated in place, so their ids (which cases refer to) stay stable.
    replaced, new, changed, gone = [], [], [], []
    for item in items:
        desired = wanted[item.implementation_code]
        if [_material_key(m) for m in current[item.pk]] == [_material_key(m) for m in desired] \
                and [m.sort for m in current[item.pk]] == [m["sort"] for m in desired]:
            continue
        by_name = {m.name: m for m in current[item.pk]}
        for row in desired:
            material = by_name.pop(row["name"], None)
            if material is None:
                new.append(Material(item_id=item.pk, **row))
            elif _material_key(material) != _material_key(row) or material.sort != row["sort"]:
                for key, value in row.items():
                    setattr(material, key, value)
                changed.append(material)
        gone.extend(m.pk for m in by_name.values())
        replaced.append(item)
    if gone:
        Material.objects.filter(pk__in=gone).delete()
    Material.objects.bulk_update(changed, [*MATERIAL_SAVE_FIELDS, "sort"], batch_size=500)
    Material.objects.bulk_create(new, batch_size=1000)
    if replaced:
        record_change(action=ChangeAction.UPDATE, object_type="govservices.material",
                      object_repr=f"导入申请材料：{len(replaced)} 项事项，新增 {len(new)}、修改 {len(changed)}、"
                                  f"删除 {len(gone)} 份",
                      after={"implementation_codes": [i.implementation_code for i in replaced]})
    return replaced


def _publish_all(items: list[ServiceItem]) -> None:
    """Publish imported items directly (a catalogue already approved upstream), one version each.

    Written in bulk with one summary change-log row, like the creation of imported items.
    """
    from zhengshu.govservices.services import _snapshot

    if not items:
        return
    today = timezone.localdate()
    ids = [i.pk for i in items]
    materials: dict[int, list] = {pk: [] for pk in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        ItemVersion.objects.filter(item_id__in=chunk, effective_to__isnull=True).update(
            effective_to=today - dt.timedelta(days=1))
        for m in Material.objects.filter(item_id__in=chunk).order_by("item_id", "sort", "id"):
            materials[m.item_id].append(m)
    versions = []
    for item in ServiceItem.objects.filter(pk__in=ids).select_related("department").iterator(chunk_size=500):
        item.published_version += 1
        item.status, item.effective_from = ItemStatus.PUBLISHED, today
        versions.append(ItemVersion(item=item, version=item.published_version, effective_from=today,
                                    data=_snapshot(item, materials[item.pk]), note="导入发布"))
    for start in range(0, len(versions), 500):
        chunk = versions[start:start + 500]
        ServiceItem.objects.bulk_update([v.item for v in chunk], ["published_version", "status", "effective_from"])
    ItemVersion.objects.bulk_create(versions, batch_size=500)
    record_change(action=ChangeAction.UPDATE, object_type="govservices.serviceitem",
                  object_repr=f"导入发布事项 {len(versions)} 项",
                  after={"status": ItemStatus.PUBLISHED, "implementation_codes": [v.item.implementation_code
                                                                                  for v in versions]})

"""Writing a catalogue in the import format: XLSX (two sheets) or CSV (two files) in a chosen encoding."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from zhengshu.govservices.catalogue_io.reading import (
    ENCODINGS,
    EXPORT_ITEM_HEADERS,
    ITEM_COLUMNS,
    ITEM_SHEET,
    MATERIAL_COLUMNS,
    MATERIAL_SHEET,
    ImportError_,
)
from zhengshu.govservices.models import CodeValue, Material, ServiceItem

def _item_cells(item: ServiceItem, names: dict[str, dict[str, str]]) -> list[Any]:
    def name_of(table: str, code: str) -> str:
        return names.get(table, {}).get(code, code) if code else ""

    yes = {True: "是", False: "否"}
    values = {
        "事项名称": item.name, "基本编码": item.basic_code, "实施编码": item.implementation_code,
        "事项类型": name_of("item_type", item.item_type), "实施主体": item.department.name,
        "实施主体代码": item.implementing_uscc, "行使层级": name_of("exercise_level", item.exercise_level),
        "法定办结时限": item.limit_text("legal"), "承诺办结时限": item.limit_text("promised"),
        "受理条件": item.acceptance_conditions, "办理流程": item.process, "是否收费": yes[item.fee],
        "到办事现场次数": item.visits,
        "办理形式": "、".join(name_of("handling_form", c) for c in item.handling_forms or []),
        "通办范围": name_of("cross_region", item.cross_region_scope),
        "服务对象": "、".join(name_of("service_object", c) for c in item.service_objects or []),
        "咨询电话": item.consult_phone, "常见问题": item.faq, "网办深度": name_of("online_depth", item.online_depth),
        "必须现场办理原因说明": item.onsite_reason, "是否告知承诺": yes[item.allows_commitment],
        "设定依据": item.basis, "收费依据": item.fee_basis, "是否支持网上支付": yes[item.online_payment],
        "监督投诉电话": item.supervise_phone, "办理地点": item.handling_address, "办理时间": item.handling_time,
        "审批结果名称": item.result_name, "别名": item.keywords,
    }
    return [values[h] for h in EXPORT_ITEM_HEADERS]


def _material_cells(code: str, m: Material) -> list[Any]:
    yes = {True: "是", False: "否"}
    days = f"{m.missing_max_workdays}个工作日" if m.missing_max_workdays else ""
    return [code, m.name, m.originals, m.copies, yes[m.required], yes[m.may_be_missing], days, m.source,
            yes[m.commitment_allowed], m.notes]


def _text_cell(sheet, value, cell_class):
    """Text that starts like a formula ("=…") stays text: a catalogue cell never runs in the reader's Excel."""
    if isinstance(value, str) and value.startswith("="):
        cell = cell_class(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _check_encodable(name: str, header: list[str], body: list[list], encoding: str) -> None:
    """Refuse (in Chinese, naming row and column) a CSV export whose text the chosen encoding cannot hold."""
    if encoding.lower().startswith("utf") or _encodes("\n".join(str(v) for row in body for v in row), encoding):
        return  # the common case, in one call; only a failing file is searched cell by cell
    for number, row in enumerate(body, start=2):
        for column, value in zip(header, row, strict=False):
            try:
                str(value).encode(encoding)
            except UnicodeEncodeError as exc:
                char = exc.object[exc.start:exc.end]
                raise ImportError_(f"{name} 第{number}行“{column}”含 {encoding.upper()} 无法表示的字符“{char}”，"
                                   f"请改用 gb18030 或 utf-8-sig 导出") from None


def export_catalogue(items, path: Path | str, *, encoding: str = "utf-8-sig") -> dict:
    """Write ``items`` (a ServiceItem queryset) in the import format; XLSX or CSV by the file suffix.

    A CSV export writes the materials to ``<name>_申请材料.csv`` beside it. Extra columns kept from imports are
    written after the standard ones.
    """
    path = Path(path)
    names: dict[str, dict[str, str]] = {}
    for v in CodeValue.objects.all():
        names.setdefault(v.table, {})[v.code] = v.name
    items = list(items.select_related("department").order_by("implementation_code"))
    extra_headers: list[str] = []
    for item in items:
        extra_headers += [h for h in (item.extra or {}) if h not in extra_headers and h not in ITEM_COLUMNS]
    item_rows = [[*_item_cells(i, names), *[(i.extra or {}).get(h, "") for h in extra_headers]] for i in items]
    material_rows = []
    ids = [i.pk for i in items]
    codes = {i.pk: i.implementation_code for i in items}
    for start in range(0, len(ids), 500):
        for m in Material.objects.filter(item_id__in=ids[start:start + 500]).order_by("item_id", "sort", "id"):
            material_rows.append(_material_cells(codes[m.item_id], m))
    material_rows.sort(key=lambda r: r[0])
    item_header, material_header = [*EXPORT_ITEM_HEADERS, *extra_headers], list(MATERIAL_COLUMNS)
    files = [str(path)]
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        workbook = Workbook(write_only=True)
        for title, header, body in ((ITEM_SHEET, item_header, item_rows),
                                    (MATERIAL_SHEET, material_header, material_rows)):
            sheet = workbook.create_sheet(title)
            sheet.append(header)
            for row in body:
                sheet.append([_text_cell(sheet, v, WriteOnlyCell) for v in row])
        workbook.save(path)
    elif path.suffix.lower() == ".csv":
        if encoding.lower() not in ENCODINGS:
            raise ImportError_(f"不支持的编码 {encoding}：可用 {'、'.join(ENCODINGS)}")
        sibling = path.with_name(f"{path.stem}_{MATERIAL_SHEET}.csv")
        for target, header, body in ((path, item_header, item_rows), (sibling, material_header, material_rows)):
            _check_encodable(target.name, header, body, encoding)
            with open(target, "w", encoding=encoding, newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                writer.writerows(body)
        files.append(str(sibling))
    else:
        raise ImportError_(f"不支持的导出类型 {path.suffix or '（无扩展名）'}：请用 .xlsx 或 .csv")
    return {"items": len(item_rows), "materials": len(material_rows), "files": files}

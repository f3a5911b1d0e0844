"""XLSX exchange of catalogues with their data items: two sheets, 目录 and 信息项, Chinese headers and
Chinese labels for coded values. Import is all-or-nothing (see ``services.import_catalogue``)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db import models

from zhengshu.dataresources import choices as c

RESOURCE_SHEET = "目录"
ITEM_SHEET = "信息项"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "str"  # str | int | bool | list | choice
    choices: tuple = ()
    required: bool = False


def _ch(cls) -> tuple:
    return tuple(cls.choices)


RESOURCE_COLUMNS = (
    Column("分类码", "category_code", required=True),
    Column("顺序码", "sequence", required=True),
    Column("信息资源名称", "name", required=True),
    Column("资源属性分类", "resource_class", "choice", _ch(c.ResourceClass), True),
    Column("主题分类", "theme", "choice", c.THEMES, True),
    Column("提供部门编码", "department", required=True),
    Column("信息资源摘要", "summary", required=True),
    Column("关键字", "keywords"),
    Column("资源格式分类", "format_class", "choice", _ch(c.FormatClass), True),
    Column("资源格式类型", "format_type"),
    Column("共享类型", "share_type", "choice", _ch(c.ShareType), True),
    Column("共享条件", "share_condition"),
    Column("共享方式", "share_method", "choice", _ch(c.ShareMethod), True),
    Column("开放属性", "open_type", "choice", _ch(c.OpenType), True),
    Column("开放条件", "open_condition"),
    Column("分级", "grade", "choice", _ch(c.Grade), True),
    Column("更新周期", "update_cycle", "choice", _ch(c.UpdateCycle), True),
    Column("关联资源代码", "related_codes"),
    Column("来源", "origin", "choice", _ch(c.Origin), True),
    Column("来源说明", "origin_note"),
    Column("数据量（条）", "record_count", "int"),
)
ITEM_COLUMNS = (
    Column("信息资源代码", "resource_code", required=True),
    Column("字段名", "name", required=True),
    Column("信息项名称", "label", required=True),
    Column("数据类型", "data_type", "choice", _ch(c.ItemType), True),
    Column("长度", "max_length", "int"),
    Column("必填", "required", "bool"),
    Column("主键", "is_key", "bool"),
    Column("枚举值", "enum_values", "list"),
    Column("计量单位", "unit"),
    Column("说明", "description"),
    Column("分级", "grade", "choice", _ch(c.Grade), True),
    Column("个人信息类别", "mask_kind", "choice", _ch(c.MaskKind)),
    Column("标识校验", "id_check", "choice", _ch(c.ItemCheck)),
    Column("关联方式", "link", "choice", _ch(c.ItemLink)),
)


def column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def to_cell(column: Column, value):
    if column.kind == "choice":
        return str(dict(column.choices).get(value, value or ""))
    if column.kind == "bool":
        return "是" if value else "否"
    if column.kind == "list":
        return "、".join(str(v) for v in value or [])
    return value if value is not None else ""


def parse_cell(column: Column, raw) -> object:
    """A cell's value for the model, or ValueError with a Chinese reason."""
    text = "" if raw is None else str(raw).strip()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if not text:
        if column.required:
            raise ValueError("不能为空")
        return {"int": None, "bool": False, "list": []}.get(column.kind, "")
    if column.kind == "int":
        try:
            number = int(float(text))
        except ValueError:
            raise ValueError(f"“{text}”不是整数") from None
        if number < 0:
            raise ValueError("不能为负数")
        return number
    if column.kind == "bool":
        if text in ("是", "Y", "y", "1", "true", "TRUE", "True"):
            return True
        if text in ("否", "N", "n", "0", "false", "FALSE", "False"):
            return False
        raise ValueError(f"“{text}”应为 是 或 否")
    if column.kind == "list":
        import re

        return [v for v in re.split(r"[、,，;；|]+", text) if v]
    if column.kind == "choice":
        for value, label in column.choices:
            if text in (str(value), str(label)) or (str(label).split(" ", 1)[0] == text):
                return value
        allowed = "、".join(str(label) for _v, label in column.choices)
        raise ValueError(f"“{text}”不是有效值，可选：{allowed}")
    return text


def export_workbook(resources: models.QuerySet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from zhengshu.dataresources.models import DataItem

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = RESOURCE_SHEET
    sheet.append([col.header for col in RESOURCE_COLUMNS])
    items_sheet = workbook.create_sheet(ITEM_SHEET)
    items_sheet.append([col.header for col in ITEM_COLUMNS])
    for ws in (sheet, items_sheet):
        for cell in ws[1]:
            cell.font = Font(bold=True)
    resources = resources.select_related("department").order_by("code")
    for resource in resources.iterator(chunk_size=1000):
        sheet.append([resource.department.code if col.field == "department" else
                      to_cell(col, getattr(resource, col.field)) for col in RESOURCE_COLUMNS])
    items = (DataItem.objects.filter(resource__in=resources.values("pk")).select_related("resource")
             .order_by("resource__code", "position", "id"))
    for item in items.iterator(chunk_size=2000):
        items_sheet.append([item.resource.code if col.field == "resource_code" else
                            to_cell(col, getattr(item, col.field)) for col in ITEM_COLUMNS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_sheet(workbook, name: str, columns: tuple[Column, ...]) -> tuple[list[tuple[int, dict, list[str]]], list[str]]:
    """Rows as (row number, values, errors); and sheet-level errors (missing sheet or headers)."""
    if name not in workbook.sheetnames:
        return [], [f"缺少工作表“{name}”"]
    sheet = workbook[name]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    missing = [col.header for col in columns if col.header not in header]
    if missing:
        return [], [f"工作表“{name}”缺少列：{'、'.join(missing)}"]
    positions = {col.header: header.index(col.header) for col in columns}
    result = []
    for number, raw in enumerate(rows, start=2):
        if raw is None or all(v is None or str(v).strip() == "" for v in raw):
            continue
        values, errors = {}, []
        for col in columns:
            index = positions[col.header]
            cell = raw[index] if index < len(raw) else None
            try:
                values[col.field] = parse_cell(col, cell)
            except ValueError as exc:
                errors.append(f"工作表“{name}”第{number}行{column_letter(index)}列“{col.header}”：{exc}")
        result.append((number, values, errors))
    return result, []

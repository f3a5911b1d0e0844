"""Import and export of item catalogues (事项目录) as XLSX or CSV.

Sheets: ``事项`` (one row per item) and ``申请材料`` (one row per material, linked by 实施编码). A CSV file
holds one sheet; which one is told by its header (a header with 材料名称 is 申请材料). A materials CSV next to an
items CSV named ``<name>_申请材料.csv`` / ``<name>-申请材料.csv`` is picked up automatically. CSV encodings
UTF-8, UTF-8 with BOM, GBK and GB18030 are detected.

All or nothing: every row is checked first; any rejected row means nothing is written, and every bad row is
reported with its row number (the header is row 1) and column. Items are matched by 实施编码: a re-import
updates, never duplicates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhengshu.core.models import ChangeAction, record_change
from zhengshu.govservices.codeparse import CodeParseError, parse
from zhengshu.govservices.models import (
    CODE_TABLES,
    CodeValue,
    ItemStatus,
    ItemVersion,
    LimitUnit,
    Material,
    ServiceItem,
)
from zhengshu.govservices.rules import refresh_findings, suspended

__all__ = ["ITEM_COLUMNS", "MATERIAL_COLUMNS", "ImportError_", "export_catalogue", "import_catalogue", "read_sheets"]

ITEM_SHEET, MATERIAL_SHEET = "事项", "申请材料"
# Header → field. The first 18 are the exchange columns; the rest are optional GB/T 39046 elements.
ITEM_COLUMNS = {
    "事项名称": "name", "基本编码": "basic_code", "实施编码": "implementation_code", "事项类型": "item_type",
    "实施主体": "department_name", "实施主体代码": "implementing_uscc", "行使层级": "exercise_level",
    "法定办结时限": "legal_limit", "承诺办结时限": "promised_limit", "受理条件": "acceptance_conditions",
    "办理流程": "process", "是否收费": "fee", "到办事现场次数": "visits", "办理形式": "handling_forms",
    "通办范围": "cross_region_scope", "服务对象": "service_objects", "咨询电话": "consult_phone",
    "常见问题": "faq",
    "网办深度": "online_depth", "必须现场办理原因说明": "onsite_reason", "是否告知承诺": "allows_commitment",
    "设定依据": "basis", "收费依据": "fee_basis", "是否支持网上支付": "online_payment",
    "监督投诉电话": "supervise_phone", "办理地点": "handling_address", "办理时间": "handling_time",
    "审批结果名称": "result_name", "别名": "keywords",
}
EXPORT_ITEM_HEADERS = list(ITEM_COLUMNS)
MATERIAL_COLUMNS = {
    "实施编码": "implementation_code", "材料名称": "name", "原件份数": "originals", "复印件份数": "copies",
    "是否必备": "required", "是否容缺": "may_be_missing", "容缺补齐时限": "missing_max_workdays",
    "来源渠道": "source", "是否可告知承诺": "commitment_allowed", "材料说明": "notes",
}
REQUIRED_ITEM = ("事项名称", "实施编码")
ENCODINGS = ("utf-8-sig", "utf-8", "gbk", "gb18030")
TRUE_WORDS = {"是", "y", "yes", "true", "1", "收费", "必备", "必须", "容缺", "允许", "支持", "可", "√"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "不收费", "免费", "非必备", "非必须", "不容缺", "不允许", "不支持",
               "不可", "无", "×"}
_LIMIT = re.compile(r"^(\d+)\s*(个)?\s*(工作日|自然日|日历日|天|日)?$")
_VISITS = re.compile(r"^(\d+)\s*次?$")
_SPLIT = re.compile(r"[、,，;；/|]+")


class ImportError_(Exception):  # noqa: N801 - not the builtin
    """The file itself cannot be read (format, encoding, missing sheet or header)."""


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Sheet:
    name: str
    source: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    encoding: str = ""


# --- reading ----------------------------------------------------------------------------------------------

def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def detect_encoding(data: bytes) -> str:
    """UTF-8 with BOM, UTF-8, GBK or GB18030 — the first that decodes the whole file."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    for encoding in ("utf-8", "gbk", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ImportError_("无法识别文件编码（支持 UTF-8、UTF-8 BOM、GBK、GB18030）")


def _sheet_from_rows(name: str, source: str, rows, encoding: str = "") -> Sheet:
    rows = iter(rows)
    header = [_cell(h) for h in next(rows, [])]
    while header and not header[-1]:
        header.pop()
    sheet = Sheet(name=name, source=source, header=header, encoding=encoding)
    for number, values in enumerate(rows, start=2):
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        sheet.rows.append((number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}))
    return sheet


def _csv_sheet(path: Path) -> Sheet:
    data = path.read_bytes()
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    rows = list(csv.reader(io.StringIO(text)))
    header = [_cell(h) for h in (rows[0] if rows else [])]
    name = MATERIAL_SHEET if "材料名称" in header else ITEM_SHEET
    return _sheet_from_rows(name, path.name, rows, encoding)


def read_sheets(paths: list[Path]) -> dict[str, Sheet]:
    """The 事项 and 申请材料 sheets found in ``paths`` (XLSX workbooks or CSV files)."""
    sheets: dict[str, Sheet] = {}
    paths = list(paths)
    for path in list(paths):  # an items CSV's sibling materials CSV
        if path.suffix.lower() == ".csv":
            for sep in ("_", "-"):
                sibling = path.with_name(f"{path.stem}{sep}{MATERIAL_SHEET}.csv")
                if sibling.exists() and sibling not in paths:
                    paths.append(sibling)
    for path in paths:
        if not path.exists():
            raise ImportError_(f"文件不存在：{path}")
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook

            try:
                workbook = load_workbook(path, read_only=True, data_only=True)
            except Exception as exc:  # noqa: BLE001 - any unreadable workbook
                raise ImportError_(f"无法读取 Excel 文件 {path.name}：{exc}") from None
            names = workbook.sheetnames
            for wanted in (ITEM_SHEET, MATERIAL_SHEET):
                if wanted in names:
                    sheets[wanted] = _sheet_from_rows(wanted, f"{path.name}!{wanted}",
                                                      workbook[wanted].iter_rows(values_only=True))
            if ITEM_SHEET not in names and MATERIAL_SHEET not in names and names:
                first = workbook[names[0]].iter_rows(values_only=True)
                sheets[ITEM_SHEET] = _sheet_from_rows(ITEM_SHEET, path.name, first)
            workbook.close()
        elif suffix in (".csv", ".txt"):
            sheet = _csv_sheet(path)
            if sheet.name in sheets:
                raise ImportError_(f"有两个“{sheet.name}”表：{sheets[sheet.name].source} 与 {path.name}")
            sheets[sheet.name] = sheet
        else:
            raise ImportError_(f"不支持的文件类型 {path.suffix or '（无扩展名）'}：请用 .xlsx 或 .csv")
    if ITEM_SHEET not in sheets:
        raise ImportError_("没有找到“事项”表")
    missing = [h for h in REQUIRED_ITEM if h not in sheets[ITEM_SHEET].header]
    if missing:
        raise ImportError_(f"“事项”表缺少必需的列：{'、'.join(missing)}")
    if MATERIAL_SHEET in sheets:
        missing = [h for h in ("实施编码", "材料名称") if h not in sheets[MATERIAL_SHEET].header]
        if missing:
            raise ImportError_(f"“申请材料”表缺少必需的列：{'、'.join(missing)}")
    return sheets


# --- value parsing ----------------------------------------------------------------------------------------

def _norm(text: str) -> str:
    return (text.replace("（", "(").replace("）", ")").replace(" ", "").replace("\u3000", "").strip().lower())


class CodeLookup:
    """Names, codes and aliases of every code table → code."""

    def __init__(self):
        self.tables: dict[str, dict[str, str]] = {t: {} for t in CODE_TABLES}
        self.widths: dict[str, int] = {}
        for value in CodeValue.objects.all():
            table = self.tables.setdefault(value.table, {})
            table[_norm(value.code)] = value.code
            table[_norm(value.name)] = value.code
            for alias in filter(None, (a.strip() for a in _SPLIT.split(value.aliases or ""))):
                table.setdefault(_norm(alias), value.code)
            self.widths[value.table] = max(self.widths.get(value.table, 0), len(value.code))

    def code(self, table: str, text: str) -> str | None:
        key = _norm(text)
        found = self.tables.get(table, {}).get(key)
        if found is None and key.isdigit():
            found = self.tables.get(table, {}).get(key.zfill(self.widths.get(table, 0)))
        return found


def parse_bool(text: str) -> bool | None:
    key = _norm(text)
    if key in TRUE_WORDS:
        return True
    if key in FALSE_WORDS:
        return False
    return None


def parse_limit(text: str) -> tuple[int | None, str, bool]:
    """"30个工作日" → (30, workday, False); "即办" → (None, workday, True); "" → (None, workday, False).

    A bare number or 日/天 counts in working days (行政许可法第八十二条). Raises ValueError otherwise.
    """
    key = _norm(text)
    if key in ("", "无", "-", "—", "/"):
        return None, LimitUnit.WORKDAY, False
    if key in ("即办", "即办件", "当场办结", "当场", "立即办结", "0", "0个工作日"):
        return None, LimitUnit.WORKDAY, True
    match = _LIMIT.match(key)
    if not match:
        raise ValueError(f"无法识别的时限“{text}”，应写作“30个工作日”“20个自然日”或“即办”")
    unit = LimitUnit.CALENDAR_DAY if match.group(3) in ("自然日", "日历日") else LimitUnit.WORKDAY
    return int(match.group(1)), unit, False


def parse_visits(text: str) -> int:
    key = _norm(text)
    if key in ("", "零次", "跑零次", "零跑"):
        return 0
    if key in ("最多跑一次", "一次", "跑一次"):
        return 1
    match = _VISITS.match(key)
    if not match:
        raise ValueError(f"无法识别的到办事现场次数“{text}”，应为 0、1、2 等次数")
    return int(match.group(1))


@dataclass
class ItemRow:
    row: int
    values: dict[str, Any]
    extra: dict[str, str]
    materials: list[dict[str, Any]] | None = None
    bad: bool = False


def _parse_item_row(number: int, raw: dict[str, str], lookup: CodeLookup, departments,
                    problems: list[Problem]) -> ItemRow | None:
    errors: list[Problem] = []

    def bad(column: str, message: str) -> None:
        errors.append(Problem(number, column, message))

    values: dict[str, Any] = {}
    extra = {h: v for h, v in raw.items() if h not in ITEM_COLUMNS and v}
    for header in REQUIRED_ITEM:
        if not raw.get(header):
            bad(header, f"第{number}行“{header}”为空")
    name = raw.get("事项名称", "")
    if len(name) > 200:
        bad("事项名称", f"第{number}行事项名称超过200字")
    values["name"] = name
    parsed = None
    code = raw.get("实施编码", "").upper().replace(" ", "")
    if code:
        try:
            parsed = parse(code)
        except CodeParseError as exc:
            bad("实施编码", f"第{number}行实施编码“{code}”无效：{exc}")
    values["implementation_code"] = code
    if parsed is not None:
        values["business_item_code"] = parsed.business_item
        basic = raw.get("基本编码", "").upper()
        if basic and basic != parsed.basic_code:
            bad("基本编码", f"第{number}行基本编码“{basic}”与实施编码第20–31位“{parsed.basic_code}”不一致")
        values["basic_code"] = parsed.basic_code
        uscc = raw.get("实施主体代码", "").upper()
        if uscc and uscc != parsed.uscc:
            bad("实施主体代码", f"第{number}行实施主体代码“{uscc}”与实施编码前18位“{parsed.uscc}”不一致")
        values["implementing_uscc"] = parsed.uscc
    for header, table in (("事项类型", "item_type"), ("行使层级", "exercise_level"), ("网办深度", "online_depth"),
                          ("通办范围", "cross_region")):
        text = raw.get(header, "")
        key = ITEM_COLUMNS[header]
        if not text or (header == "通办范围" and _norm(text) in ("无", "否", "不通办")):
            values[key] = ""
            continue
        found = lookup.code(table, text)
        if found is None:
            bad(header, f"第{number}行{header}“{text}”不在{CODE_TABLES[table]}代码表中")
        values[key] = found or ""
    if not values.get("item_type"):
        if "事项类型" in raw and not raw["事项类型"]:
            bad("事项类型", f"第{number}行“事项类型”为空")
        elif "事项类型" not in raw:
            bad("事项类型", f"第{number}行缺少事项类型（表中没有“事项类型”列）")
    if parsed is not None:
        if values.get("exercise_level") and values["exercise_level"] != parsed.level:
            bad("行使层级", f"第{number}行行使层级“{raw.get('行使层级')}”与实施编码第19位“{parsed.level}”不一致")
        values["exercise_level"] = values.get("exercise_level") or parsed.level
    for header, table in (("办理形式", "handling_form"), ("服务对象", "service_object")):
        codes = []
        for part in filter(None, (p.strip() for p in _SPLIT.split(raw.get(header, "")))):
            found = lookup.code(table, part)
            if found is None:
                bad(header, f"第{number}行{header}“{part}”不在{CODE_TABLES[table]}代码表中")
            elif found not in codes:
                codes.append(found)
        values[ITEM_COLUMNS[header]] = codes
    for header in ("法定办结时限", "承诺办结时限"):
        try:
            limit, unit, immediate = parse_limit(raw.get(header, ""))
        except ValueError as exc:
            bad(header, f"第{number}行{header}：{exc}")
            continue
        if header == "法定办结时限":
            values["legal_limit"], values["legal_limit_unit"] = (0 if immediate else limit), unit
        else:
            values["promised_limit"], values["promised_limit_unit"] = limit, unit
            values["is_immediate"] = immediate
    try:
        values["visits"] = parse_visits(raw.get("到办事现场次数", ""))
    except ValueError as exc:
        bad("到办事现场次数", f"第{number}行：{exc}")
    for header in ("是否收费", "是否告知承诺", "是否支持网上支付"):
        text = raw.get(header, "")
        flag = parse_bool(text) if text else False
        if flag is None:
            bad(header, f"第{number}行{header}“{text}”应为“是”或“否”")
        values[ITEM_COLUMNS[header]] = bool(flag)
    for header in ("受理条件", "办理流程", "咨询电话", "常见问题", "必须现场办理原因说明", "设定依据", "收费依据",
                   "监督投诉电话", "办理地点", "办理时间", "审批结果名称", "别名"):
        values[ITEM_COLUMNS[header]] = raw.get(header, "")
    for header, limit in (("咨询电话", 100), ("监督投诉电话", 100), ("办理地点", 300), ("办理时间", 200),
                          ("审批结果名称", 200), ("必须现场办理原因说明", 500), ("别名", 500)):
        if len(values[ITEM_COLUMNS[header]]) > limit:
            bad(header, f"第{number}行{header}超过{limit}字")
    dept = departments.resolve(raw.get("实施主体", ""), values.get("implementing_uscc", ""))
    if dept is None:
        who = raw.get("实施主体") or values.get("implementing_uscc") or "（空）"
        bad("实施主体", f"第{number}行实施主体“{who}”不是平台上的部门（按名称或统一社会信用代码均未找到）")
    values["department_id"] = dept.pk if dept else None
    problems.extend(errors)
    return ItemRow(number, values, extra, bad=bool(errors))


class DepartmentIndex:
    def __init__(self):
        from zhengshu.orgs.models import Department

        self.by_uscc, self.by_name = {}, {}
        for dept in Department.objects.filter(is_active=True):
            if dept.uscc:
                self.by_uscc[dept.uscc.upper()] = dept
            for name in (dept.name, dept.short_name):
                if name:
                    self.by_name.setdefault(_norm(name), dept)

    def resolve(self, name: str, uscc: str):
        return self.by_uscc.get(uscc.upper()) or self.by_name.get(_norm(name)) if (name or uscc) else None


def _parse_material_row(number: int, raw: dict[str, str], problems: list[Problem]) -> tuple[str, dict] | None:
    errors: list[Problem] = []
    prefix = f"【申请材料】第{number}行"
    code = raw.get("实施编码", "").upper().replace(" ", "")
    name = raw.get("材料名称", "")
    if not code:
        errors.append(Problem(number, "实施编码", f"{prefix}实施编码为空"))
    if not name:
        errors.append(Problem(number, "材料名称", f"{prefix}材料名称为空"))
    elif len(name) > 300:
        errors.append(Problem(number, "材料名称", f"{prefix}材料名称超过300字"))
    row: dict[str, Any] = {"name": name, "source": raw.get("来源渠道", "")[:200], "notes": raw.get("材料说明", "")[:500]}
    for header in ("原件份数", "复印件份数"):
        text = _norm(raw.get(header, "")).removesuffix("份")
        if not text:
            row[MATERIAL_COLUMNS[header]] = 0
        elif text.isdigit() and int(text) < 100:
            row[MATERIAL_COLUMNS[header]] = int(text)
        else:
            errors.append(Problem(number, header, f"{prefix}{header}“{raw.get(header)}”应为0–99的整数"))
    for header, default in (("是否必备", True), ("是否容缺", False), ("是否可告知承诺", False)):
        text = raw.get(header, "")
        flag = parse_bool(text) if text else default
        if flag is None:
            errors.append(Problem(number, header, f"{prefix}{header}“{text}”应为“是”或“否”"))
        row[MATERIAL_COLUMNS[header]] = bool(flag)
    try:
        days, unit, _immediate = parse_limit(raw.get("容缺补齐时限", ""))
        if unit != LimitUnit.WORKDAY:
            raise ValueError("容缺补齐时限应以工作日计")
        row["missing_max_workdays"] = days
    except ValueError as exc:
        errors.append(Problem(number, "容缺补齐时限", f"{prefix}容缺补齐时限：{exc}"))
    problems.extend(errors)
    return None if errors else (code, row)


# --- importing --------------------------------------------------------------------------------------------

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
            problems.append(Problem(number, "实施编码", f"第{number}行实施编码{code}与第{by_code[code].row}行重复"))
            row.bad = True
        elif code:
            by_code[code] = row
        rows.append(row)
    existing = _existing_items(list(by_code))
    if MATERIAL_SHEET in sheets:
        seen: dict[tuple[str, str], int] = {}
        for number, raw in sheets[MATERIAL_SHEET].rows:
            parsed = _parse_material_row(number, raw, problems)
            code = raw.get("实施编码", "").upper().replace(" ", "")
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


# --- exporting --------------------------------------------------------------------------------------------

def _item_cells(item: ServiceItem, names: dict[str, dict[str, str]]) -> list[Any]:
    def name_of(table: str, code: str) -> str:
        return names.get(table, {}).get(code, code) if code else ""

    def limit(value, unit, immediate=False) -> str:
        if immediate:
            return "即办"
        return "" if value is None else f"{value}个{LimitUnit(unit).label}"

    yes = {True: "是", False: "否"}
    values = {
        "事项名称": item.name, "基本编码": item.basic_code, "实施编码": item.implementation_code,
        "事项类型": name_of("item_type", item.item_type), "实施主体": item.department.name,
        "实施主体代码": item.implementing_uscc, "行使层级": name_of("exercise_level", item.exercise_level),
        "法定办结时限": ("即办" if item.legal_limit == 0 else limit(item.legal_limit, item.legal_limit_unit)),
        "承诺办结时限": limit(item.promised_limit, item.promised_limit_unit, item.is_immediate),
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

        workbook = Workbook(write_only=True)
        for title, header, body in ((ITEM_SHEET, item_header, item_rows),
                                    (MATERIAL_SHEET, material_header, material_rows)):
            sheet = workbook.create_sheet(title)
            sheet.append(header)
            for row in body:
                sheet.append(row)
        workbook.save(path)
    elif path.suffix.lower() == ".csv":
        if encoding.lower() not in ENCODINGS:
            raise ImportError_(f"不支持的编码 {encoding}：可用 {'、'.join(ENCODINGS)}")
        sibling = path.with_name(f"{path.stem}_{MATERIAL_SHEET}.csv")
        for target, header, body in ((path, item_header, item_rows), (sibling, material_header, material_rows)):
            with open(target, "w", encoding=encoding, newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                writer.writerows(body)
        files.append(str(sibling))
    else:
        raise ImportError_(f"不支持的导出类型 {path.suffix or '（无扩展名）'}：请用 .xlsx 或 .csv")
    return {"items": len(item_rows), "materials": len(material_rows), "files": files}

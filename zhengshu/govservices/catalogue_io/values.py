"""Cell values as offices write them → field values: codes by name or alias, time limits, counts, yes/no; one
row of each sheet checked into field values and Chinese problems."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from zhengshu.govservices.catalogue_io.reading import (
    ITEM_COLUMNS,
    ITEM_SHEET,
    MATERIAL_COLUMNS,
    REQUIRED_ITEM,
    Problem,
)
from zhengshu.govservices.codeparse import CodeParseError, parse
from zhengshu.govservices.models import CODE_TABLES, CodeValue, LimitUnit

TRUE_WORDS = {"是", "y", "yes", "true", "1", "收费", "必备", "必须", "容缺", "允许", "支持", "可", "√"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "不收费", "免费", "非必备", "非必须", "不容缺", "不允许", "不支持",
               "不可", "无", "×"}
_CN_NUMBER = "零〇一二两三四五六七八九十百"
_LIMIT = re.compile(rf"^(\d+|[{_CN_NUMBER}]+)(?:\.0+)?个?(工作日|自然日|日历日|天|日)?(?:内|以内)?$")
_MONTHS = re.compile(rf"^(\d+|[{_CN_NUMBER}]+|半)个?(月|年)(?:内|以内)?$")
_VISITS = re.compile(rf"^(\d+|[{_CN_NUMBER}]+)(?:\.0+)?次?$")
_INTEGRAL = re.compile(r"^(\d+)\.0+$")  # 3.0: a whole number that went through a float (pandas, WPS)
_SPLIT = re.compile(r"[、,，;；/|]+")

def _norm(text: str) -> str:
    """Compare form: full-width letters, digits and brackets folded (NFKC), no white space, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _code(text: str) -> str:
    """A code cell (实施编码, 基本编码, 统一社会信用代码) in compare form, upper case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


def _cn_int(text: str) -> int:
    """"20" → 20, "二十" → 20, "十五" → 15, "一百二十" → 120."""
    if text.isdigit():
        return int(text)
    digits = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
    total = current = 0
    for char in text:
        if char in digits:
            current = digits[char]
        else:  # 十 or 百
            total += (current or 1) * (10 if char == "十" else 100)
            current = 0
    return total + current


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
        key = _INTEGRAL.sub(r"\1", key)  # "1.0" from a float column
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

    A bare number or 日/天 counts in working days (行政许可法第八十二条); Chinese numerals ("二十个工作日") and a
    trailing 内 ("20个工作日内") are read; 0 means 即办. A limit in months or years ("一个月") is refused: a month is
    not a fixed number of days, so the office converts it. Raises ValueError otherwise.
    """
    key = _norm(text)
    if key in ("", "无", "-", "—", "/"):
        return None, LimitUnit.WORKDAY, False
    if key in ("即办", "即办件", "当场办结", "当场", "立即办结"):
        return None, LimitUnit.WORKDAY, True
    match = _LIMIT.match(key)
    if not match:
        if _MONTHS.match(key):
            raise ValueError(f"时限“{text}”按月或年计，请换算为天数后再导入，如“30个自然日”或“22个工作日”")
        raise ValueError(f"无法识别的时限“{text}”，应写作“30个工作日”“20个自然日”或“即办”")
    value = _cn_int(match.group(1))
    if value == 0:
        return None, LimitUnit.WORKDAY, True
    unit = LimitUnit.CALENDAR_DAY if match.group(2) in ("自然日", "日历日") else LimitUnit.WORKDAY
    return value, unit, False


def parse_visits(text: str) -> int:
    key = _norm(text)
    if key in ("", "零次", "跑零次", "零跑"):
        return 0
    if key in ("最多跑一次", "一次", "跑一次"):
        return 1
    match = _VISITS.match(key)
    if not match:
        raise ValueError(f"无法识别的到办事现场次数“{text}”，应为 0、1、2 等次数")
    return _cn_int(match.group(1))


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
        errors.append(Problem(number, column, f"【{ITEM_SHEET}】{message}"))

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
    code = _code(raw.get("实施编码", ""))
    if code:
        try:
            parsed = parse(code)
        except CodeParseError as exc:
            if "E+" in code:
                exc = "该列被 Excel 存成了数字，位数已丢失，请把“实施编码”列设为文本后重新导出"
            bad("实施编码", f"第{number}行实施编码“{code}”无效：{exc}")
    values["implementation_code"] = code
    if parsed is not None:
        values["business_item_code"] = parsed.business_item
        basic = _code(raw.get("基本编码", ""))
        if basic.isdigit() and len(basic) < 12:  # a numeric cell lost its leading zeros
            basic = basic.zfill(12)
        if basic and basic != parsed.basic_code:
            bad("基本编码", f"第{number}行基本编码“{basic}”与实施编码第20–31位“{parsed.basic_code}”不一致")
        values["basic_code"] = parsed.basic_code
        uscc = _code(raw.get("实施主体代码", ""))
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
    code = _code(raw.get("实施编码", ""))
    name = raw.get("材料名称", "")
    if not code:
        errors.append(Problem(number, "实施编码", f"{prefix}实施编码为空"))
    if not name:
        errors.append(Problem(number, "材料名称", f"{prefix}材料名称为空"))
    elif len(name) > 300:
        errors.append(Problem(number, "材料名称", f"{prefix}材料名称超过300字"))
    row: dict[str, Any] = {"name": name, "source": raw.get("来源渠道", "")[:200], "notes": raw.get("材料说明", "")[:500]}
    for header in ("原件份数", "复印件份数"):
        text = _INTEGRAL.sub(r"\1", _norm(raw.get(header, "")).removesuffix("份"))
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

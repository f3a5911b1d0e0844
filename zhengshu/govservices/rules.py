"""浙江事项要素质量规则: consistency checks run on every item save and import, stored as ``ItemFinding`` rows.

The rules follow the checks a Zhejiang (温州) item-quality script applies to 政务服务网 item pages
(reference gov-services.md §1.2) plus the code-structure and 容缺 rules of this platform. Each rule is a pure
function of the item and its materials, so an import of thousands of items checks them without queries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from zhengshu.govservices.models import (
    ITEM_TYPE_LICENSING,
    MAIL_HANDLING_FORM,
    ONLINE_DEPTH_FULL,
    FindingSeverity,
    LimitUnit,
)

__all__ = ["RULES", "Issue", "evaluate", "refresh_findings", "suspended"]

ERROR, WARNING = FindingSeverity.ERROR.value, FindingSeverity.WARNING.value


@dataclass(frozen=True)
class Issue:
    rule: str
    severity: str
    field: str
    message: str


RULES: dict[str, tuple[str, Callable]] = {}


def rule(code: str, title: str):
    def add(fn):
        RULES[code] = (title, fn)
        return fn

    return add


# 承诺办结时限 即办 ⇔ 办件类型 即办件 and 事项审查类型 即审即办; otherwise 承诺件 and 前审后批. The two types are
# not fields of the item: they are checked when an imported catalogue carried them (kept in ``extra``).
_IMMEDIATE_TYPES = {"办件类型": ("即办件", "承诺件"), "事项审查类型": ("即审即办", "前审后批")}


@rule("Q01", "即办件不应有承诺期限，承诺件须有承诺期限；办件类型、审查类型与之一致")
def _immediate(item, materials):
    if item.is_immediate and item.promised_limit:
        yield Issue("Q01", ERROR, "promised_limit", f"即办件的承诺办结时限应为“即办”，实际为{item.promised_limit}天")
    if not item.is_immediate and not item.promised_limit:
        yield Issue("Q01", ERROR, "promised_limit", "承诺件须填写承诺办结时限（或标为即办）")
    for column, (immediate, promised) in _IMMEDIATE_TYPES.items():
        given = str((item.extra or {}).get(column, "")).strip()
        wanted = immediate if item.is_immediate else promised
        if given in (immediate, promised) and given != wanted:
            yield Issue("Q01", ERROR, "is_immediate",
                        f"承诺办结时限为{'“即办”' if item.is_immediate else item.limit_text()}，{column}应为“{wanted}”，"
                        f"实际为“{given}”")


@rule("Q02", "到办事现场次数与必须现场办理原因说明一致")
def _visits_reason(item, materials):
    if item.visits and not item.onsite_reason.strip():
        yield Issue("Q02", ERROR, "onsite_reason", f"到办事现场{item.visits}次，须填写必须现场办理原因说明")
    if not item.visits and item.onsite_reason.strip():
        yield Issue("Q02", ERROR, "onsite_reason", "到办事现场0次，必须现场办理原因说明应为空")


@rule("Q03", "零跑且非网办的事项须支持快递申请")
def _zero_visits_mail(item, materials):
    if not item.visits and not item.online_available and MAIL_HANDLING_FORM not in (item.handling_forms or []):
        yield Issue("Q03", ERROR, "handling_forms", "到办事现场0次但不能网上办理，办理形式须包含快递申请")


@rule("Q04", "全程网办（Ⅳ级）须零跑且可网上办理")
def _full_online(item, materials):
    if item.online_depth == ONLINE_DEPTH_FULL:
        if item.visits:
            yield Issue("Q04", ERROR, "visits", f"网办深度为全程网办（Ⅳ级），到办事现场次数应为0，实际为{item.visits}")
        if not item.online_available:
            yield Issue("Q04", ERROR, "handling_forms", "网办深度为全程网办（Ⅳ级），办理形式须包含网上办理")


_STEP_LIMIT = re.compile(r"(\d+)\s*个?\s*工作日")


def step_workdays(process: str) -> list[int]:
    """The working days of each step of a 办理流程 written one step a line ("2. 审查（3个工作日）")."""
    days = []
    for line in process.splitlines():
        found = _STEP_LIMIT.search(line)
        if found:
            days.append(int(found.group(1)))
    return days


@rule("Q05", "行政许可事项须有常见问题和分环节的办理流程，环节时限合计不超过承诺期限")
def _licensing_content(item, materials):
    if item.item_type == ITEM_TYPE_LICENSING:
        if not item.faq.strip():
            yield Issue("Q05", ERROR, "faq", "行政许可事项须至少有一条常见问题")
        if not item.process.strip():
            yield Issue("Q05", ERROR, "process", "行政许可事项须有办理流程")
        elif not item.is_immediate:
            steps = step_workdays(item.process)
            if not steps:
                yield Issue("Q05", WARNING, "process", "办理流程未按环节写明时限（如“审查（3个工作日）”）")
            elif item.promised_limit and item.promised_limit_unit == LimitUnit.WORKDAY \
                    and sum(steps) > item.promised_limit:
                yield Issue("Q05", ERROR, "process", f"办理流程各环节时限合计{sum(steps)}个工作日，"
                                                     f"超过承诺办结时限{item.promised_limit}个工作日")
        if item.legal_limit is None:
            yield Issue("Q05", ERROR, "legal_limit", "行政许可事项须有法定办结时限")


def _as_calendar_days(value: int, unit: str) -> float:
    return value * 7 / 5 if unit == LimitUnit.WORKDAY else float(value)


@rule("Q06", "承诺办结时限不得超过法定办结时限")
def _promised_le_legal(item, materials):
    if item.promised_limit and item.legal_limit is not None:
        same = item.promised_limit_unit == item.legal_limit_unit
        promised = _as_calendar_days(item.promised_limit, item.promised_limit_unit)
        legal = _as_calendar_days(item.legal_limit, item.legal_limit_unit)
        if (item.promised_limit > item.legal_limit) if same else (promised > legal):
            yield Issue("Q06", ERROR, "promised_limit",
                        f"承诺办结时限（{item.limit_text('promised')}）超过法定办结时限（{item.limit_text('legal')}）")


@rule("Q07", "不收费不应支持网上支付；收费须有收费依据")
def _fee(item, materials):
    if not item.fee and item.online_payment:
        yield Issue("Q07", ERROR, "online_payment", "事项不收费，却标为支持网上支付")
    if item.fee and not item.fee_basis.strip():
        yield Issue("Q07", WARNING, "fee_basis", "收费事项须填写收费依据")


@rule("Q08", "咨询电话与监督投诉电话不应相同")
def _phones(item, materials):
    if item.consult_phone.strip() and item.consult_phone.strip() == item.supervise_phone.strip():
        yield Issue("Q08", WARNING, "supervise_phone", "咨询电话与监督投诉电话相同")


@rule("Q09", "实施编码与基本编码、行使层级、实施主体代码一致")
def _code_structure(item, materials):
    from zhengshu.govservices.codeparse import CodeParseError, parse

    try:
        parsed = parse(item.implementation_code)
    except CodeParseError as exc:
        yield Issue("Q09", ERROR, "implementation_code", str(exc))
        return
    if parsed.basic_code != item.basic_code:
        yield Issue("Q09", ERROR, "basic_code", f"实施编码中的基本编码为{parsed.basic_code}，与基本编码{item.basic_code}不一致")
    if parsed.level != item.exercise_level:
        yield Issue("Q09", ERROR, "exercise_level",
                    f"实施编码第19位行使层级为{parsed.level}，与行使层级代码{item.exercise_level}不一致")
    if item.implementing_uscc and parsed.uscc != item.implementing_uscc:
        yield Issue("Q09", ERROR, "implementing_uscc",
                    f"实施编码前18位{parsed.uscc}与实施主体代码{item.implementing_uscc}不一致")
    if parsed.business_item != (item.business_item_code or ""):
        yield Issue("Q09", ERROR, "business_item_code", "实施编码的业务办理项后缀与“业务办理项”不一致")
    if item.basic_code[2:4].isdigit() and item.basic_code[2:4] != item.item_type:
        yield Issue("Q09", WARNING, "item_type",
                    f"基本编码第3–4位为{item.basic_code[2:4]}，与事项类型代码{item.item_type}不同（各省编码可能不同）")


@rule("Q10", "容缺材料须有补齐期限，且不超过承诺办结时限")
def _missing_materials(item, materials):
    for m in materials:
        if not m.may_be_missing:
            continue
        if not m.missing_max_workdays:
            yield Issue("Q10", ERROR, "materials", f"材料“{m.name}”允许容缺，须填写补齐最长时限")
        elif item.promised_limit and item.promised_limit_unit == LimitUnit.WORKDAY \
                and m.missing_max_workdays > item.promised_limit:
            yield Issue("Q10", ERROR, "materials",
                        f"材料“{m.name}”容缺补齐时限{m.missing_max_workdays}个工作日，超过承诺办结时限{item.promised_limit}个工作日")
        if item.is_immediate:
            yield Issue("Q10", WARNING, "materials", f"即办件的材料“{m.name}”标为容缺，通常无需容缺")


@rule("Q11", "事项须有申请材料和受理条件")
def _content(item, materials):
    if not materials:
        yield Issue("Q11", WARNING, "materials", "事项没有申请材料")
    if not item.acceptance_conditions.strip():
        yield Issue("Q11", WARNING, "acceptance_conditions", "事项没有受理条件")


def evaluate(item, materials: Iterable) -> list[Issue]:
    """Every issue the rules find for ``item`` with ``materials`` (objects with the Material fields)."""
    materials = list(materials)
    issues: list[Issue] = []
    for _title, fn in RULES.values():
        issues.extend(fn(item, materials))
    return issues


_SUSPENDED: ContextVar[bool] = ContextVar("govservices_findings_suspended", default=False)


@contextmanager
def suspended():
    """Within this block the save signals do not refresh findings (bulk import refreshes them itself)."""
    token = _SUSPENDED.set(True)
    try:
        yield
    finally:
        _SUSPENDED.reset(token)


def is_suspended() -> bool:
    return _SUSPENDED.get()


def refresh_findings(items) -> int:
    """Recompute and store the findings of ``items`` (ServiceItem objects); returns the number stored."""
    from zhengshu.govservices.models import ItemFinding, Material

    items = list(items)
    stored = 0
    for start in range(0, len(items), 500):
        chunk = items[start:start + 500]
        by_item: dict[int, list] = {i.pk: [] for i in chunk}
        for m in Material.objects.filter(item_id__in=list(by_item)).order_by("item_id", "sort", "id"):
            by_item[m.item_id].append(m)
        rows = [ItemFinding(item=i, rule=x.rule, severity=x.severity, field=x.field, message=x.message[:500])
                for i in chunk for x in evaluate(i, by_item[i.pk])]
        ItemFinding.objects.filter(item_id__in=list(by_item)).delete()
        ItemFinding.objects.bulk_create(rows, batch_size=1000)
        stored += len(rows)
    return stored

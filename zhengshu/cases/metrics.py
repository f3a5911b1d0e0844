"""Service metrics (reference gov-services.md §2.1) computed from cases and items, never stored.

Each metric is a ``MetricDefinition`` row: what it counts (cases or items), a base scope, and numerator and
denominator predicates as JSON. A predicate maps ``field__op`` to a value; ops: exact (no suffix), ``in``,
``lt``, ``lte``, ``gt``, ``gte``, ``isnull``, ``ne``, and for item list fields ``overlaps`` (any common value).
The key ``$year`` in a base names the date field whose year is the reporting year.
Case predicates run in the database; item predicates run in Python over the published catalogue.
"""

from __future__ import annotations

from functools import reduce
from operator import and_

from django.core.exceptions import FieldError
from django.db.models import Count, Q

from zhengshu.cases.choices import MetricKind, MetricUnit

# 依申请政务服务事项: every item type except 处罚、强制、检查 (which are not applied for).
APPLIED_TYPES = ["00", "01", "04", "05", "07", "08", "09", "10", "11", "20"]
ONLINE_FORMS = ["2", "3"]

DEFAULT_METRICS = [
    # key, name, unit, kind, base, numerator, denominator, definition
    ("one_network_rate", "依申请政务服务事项办件“一网通办”率", MetricUnit.CASES, MetricKind.RATIO,
     {"$year": "submitted_at", "item__item_type__in": APPLIED_TYPES}, {"via_platform": True}, {},
     "当年申请的依申请事项办件中，经一体化政务服务平台申报、受理（含窗口在平台统一收件、浙里办、PC端、自助终端、"
     "异地代收）的件数 ÷ 当年申请的依申请事项办件总数。"),
    ("online_available_rate", "网上可办率", MetricUnit.ITEMS, MetricKind.RATIO,
     {"status": "published", "item_type__in": APPLIED_TYPES}, {"handling_forms__overlaps": ONLINE_FORMS}, {},
     "已发布的依申请事项中，办理形式含电脑端网上办理或移动端网上申请的事项数 ÷ 依申请事项总数。"),
    ("full_online_rate", "全程网办率", MetricUnit.ITEMS, MetricKind.RATIO,
     {"status": "published", "item_type__in": APPLIED_TYPES},
     {"online_depth": "4", "handling_forms__overlaps": ONLINE_FORMS}, {},
     "已发布的依申请事项中，网办深度为全程网办（Ⅳ级）且可网上办理的事项数 ÷ 依申请事项总数。"),
    ("immediate_rate", "即办率", MetricUnit.ITEMS, MetricKind.RATIO,
     {"status": "published", "item_type__in": APPLIED_TYPES}, {"is_immediate": True}, {},
     "已发布的依申请事项中，承诺时限为即办的事项数 ÷ 依申请事项总数。"),
    ("zero_visit_rate", "跑零次率", MetricUnit.ITEMS, MetricKind.RATIO,
     {"status": "published", "item_type__in": APPLIED_TYPES}, {"visits": 0}, {},
     "已发布的依申请事项中，到办事现场次数为 0 的事项数 ÷ 依申请事项总数。"),
    ("deadline_compression", "承诺期限压缩比", MetricUnit.ITEMS, MetricKind.COMPRESSION,
     {"status": "published", "item_type__in": APPLIED_TYPES}, {}, {"legal_limit__gt": 0},
     "有法定办结时限的已发布依申请事项：1 − Σ承诺办结时限 ÷ Σ法定办结时限（即办件承诺时限按 0 计）。"),
    ("on_time_rate", "按时办结率", MetricUnit.CASES, MetricKind.RATIO,
     {"$year": "concluded_at"}, {"on_time": True}, {"on_time__isnull": False},
     "当年办结的办件中，办结日不晚于承诺办结日（补正、特别程序不计时，延长审批顺延）的件数 ÷ 当年办结件数。"),
    ("good_rating_rate", "好评率", MetricUnit.CASES, MetricKind.RATIO,
     {"$year": "rating__rated_at"}, {"rating__level__lte": 2}, {"rating__isnull": False},
     "当年的评价中，非常满意和满意（代码 1、2）的件数 ÷ 当年评价总件数。"),
]

KEYS = [m[0] for m in DEFAULT_METRICS]


def ensure_metric_definitions() -> None:
    """Create the default definitions that do not exist yet (edited ones are kept)."""
    from zhengshu.cases.models import MetricDefinition

    existing = set(MetricDefinition.objects.values_list("key", flat=True))
    for sort, (key, name, unit, kind, base, num, den, text) in enumerate(DEFAULT_METRICS):
        if key not in existing:
            MetricDefinition.objects.create(key=key, name=name, unit=unit, kind=kind, base=base, numerator=num,
                                            denominator=den, definition=text, sort=(sort + 1) * 10)


# --- predicates ------------------------------------------------------------------------------------

_OPS = ("in", "lt", "lte", "gt", "gte", "isnull", "ne", "overlaps")


def _split(key: str) -> tuple[str, str]:
    field, _, op = key.rpartition("__")
    if field and op in _OPS:
        return field, op
    return key, "exact"


def to_q(predicate: dict, year: int | None = None) -> Q:
    """A database filter for a case predicate."""
    parts = []
    for key, value in (predicate or {}).items():
        if key == "$year":
            if year is not None:
                parts.append(Q(**{f"{value}__year": year}))
            continue
        field, op = _split(key)
        if op == "overlaps":
            raise ValueError(f"办件指标条件不支持 overlaps：{key}")
        if op == "ne":
            parts.append(~Q(**{field: value}))
        elif op == "exact":
            parts.append(Q(**{field: value}))
        else:
            parts.append(Q(**{key: value}))
    return reduce(and_, parts, Q())


def matches(row: dict, predicate: dict) -> bool:
    """Whether an item (as a dict of its fields) satisfies a predicate."""
    for key, value in (predicate or {}).items():
        if key == "$year":
            continue
        field, op = _split(key)
        actual = row.get(field)
        ok = {
            "exact": lambda: actual == value,
            "ne": lambda: actual != value,
            "in": lambda: actual in value,
            "lt": lambda: actual is not None and actual < value,
            "lte": lambda: actual is not None and actual <= value,
            "gt": lambda: actual is not None and actual > value,
            "gte": lambda: actual is not None and actual >= value,
            "isnull": lambda: (actual is None) == bool(value),
            "overlaps": lambda: bool(set(actual or ()) & set(value)),
        }[op]()
        if not ok:
            return False
    return True


def validate_predicate(unit: str, predicate: dict) -> None:
    """Raise ValueError (Chinese) when a predicate names an unknown field."""
    from zhengshu.cases.models import Case
    from zhengshu.govservices.models import ServiceItem

    if unit == MetricUnit.CASES:
        try:
            list(Case.objects.filter(to_q(predicate, 2000))[:1])
        except (FieldError, ValueError, TypeError) as exc:
            raise ValueError(f"办件条件无效：{exc}") from None
    else:
        names = {f.name for f in ServiceItem._meta.concrete_fields}
        bad = [k for k in predicate if k != "$year" and _split(k)[0] not in names]
        if bad:
            raise ValueError("事项条件含未知字段：" + "、".join(bad))


# --- computing ---------------------------------------------------------------------------------------

ITEM_FIELDS = ("id", "status", "item_type", "handling_forms", "online_depth", "is_immediate", "visits",
               "legal_limit", "legal_limit_unit", "promised_limit", "promised_limit_unit", "department_id")


def _department_ids(department) -> list[int] | None:
    return None if department is None else department.subtree_ids()


def case_scope(definition, year: int, department=None):
    from zhengshu.cases.models import Case

    qs = Case.objects.filter(to_q(definition.base, year))
    ids = _department_ids(department)
    if ids is not None:
        qs = qs.filter(department_id__in=ids)
    return qs


def item_rows(definition, department=None, rows: list[dict] | None = None) -> list[dict]:
    """The items a definition counts: the department's items (``rows`` if given) that match its base."""
    if rows is None:
        rows = all_item_rows(department)
    return [r for r in rows if matches(r, definition.base)]


def all_item_rows(department=None) -> list[dict]:
    from zhengshu.govservices.models import ServiceItem

    qs = ServiceItem.objects.all()
    ids = _department_ids(department)
    if ids is not None:
        qs = qs.filter(department_id__in=ids)
    return list(qs.values(*ITEM_FIELDS))


def compute(definition, year: int, department=None, items: list[dict] | None = None) -> dict:
    """``{"value", "numerator", "denominator"}`` of one metric (value None when the denominator is 0).

    ``items``: the department's item rows (``item_rows`` without the definition's base filter) when the caller
    computes several item metrics at once."""
    if definition.unit == MetricUnit.CASES:
        scope = case_scope(definition, year, department)
        counts = scope.filter(to_q(definition.denominator)).aggregate(
            den=Count("id"), num=Count("id", filter=to_q(definition.numerator)))  # one pass over the cases
        num, den = counts["num"], counts["den"]
        return {"value": round(num / den, 4) if den else None, "numerator": num, "denominator": den}
    rows = [r for r in item_rows(definition, department, items) if matches(r, definition.denominator)]
    if definition.kind == MetricKind.COMPRESSION:
        legal = promised = 0
        for r in rows:
            if r["legal_limit"] is None or r["promised_limit_unit"] != r["legal_limit_unit"] and not r["is_immediate"]:
                continue
            legal += r["legal_limit"]
            promised += 0 if r["is_immediate"] else min(r["promised_limit"] or r["legal_limit"], r["legal_limit"])
        return {"value": round(1 - promised / legal, 4) if legal else None, "numerator": promised,
                "denominator": legal}
    num = sum(1 for r in rows if matches(r, definition.numerator))
    return {"value": round(num / len(rows), 4) if rows else None, "numerator": num, "denominator": len(rows)}


def drill_down(definition, year: int, department=None, part: str = "numerator"):
    """The cases (a queryset) or items (a list of ids) counted in ``part``: numerator, denominator, excluded."""
    if definition.unit == MetricUnit.CASES:
        den = case_scope(definition, year, department).filter(to_q(definition.denominator))
        if part == "denominator":
            return den
        num_q = to_q(definition.numerator)
        return den.exclude(num_q) if part == "excluded" else den.filter(num_q)
    rows = [r for r in item_rows(definition, department) if matches(r, definition.denominator)]
    if part == "numerator" and definition.kind == MetricKind.RATIO:
        rows = [r for r in rows if matches(r, definition.numerator)]
    elif part == "excluded":
        rows = [r for r in rows if not matches(r, definition.numerator)]
    return [r["id"] for r in rows]


def compute_all(year: int, department=None) -> dict:
    from zhengshu.cases.models import Case, MetricDefinition

    ensure_metric_definitions()
    result: dict = {"year": year, "department": department.code if department else None}
    counts: dict = {}
    items = None
    for definition in MetricDefinition.objects.all():
        if definition.unit != MetricUnit.CASES and items is None:
            items = all_item_rows(department)  # read once for all item metrics
        figures = compute(definition, year, department, items)
        result[definition.key] = figures["value"]
        counts[definition.key] = {"numerator": figures["numerator"], "denominator": figures["denominator"]}
    cases = Case.objects.filter(submitted_at__year=year)
    if department is not None:
        cases = cases.filter(department_id__in=department.subtree_ids())
    counts["cases_submitted"] = cases.count()
    counts["cases_concluded"] = Case.objects.filter(
        concluded_at__year=year, **({"department_id__in": department.subtree_ids()} if department else {})).count()
    result["counts"] = counts
    return result


def run_metrics_command(options: dict) -> dict:
    """For ``zhengshu services metrics --year Y [--department D] --json``: the dict to print."""
    from zhengshu.orgs.models import Department

    year = int(options.get("year") or 0)
    if year < 2000:
        raise ValueError("请用 --year 指定统计年度，如 --year 2023")
    department = None
    code = options.get("department")
    if code:
        department = Department.objects.filter(code=code).first()
        if department is None:
            raise ValueError(f"部门编码“{code}”不存在")
    return compute_all(year, department)

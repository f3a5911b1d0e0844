"""Every figure of the cockpit and the annual report, computed from the other apps' selectors only.

A figure is a ``Figure``: key, Chinese name, section, unit, definition, source (the selector it comes from), value,
and where the data allows its breakdowns by month, by department and by town, plus the list behind it (drill-down).
``compute(year)`` builds all of them uncached; ``cache.get_figures(year)`` is what pages, the API and the report
read. Values are JSON-ready: a ratio is a float in [0, 1] rounded to 4 places, money is whole yuan, counts are ints.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.urls import reverse

SECTIONS = (
    ("gov", "政务服务"),
    ("data", "数据资源管理"),
    ("trading", "公共资源交易"),
)

RATIO, COUNT, MONEY = "ratio", "count", "money"


@dataclass
class Figure:
    key: str
    name: str
    section: str
    kind: str  # ratio | count | money
    unit: str  # 件、个、条、元、% …
    definition: str
    source: str
    value: float | int | None
    as_of: str = ""  # for stock figures (catalogues, aggregation): the day they describe
    by_month: list[dict] | None = None  # [{"month", "value", "numerator"?, "denominator"?}]
    by_department: list[dict] | None = None  # [{"code", "name", "value"}]
    by_town: list[dict] | None = None  # [{"code", "name", "value"}]
    drill: str = ""  # URL of the list behind the figure
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def _url(name: str, args=None, **params) -> str:
    url = reverse(name, args=args or [])
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def _ratio(num, den) -> float | None:
    return round(num / den, 4) if den else None


def _money(value) -> int:
    return int(Decimal(value or 0).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _rate(value) -> float | None:
    return None if value is None else round(float(value), 4)


def _levels() -> dict[str, str]:
    from zhengshu.orgs.models import Department

    return dict(Department.objects.values_list("code", "level"))


def _split_departments(rows: list[dict], value_key) -> tuple[list[dict], list[dict]]:
    """City departments and towns (departments of level 镇·街道) from rows carrying ``level``."""
    get = value_key if callable(value_key) else (lambda r: r[value_key])
    depts = [{"code": r["code"], "name": r["name"], "value": get(r)} for r in rows if r.get("level") != "town"]
    towns = [{"code": r["code"], "name": r["name"], "value": get(r)} for r in rows if r.get("level") == "town"]
    return depts, towns


def _months(rows: list[dict], value_key, num=None, den=None) -> list[dict]:
    out = []
    for r in rows:
        entry = {"month": r["month"], "value": value_key(r) if callable(value_key) else r[value_key]}
        if num and den:
            entry["numerator"], entry["denominator"] = r[num], r[den]
        out.append(entry)
    return out


# --- 政务服务 ------------------------------------------------------------------------------------------


METRIC_FIGURES = (
    # metric key, figure name in the report, by month/department available
    ("one_network_rate", "“一网通办”办件率", True),
    ("on_time_rate", "按时办结率", True),
    ("good_rating_rate", "好评率", True),
    ("online_available_rate", "网上可办率", False),
    ("full_online_rate", "全程网办率", False),
)


def _gov(year: int) -> list[Figure]:
    from zhengshu.assistant import selectors as assistant
    from zhengshu.cases import metrics
    from zhengshu.cases import selectors as cases

    figures: list[Figure] = []
    all_metrics = metrics.compute_all(year)
    counts = all_metrics["counts"]
    breakdown = cases.case_breakdown(year)
    depts, towns = _split_departments(breakdown["by_department"], "submitted")
    figures.append(Figure(
        "cases_submitted", "办件量", "gov", COUNT, "件",
        "当年申请（按申请时间）的办件数，含不予受理、撤回等全部办件。", "cases.metrics.compute_all → counts.cases_submitted",
        counts["cases_submitted"], by_month=_months(breakdown["by_month"], "submitted"),
        by_department=depts, by_town=towns,
        drill=_url("cases:metric_drill", ["one_network_rate"], year=year, part="denominator")))
    definitions = cases.metric_definitions()
    for key, name, monthly in METRIC_FIGURES:
        definition = definitions.get(key)
        if definition is None:
            continue
        fig = Figure(key, name, "gov", RATIO, "%", definition["definition"],
                     f"cases.metrics.compute_all → {key}", _rate(all_metrics.get(key)),
                     drill=_url("cases:metric_drill", [key], year=year, part="numerator"),
                     extra=dict(counts.get(key, {})))
        if monthly:
            rows = cases.metric_breakdown(key, year)
            if rows is not None:
                fig.source += f"；cases.selectors.metric_breakdown('{key}')"
                fig.by_month = _months(rows["by_month"], lambda r: _ratio(r["numerator"], r["denominator"]),
                                       "numerator", "denominator")
                fig.by_department, fig.by_town = _split_departments(
                    rows["by_department"], lambda r: _ratio(r["numerator"], r["denominator"]))
        figures.append(fig)
    regions = cases.region_figures(year)
    scope = cases.cross_region_scope()
    figures.append(Figure(
        "cross_region_cases", "异地通办（代收代办）办件", "gov", COUNT, "件",
        "当年申请的办件中经“异地无忧”合作地区代收代办的件数（按合作地区统计）。",
        "cases.selectors.region_figures；cases.selectors.case_breakdown → cross_region",
        sum(r["cases"] for r in regions), by_month=_months(breakdown["by_month"], "cross_region"),
        drill=_url("cases:cross_region", year=year),
        extra={"by_region": [{"code": r["code"], "name": r["region"], "province": r["province"], "value": r["cases"]}
                             for r in regions]}))
    figures.append(Figure("partner_provinces", "异地无忧覆盖省份", "gov", COUNT, "省",
                          "有效合作地区所在的省份数（现状）。", "cases.selectors.cross_region_scope → provinces",
                          scope["provinces"], drill=_url("cases:cross_region", year=year)))
    figures.append(Figure("partner_regions", "异地无忧合作县市", "gov", COUNT, "个",
                          "有效的异地通办合作地区（县级行政区）数（现状）。", "cases.selectors.cross_region_scope → regions",
                          scope["regions"], drill=_url("cases:cross_region", year=year)))
    figures.append(Figure("cross_region_items", "异地通办高频事项", "gov", COUNT, "项",
                          "列入异地通办协议的不同事项数（现状）。", "cases.selectors.cross_region_scope → items",
                          scope["items"], drill=_url("cases:cross_region", year=year)))
    assist = assistant.assist_counts(year)
    figures.append(Figure(
        "assist_requests", "“潮晓云”帮办请求", "gov", COUNT, "件",
        "当年提出的帮办（视频帮办、市镇村三级联动）请求数，按提出时间。", "assistant.selectors.assist_counts → requests",
        assist["requests"], by_month=_months(assist["by_month"], "requests"),
        by_town=[{"code": r["code"], "name": r["name"], "value": r["requests"]} for r in assist["by_town"]],
        drill=_url("assistant:request_queue", status="all"),
        extra={"closed": assist["closed"], "questions": assist["questions"], "by_level": assist["by_level"]}))
    return figures


# --- 数据资源管理 --------------------------------------------------------------------------------------


def _data(year: int) -> list[Figure]:
    from zhengshu.datagov import selectors as datagov
    from zhengshu.dataresources import selectors as catalogue

    figures: list[Figure] = []
    counts = catalogue.catalogue_counts()
    published = _url("dataresources:dataresource_list", status="published")
    for key, name, attr, text in (
        ("catalogue_shareable", "可共享数据目录", "shareable", "已发布目录中共享类型不是“不予共享”的目录数（现状）。"),
        ("catalogue_openable", "可开放数据目录", "openable", "已发布目录中开放属性不是“禁止开放”的目录数（现状）。"),
    ):
        figures.append(Figure(
            key, name, "data", COUNT, "个", text, f"dataresources.selectors.catalogue_counts → {attr}", counts[attr],
            by_department=[{"code": r["code"], "name": r["name"], "value": r[attr]} for r in counts["by_department"]],
            drill=published, extra={"published": counts["total"]}))
    summary = datagov.aggregation_summary(year)
    months = datagov.aggregation_by_month(year)
    levels = _levels()
    depts, towns = _split_departments(
        [{**r, "code": r["department_code"], "name": r["department"], "level": levels.get(r["department_code"])}
         for r in summary["by_department"]],
        "total_records")
    figures.append(Figure(
        "records_aggregated", "归集总量", "data", COUNT, "条",
        "截至年末（当年未过完则截至今日）归集资源在数据湖中的记录总数，取该日的每日质量快照。",
        "datagov.selectors.aggregation_summary → total_records；datagov.selectors.aggregation_by_month",
        summary["total_records"], as_of=summary["as_of"], by_month=_months(months, "total_records"),
        by_department=depts, by_town=towns, drill=_url("datagov:overview")))
    depts, towns = _split_departments(
        [{**r, "code": r["department_code"], "name": r["department"], "level": levels.get(r["department_code"])}
         for r in summary["by_department"]],
        "aggregation_rate")
    figures.append(Figure(
        "aggregation_rate", "归集率", "data", RATIO, "%",
        f"应归集资源中按口径归集的比例（口径：{summary['definition']}），截至年末。",
        "datagov.selectors.aggregation_summary → aggregation_rate；datagov.selectors.aggregation_by_month",
        _rate(summary["aggregation_rate"]), as_of=summary["as_of"],
        by_month=_months(months, "aggregation_rate", "resources_on_time", "resources_due"),
        by_department=depts, by_town=towns, drill=_url("datagov:aggregationresource_list"),
        extra={"resources_due": summary["resources_due"], "resources_on_time": summary["resources_on_time"]}))
    resources = summary["resources"]
    has_data = bool(summary["resources_due"] or summary["total_records"])  # no batch at all: no score either
    mean_score = (round(sum(r["score"] * r["resources"] for r in summary["by_department"]) / resources, 2)
                  if resources and has_data else None)
    figures.append(Figure(
        "quality_score", "数据质量平均得分", "data", COUNT, "分",
        "截至年末各归集资源质量得分（完整性、有效性、唯一性、及时性）的平均值，满分 100。",
        "datagov.selectors.aggregation_summary → by_department.score（按资源数加权）",
        mean_score, as_of=summary["as_of"], by_month=_months(months, "score"),
        by_department=[{"code": r["department_code"], "name": r["department"], "value": r["score"]}
                       for r in summary["by_department"]], drill=_url("datagov:overview")))
    inspection = datagov.inspection_counts(year)
    for key, name, attr, text, url in (
        ("weekly_reminders", "周提醒", "reminders", "当年发出的周提醒（按提醒日期）。", "datagov:reminder_list"),
        ("dekad_bulletins", "旬通报", "bulletins", "当年发布的旬通报（按通报日期）。", "datagov:bulletin_list"),
        ("monthly_shutdowns", "月停机", "shutdowns", "当年提出并经批准的停机单（含已恢复），按提出日期。",
         "datagov:shutdownorder_list"),
    ):
        fig = Figure(key, name, "data", COUNT, "次", text, f"datagov.selectors.inspection_counts → {attr}",
                     inspection[attr], by_month=_months(inspection["by_month"], attr), drill=_url(url))
        if attr != "bulletins":
            fig.by_department, fig.by_town = _split_departments(inspection["by_department"], attr)
        figures.append(fig)
    archive = _archive_counts()
    as_of = _local_day(archive["built_at"])
    for key, name, attr, unit, text in (
        ("archive_enterprises", "“一企一档”企业", "enterprises", "户", "最近一次一企一档构建中建档的企业数（有统一社会信用代码的登记主体）。"),
        ("archive_records", "“一企一档”关联数据", "linked", "条", "最近一次构建中关联到企业的各部门记录数（按统一社会信用代码、组织机构代码或规范化名称）。"),
        ("archive_sources", "“一企一档”对接数据库", "sources", "个", "纳入一企一档构建的数据资源（启用的档案来源）数。"),
    ):
        figures.append(Figure(key, name, "data", COUNT, unit, text, f"archive.selectors.archive_counts → {attr}",
                              archive[attr] if archive["built_at"] or attr == "sources" else None, as_of=as_of,
                              drill=_url("archive:index")))
    return figures


def _local_day(stamp) -> str:
    """``YYYY-MM-DD`` in local time of an ISO timestamp (or datetime); "" for None."""
    from datetime import datetime

    from django.utils import timezone

    if not stamp:
        return ""
    moment = stamp if isinstance(stamp, datetime) else datetime.fromisoformat(str(stamp))
    return (timezone.localtime(moment) if timezone.is_aware(moment) else moment).date().isoformat()


def _archive_counts() -> dict:
    """The archive's figures; zeros when the archive app is not installed (the cockpit does not require it)."""
    try:
        from zhengshu.archive.selectors import archive_counts
    except ImportError:
        return {"enterprises": 0, "linked": 0, "sources": 0, "built_at": None}
    return archive_counts()


# --- 公共资源交易 --------------------------------------------------------------------------------------


def _trading(year: int) -> list[Figure]:
    from zhengshu.trading import selectors as trading

    figures: list[Figure] = []
    t = trading.tender_breakdown(year)
    depts, towns = _split_departments(t["by_department"], "tenders")
    project_list = "trading:tenderproject_list"
    figures.append(Figure(
        "tenders", "招标项目", "trading", COUNT, "个",
        "当年公告（未公告的按计划日期）且已进入公告阶段的招标（采购）项目数。", "trading.selectors.tender_breakdown → tenders",
        t["tenders"], by_month=_months(t["by_month"], "tenders"), by_department=depts, by_town=towns,
        drill=_url(project_list, year=year)))
    depts, towns = _split_departments(t["by_department"], "separated")
    figures.append(Figure(
        "separated_tenders", "“评定分离”招标项目", "trading", COUNT, "个", "当年招标项目中实行评定分离的项目数。",
        "trading.selectors.tender_breakdown → separated", t["separated"],
        by_month=_months(t["by_month"], "separated"), by_department=depts, by_town=towns,
        drill=_url(project_list, separated="true", year=year)))
    depts, towns = _split_departments(t["by_department"], lambda r: _ratio(r["separated"], r["tenders"]))
    figures.append(Figure(
        "separated_share", "“评定分离”占总招标项目数比例", "trading", RATIO, "%", "评定分离项目数 ÷ 招标项目数。",
        "trading.selectors.tender_breakdown → separated_share", _rate(t["separated_share"]),
        by_month=_months(t["by_month"], lambda r: _ratio(r["separated"], r["tenders"]), "separated", "tenders"),
        by_department=depts, by_town=towns, drill=_url(project_list, separated="true", year=year)))
    proc = t["savings_procurement"]
    figures.append(Figure(
        "procurement_saved_yuan", "政府采购节约财政资金", "trading", MONEY, "元",
        "当年已定标的政府采购项目：Σ预算（或最高限价）− Σ中标金额。",
        "trading.selectors.tender_breakdown → savings_procurement.saved_yuan（trading.selectors.savings）",
        _money(proc["saved_yuan"]), drill=_url(project_list, regime="procurement", year=year),
        extra={"projects": proc["projects"], "budget_yuan": _money(proc["budget_yuan"]),
               "award_yuan": _money(proc["award_yuan"])}))
    figures.append(Figure(
        "procurement_saving_rate", "政府采购节约率", "trading", RATIO, "%", "政府采购节约资金 ÷ Σ预算（或最高限价）。",
        "trading.selectors.tender_breakdown → savings_procurement.rate", _rate(proc["rate"]),
        drill=_url(project_list, regime="procurement", year=year)))
    figures.append(Figure(
        "open_warnings", "未处理预警（招标文件问题）", "trading", COUNT, "条",
        "当年项目的招标文件检查（“七个不准”）中尚未处理的问题数（现状）。", "trading.selectors.tender_breakdown → open_findings",
        t["open_findings"], drill=_url("trading:queue")))
    clues = trading.clue_breakdown(year)
    clue_list = _url("trading:clue_list", year=year)
    figures.append(Figure("clues", "移交线索", "trading", COUNT, "条", "当年移交主管机关的线索数（按移交日期）。",
                          "trading.selectors.clue_breakdown → clues（clue_totals）", clues["clues"],
                          by_month=_months(clues["by_month"], "clues"), drill=clue_list))
    figures.append(Figure("clue_firms", "线索涉及企业", "trading", COUNT, "家", "当年移交线索涉及的不同企业数。",
                          "trading.selectors.clue_breakdown → firms", clues["firms"], drill=clue_list))
    figures.append(Figure("clue_person_times", "线索涉及人次", "trading", COUNT, "人次", "当年移交线索涉及人次之和。",
                          "trading.selectors.clue_breakdown → person_times", clues["person_times"], drill=clue_list))
    figures.append(Figure("clue_amount_yuan", "线索涉案金额", "trading", MONEY, "元", "当年移交线索涉案金额之和。",
                          "trading.selectors.clue_breakdown → amount_yuan", _money(clues["amount_yuan"]),
                          drill=clue_list))
    village = trading.village_breakdown(year)
    village_list = "trading:villageproject_list"
    figures.append(Figure(
        "village_projects", "村级工程项目", "trading", COUNT, "个", "当年立项的村级工程项目数（全量纳入管理）。",
        "trading.selectors.village_breakdown → projects", village["projects"],
        by_month=_months(village["by_month"], "projects"),
        by_town=[{"code": r["code"], "name": r["name"], "value": r["projects"],
                  "drill": _url(village_list, town=r["code"], year=year)} for r in village["by_town"]],
        drill=_url(village_list, year=year), extra={"amount_yuan": _money(village["amount_yuan"])}))
    figures.append(Figure(
        "village_flagged", "存在风险提示的村级工程", "trading", COUNT, "个",
        "当年立项的村级工程中，村级工程规则（疑似拆分、缺少决议、公示不足等）提示问题的项目数。",
        "trading.selectors.village_breakdown → flagged（village_risks）", village["flagged"],
        by_month=_months(village["by_month"], "flagged"),
        by_town=[{"code": r["code"], "name": r["name"], "value": r["flagged"],
                  "drill": _url(village_list, town=r["code"], year=year)} for r in village["by_town"]],
        drill=_url(village_list, year=year)))
    return figures


def compute(year: int) -> dict:
    """All figures of ``year``, uncached: ``{"year", "sections": [{"key", "name"}], "figures": [Figure dicts]}``."""
    figures = [*_gov(year), *_data(year), *_trading(year)]
    return {"year": year, "sections": [{"key": k, "name": n} for k, n in SECTIONS],
            "figures": [f.as_dict() for f in figures]}


def by_key(data: dict) -> dict[str, dict]:
    return {f["key"]: f for f in data["figures"]}


def display(fig: dict) -> str:
    """The value as written in the report: 99.48%, 1715个, 15001066元; “—” when there is no value."""
    value = fig["value"]
    if value is None:
        return "—"
    if fig["kind"] == RATIO:
        return f"{Decimal(str(value)) * 100:.2f}%"
    if isinstance(value, float):
        return f"{value:.2f}{fig['unit']}"
    return f"{value}{fig['unit']}"


def compact(fig: dict) -> str:
    """The value as a tile on the big screen shows it: large amounts in 亿 and 万 as the office writes them
    (6.54亿条, 1500.11万元, 1.13亿元); everything else as ``display``."""
    value, unit = fig["value"], fig["unit"]
    if value is None or fig["kind"] == RATIO:
        return display(fig)
    if value >= 100_000_000:
        return f"{Decimal(value) / 100_000_000:.2f}亿{unit}"
    if fig["kind"] == MONEY and value >= 10_000:
        return f"{Decimal(value) / 10_000:.2f}万{unit}"
    return display(fig)


def in_range(data: dict, start: int, end: int) -> dict:
    """The figures over months ``start``–``end`` of the year: counts are summed over those months and ratios
    recomputed as Σnumerator ÷ Σdenominator; figures without a monthly series, and stock figures (as of a day),
    keep their annual value and are marked ``"period": "全年"``."""
    if (start, end) == (1, 12):
        return data
    out = []
    for fig in data["figures"]:
        fig = dict(fig)
        months = [m for m in fig.get("by_month") or [] if start <= m["month"] <= end]
        if months and not fig.get("as_of"):
            if fig["kind"] == RATIO and all("denominator" in m for m in months):
                num = sum(m["numerator"] for m in months)
                den = sum(m["denominator"] for m in months)
                fig["value"] = _ratio(num, den)
            elif fig["kind"] != RATIO:
                fig["value"] = sum(m["value"] or 0 for m in months)
            else:
                fig["period"] = "全年"
            fig["by_month"] = months
        else:
            fig["period"] = "全年"
        out.append(fig)
    return {**data, "figures": out, "months": [start, end]}

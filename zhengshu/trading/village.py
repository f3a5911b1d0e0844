"""Village project rules (VL-xx): tier by amount, required trading method, decision record, split detection.

Pure functions over objects with the ``VillageProject`` attributes and tiers with ``min_yuan``,
``max_yuan``, ``method``, ``effective_from`` (the bands are data: 《海宁市村级工程建设管理办法》's own
figures replace the demo's when entered).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from zhengshu.trading.choices import VillageMethod, VillageStage
from zhengshu.trading.rules import LegalFinding

MIN_PUBLICITY_DAYS = 15
SPLIT_WINDOW_DAYS = 365
METHOD_ORDER = [VillageMethod.SELF, VillageMethod.TOWN_PLATFORM, VillageMethod.SMALL_PLATFORM,
                VillageMethod.PUBLIC_TENDER]
STAGE_ORDER = list(VillageStage.values)


def tiers_on(day: dt.date, tiers) -> list:
    """The band table in force on ``day``: the tiers of the latest effective date not after ``day``."""
    dates = sorted({t.effective_from for t in tiers if t.effective_from <= day})
    if not dates:
        return []
    return sorted((t for t in tiers if t.effective_from == dates[-1]), key=lambda t: t.min_yuan)


def tier_for(amount, day: dt.date, tiers):
    for tier in tiers_on(day, tiers):
        if Decimal(amount) >= tier.min_yuan and (tier.max_yuan is None or Decimal(amount) < tier.max_yuan):
            return tier
    return None


def _reached(project, stage: str) -> bool:
    return STAGE_ORDER.index(project.stage) >= STAGE_ORDER.index(stage)


def split_groups(projects, tiers) -> dict:
    """VL-01: project id → (boundary tier, codes of the group) for projects that look split below a band.

    Projects of one village and category started within 12 months of each other, each below a band's
    lower limit, whose sum reaches it.
    """
    flagged: dict = {}
    by_key: dict = {}
    for p in projects:
        by_key.setdefault((p.village_code, p.category), []).append(p)
    for group in by_key.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda p: p.proposed_on)
        for p in group:
            window = [q for q in group if abs((q.proposed_on - p.proposed_on).days) <= SPLIT_WINDOW_DAYS]
            for tier in reversed(tiers_on(p.proposed_on, tiers)):
                if tier.min_yuan <= 0 or Decimal(p.amount_yuan) >= tier.min_yuan:
                    continue
                below = [q for q in window if Decimal(q.amount_yuan) < tier.min_yuan]
                if len(below) >= 2 and sum(Decimal(q.amount_yuan) for q in below) >= tier.min_yuan:
                    flagged[p.pk] = (tier, sorted(q.code for q in below))
                    break
    return flagged


def village_findings(p, tiers, split: tuple | None = None) -> list[LegalFinding]:
    found: list[LegalFinding] = []
    if split:
        tier, codes = split
        found.append(LegalFinding("VL-01", "《招标投标法》第4条；《政府采购法实施条例》第28条（比照）", "high",
                                  f"同村同类项目 {'、'.join(codes)} 在 12 个月内合计达到“{tier.name}”下限 "
                                  f"{tier.min_yuan:,.0f} 元，单个均低于该下限，疑似拆分规避", "amount_yuan"))
    if _reached(p, VillageStage.DECIDED):
        if not p.meeting_date or p.members_total is None or p.votes_for is None:
            found.append(LegalFinding("VL-02", "《浙江省农村集体资产管理条例》第17条", "high",
                                      "缺少成员（代表）大会决议记录", "meeting_date"))
        elif p.votes_for * 3 < p.members_total * 2:
            found.append(LegalFinding("VL-02", "《浙江省农村集体资产管理条例》第17条", "high",
                                      f"赞成 {p.votes_for} 票，未达应到成员 {p.members_total} 人的三分之二", "votes_for"))
        if not p.publicity_start or not p.publicity_end:
            found.append(LegalFinding("VL-03", "《浙江省农村集体资产管理条例》第20条", "high",
                                      "表决前未公示征求意见", "publicity_start"))
        else:
            days = (p.publicity_end - p.publicity_start).days
            if days < MIN_PUBLICITY_DAYS:
                found.append(LegalFinding("VL-03", "《浙江省农村集体资产管理条例》第20条", "medium",
                                          f"事前公示 {p.publicity_start} 至 {p.publicity_end} 仅 {days} 日，"
                                          f"不少于 {MIN_PUBLICITY_DAYS} 日",
                                          "publicity_end"))
            if p.meeting_date and p.publicity_end >= p.meeting_date:  # the last day of publicity is not over
                found.append(LegalFinding("VL-03", "《浙江省农村集体资产管理条例》第20条", "medium",
                                          f"公示至 {p.publicity_end}，{p.meeting_date} 即提请表决，公示期未满",
                                          "meeting_date"))
    if p.contract_date and (not p.meeting_date or p.contract_date < p.meeting_date):
        found.append(LegalFinding("VL-04", "发改法规规〔2022〕1117号 一(二)（先建后招）", "high",
                                  f"合同签订（{p.contract_date}）早于民主决策（{p.meeting_date or '无决议'}）", "contract_date"))
    if p.start_date and (not p.trading_date or p.start_date < p.trading_date):
        found.append(LegalFinding("VL-04", "发改法规规〔2022〕1117号 一(二)（先建后招）", "high",
                                  f"开工（{p.start_date}）早于交易（{p.trading_date or '未交易'}）", "start_date"))
    tier = tier_for(p.amount_yuan, p.proposed_on, tiers)
    if tier is not None and p.trading_method and METHOD_ORDER.index(p.trading_method) < METHOD_ORDER.index(tier.method):
        found.append(LegalFinding("VL-11", f"村级工程分档：{tier.basis or tier.name}", "high",
                                  f"估算 {Decimal(p.amount_yuan):,.0f} 元属“{tier.name}”，"
                                  f"应采用“{VillageMethod(tier.method).label}”，"
                                  f"实际为“{VillageMethod(p.trading_method).label}”", "trading_method"))
    if _reached(p, VillageStage.DISCLOSED) and not p.audit_date:
        found.append(LegalFinding("VL-07", "《浙江省农村集体资产管理条例》第39条", "medium", "未经审计即公示结项", "audit_date"))
    return found

"""Legal checks on a tender's dates and amounts (TH-xx of the bidding-rules reference), 评定分离 checks (PD-xx).

Each check reads a project (any object with the ``TenderProject`` attributes) and returns findings that
name their article. Days are counted as the law counts them: the first day is not counted
(《民法典》第201条), so "≥ 20 days from issue to deadline" is ``deadline − issue ≥ 20``.
Nothing here writes; services and pages call these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from zhengshu.trading.choices import (
    LOT_METHODS, TENDER_METHODS, VOTE_METHODS, AwardMethod, Kind, Regime, Severity,
)

BID_BOND_MAX = Decimal("0.02")
PERFORMANCE_BOND_MAX = Decimal("0.10")
MIN_DAYS_TO_DEADLINE = 20
MIN_SALE_DAYS = 5
MIN_CLARIFICATION_DAYS = 15
MIN_PUBLICITY_DAYS = 3
PUBLICITY_AFTER_REPORT_DAYS = 3
CONTRACT_WITHIN_DAYS = 30
MIN_BIDDERS = 3
STATE_BUDGET_MIN = Decimal("2000000")  # TH-01：预算资金 200 万元以上且占投资额 10% 以上
STATE_SHARE_MIN = Decimal("10")


@dataclass(frozen=True)
class LegalFinding:
    code: str
    article: str
    severity: str
    message: str
    field: str = ""

    def as_dict(self) -> dict:
        return {"code": self.code, "article": self.article, "severity": self.severity, "message": self.message,
                "field": self.field}


def _days(a: dt.date | None, b: dt.date | None) -> int | None:
    return (b - a).days if a and b else None


def _yuan(value) -> str:
    return f"{Decimal(value):,.2f} 元"


# --- must-tender --------------------------------------------------------------------------------------------


def threshold_on(kind: str, day: dt.date, thresholds) -> object | None:
    """The must-tender threshold for ``kind`` in force on ``day`` (thresholds are data with dates of effect)."""
    lookup = Kind.DESIGN if kind == Kind.SERVICES else kind  # 勘察、设计、监理等服务 share one line in N16
    for t in thresholds:
        if t.kind in (kind, lookup) and t.effective_from <= day and (t.effective_to is None or day <= t.effective_to):
            return t
    return None


def must_tender(project, thresholds) -> object | None:
    """The threshold that makes a works project a must-tender one, or None (TH-01, TH-02)."""
    if project.regime != Regime.WORKS:
        return None
    share = Decimal(project.state_fund_share or 0)
    amount = project.estimated_price_yuan or project.budget_yuan
    if amount is None or share <= 0:
        return None
    state_money = Decimal(amount) * share / 100
    if not project.state_controlled and not (state_money >= STATE_BUDGET_MIN and share >= STATE_SHARE_MIN):
        return None
    day = project.planned_date or project.notice_date or dt.date.today()
    threshold = threshold_on(project.kind, day, thresholds)
    if threshold is not None and Decimal(amount) >= threshold.amount_yuan:
        return threshold
    return None


# --- the checks ---------------------------------------------------------------------------------------------


def check_must_tender(p, thresholds=()) -> list[LegalFinding]:
    threshold = must_tender(p, thresholds)
    if threshold is None or p.method in TENDER_METHODS:
        return []
    return [LegalFinding(
        "TH-02", f"《必须招标的工程项目规定》第2、5条；{threshold.basis}", Severity.HIGH,
        f"估算价 {_yuan(p.estimated_price_yuan or p.budget_yuan)} 达到 {threshold.effective_from} 起施行的必须招标标准"
        f"（{_yuan(threshold.amount_yuan)}），却采用“{p.get_method_display()}”，涉嫌规避招标", "method")]


def _tendered(p) -> bool:
    """招标 (公开/邀请): the tender periods of the two laws apply; 磋商、谈判、询价、单一来源 have their own."""
    return p.method in TENDER_METHODS


def check_deadline(p, must: bool | None = None) -> list[LegalFinding]:
    """TH-06/TH-07. ``must``: whether a works project is 依法必须招标 (None: not known, treated as must)."""
    days = _days(p.doc_issue_date, p.bid_deadline)
    if not _tendered(p) or days is None or days >= MIN_DAYS_TO_DEADLINE:
        return []
    if p.regime == Regime.PROCUREMENT:
        return [LegalFinding("TH-07", "《政府采购法》第35条", Severity.HIGH,
                             f"招标文件发出（{p.doc_issue_date}）至投标截止（{p.bid_deadline}）仅 {days} 日，"
                             f"不得少于 {MIN_DAYS_TO_DEADLINE} 日", "bid_deadline")]
    if must is False:  # 《招标投标法》第24条 binds 依法必须招标 projects only
        return [LegalFinding("TH-06", "《招标投标法》第24条（参照）", Severity.LOW,
                             f"招标文件发出（{p.doc_issue_date}）至投标截止（{p.bid_deadline}）仅 {days} 日；"
                             f"本项目非依法必须招标，{MIN_DAYS_TO_DEADLINE} 日为参照要求", "bid_deadline")]
    return [LegalFinding("TH-06", "《招标投标法》第24条", Severity.HIGH,
                         f"招标文件发出（{p.doc_issue_date}）至投标截止（{p.bid_deadline}）仅 {days} 日，"
                         f"依法必须招标的项目不得少于 {MIN_DAYS_TO_DEADLINE} 日", "bid_deadline")]


def check_sale_period(p) -> list[LegalFinding]:
    if not _tendered(p) or not p.doc_issue_date or not p.doc_sale_end:
        return []
    if p.regime == Regime.PROCUREMENT:
        from zhengshu.core.workdays import workdays_between

        days = workdays_between(p.doc_issue_date, p.doc_sale_end)
        if days >= MIN_SALE_DAYS:
            return []
        return [LegalFinding("TH-24", "《政府采购货物和服务招标投标管理办法》第18条", Severity.MEDIUM,
                             f"招标文件提供期限（{p.doc_issue_date} 至 {p.doc_sale_end}）仅 {days} 个工作日，"
                             f"不得少于 {MIN_SALE_DAYS} 个工作日", "doc_sale_end")]
    days = _days(p.doc_issue_date, p.doc_sale_end)
    if days >= MIN_SALE_DAYS:
        return []
    return [LegalFinding("TH-08", "《招标投标法实施条例》第16条", Severity.MEDIUM,
                         f"招标文件发售期（{p.doc_issue_date} 至 {p.doc_sale_end}）仅 {days} 日，不得少于 {MIN_SALE_DAYS} 日",
                         "doc_sale_end")]


def check_clarification(p) -> list[LegalFinding]:
    if not _tendered(p) or not p.clarification_date or not p.clarification_affects_preparation or not p.bid_deadline:
        return []
    days = _days(p.clarification_date, p.bid_deadline)
    if days >= MIN_CLARIFICATION_DAYS:
        return []
    extended = p.original_bid_deadline and p.bid_deadline > p.original_bid_deadline
    article = ("《政府采购法实施条例》第31条" if p.regime == Regime.PROCUREMENT
               else "《招标投标法实施条例》第21条；《招标投标法》第23条")
    return [LegalFinding("TH-10", article, Severity.HIGH,
                         f"澄清/修改（{p.clarification_date}）影响投标文件编制，距投标截止（{p.bid_deadline}）仅 {days} 日，"
                         f"不足 {MIN_CLARIFICATION_DAYS} 日" + ("；已顺延但仍不足" if extended else "，应顺延投标截止时间"),
                         "bid_deadline")]


def check_publicity(p) -> list[LegalFinding]:
    """TH-16: 中标候选人公示 is a step of 工程招标 (政府采购 publishes the result instead, N87 第69条)."""
    found = []
    if p.regime != Regime.WORKS:
        return found
    days = _days(p.candidate_publicity_start, p.candidate_publicity_end)
    if days is not None and days < MIN_PUBLICITY_DAYS:
        found.append(LegalFinding("TH-16", "《招标投标法实施条例》第54条", Severity.MEDIUM,
                                  f"中标候选人公示（{p.candidate_publicity_start} 至 {p.candidate_publicity_end}）仅 {days} 日，"
                                  f"不得少于 {MIN_PUBLICITY_DAYS} 日", "candidate_publicity_end"))
    late = _days(p.evaluation_report_date, p.candidate_publicity_start)
    if late is not None and late > PUBLICITY_AFTER_REPORT_DAYS:
        found.append(LegalFinding("TH-16", "《招标投标法实施条例》第54条", Severity.LOW,
                                  f"收到评标报告（{p.evaluation_report_date}）后 {late} 日才公示候选人，应在 "
                                  f"{PUBLICITY_AFTER_REPORT_DAYS} 日内公示", "candidate_publicity_start"))
    return found


def check_contract(p) -> list[LegalFinding]:
    start = p.notification_date or p.award_date
    days = _days(start, p.contract_date)
    if days is None or days <= CONTRACT_WITHIN_DAYS:
        return []
    article = "《政府采购法》第46条" if p.regime == Regime.PROCUREMENT else "《招标投标法》第46条"
    return [LegalFinding("TH-17", article, Severity.MEDIUM,
                         f"中标通知书发出（{start}）后 {days} 日才签订合同（{p.contract_date}），应在 {CONTRACT_WITHIN_DAYS} 日内订立",
                         "contract_date")]


def check_bid_bond(p) -> list[LegalFinding]:
    base = p.reference_amount
    if p.bid_bond_yuan is None or not base:
        return []
    limit = Decimal(base) * BID_BOND_MAX
    if Decimal(p.bid_bond_yuan) <= limit:
        return []
    if p.regime == Regime.PROCUREMENT:
        code, article, what = "TH-04", "《政府采购法实施条例》第33条", "采购项目预算金额"
    else:
        code, article, what = "TH-03", "《招标投标法实施条例》第26条", "招标项目估算价"
    return [LegalFinding(code, article, Severity.HIGH,
                         f"投标保证金 {_yuan(p.bid_bond_yuan)} 超过{what} {_yuan(base)} 的 2%（{_yuan(limit)}）",
                         "bid_bond_yuan")]


def check_performance_bond(p) -> list[LegalFinding]:
    base = p.award_amount_yuan
    if p.performance_bond_yuan is None or not base:
        return []
    limit = Decimal(base) * PERFORMANCE_BOND_MAX
    if Decimal(p.performance_bond_yuan) <= limit:
        return []
    article = "《政府采购法实施条例》第48条" if p.regime == Regime.PROCUREMENT else "《招标投标法实施条例》第58条"
    return [LegalFinding("TH-05", article, Severity.HIGH,
                         f"履约保证金 {_yuan(p.performance_bond_yuan)} 超过中标合同金额 {_yuan(base)} 的 10%（{_yuan(limit)}）",
                         "performance_bond_yuan")]


def bidder_article(p) -> str:
    if p.regime == Regime.PROCUREMENT:
        return "《政府采购法》第36条；《政府采购货物和服务招标投标管理办法》第43条"
    return "《招标投标法实施条例》第44条；《浙江省招标投标条例》第23条"


def check_bidders(p, bidder_count: int | None) -> list[LegalFinding]:
    """TH-12: fewer than 3 bidders in a 招标 (单一来源、谈判等 are not held to it)."""
    if not _tendered(p) or bidder_count is None or bidder_count >= MIN_BIDDERS:
        return []
    then = "应予废标，重新招标或经财政部门批准改用其他采购方式" if p.regime == Regime.PROCUREMENT else "不得开标，应重新招标"
    return [LegalFinding("TH-12", bidder_article(p), Severity.HIGH,
                         f"投标人仅 {bidder_count} 个，少于 {MIN_BIDDERS} 个，{then}", "bids")]


def legal_findings(p, *, thresholds=(), bidder_count: int | None = None) -> list[LegalFinding]:
    """Every timing and amount check of one project, in lifecycle order."""
    found: list[LegalFinding] = []
    found += check_must_tender(p, thresholds)
    found += check_sale_period(p)
    found += check_deadline(p, must=(must_tender(p, thresholds) is not None) if thresholds else None)
    found += check_clarification(p)
    found += check_bid_bond(p)
    found += check_bidders(p, bidder_count)
    found += check_publicity(p)
    found += check_contract(p)
    found += check_performance_bond(p)
    return found


# --- 评定分离 (PD-xx) ------------------------------------------------------------------------------------------


@dataclass
class AwardFacts:
    """What the PD checks read, gathered from the project, its evaluation report and award committee."""

    method: str
    candidates: list  # enterprise ids recommended by the evaluation committee
    winner: object | None
    ranked_report: bool
    ranked_configured: bool
    candidate_count_max: int
    members: list  # (declared, conflict, vote_for_id, reason)
    rationale: str
    compliance_basis: str = ""
    separation_basis: str = ""
    decided_on: dt.date | None = None
    publicity_end: dt.date | None = None
    bid_validity_end: dt.date | None = None
    evaluation_size: int | None = None


def award_findings(f: AwardFacts) -> list[LegalFinding]:
    found = []
    if not f.separation_basis.strip():
        found.append(LegalFinding("PD-00", "建市规〔2022〕5号（评定分离的政策依据须在招标文件载明）", Severity.MEDIUM,
                                  "未填写本项目采用评定分离的政策依据"))
    if f.evaluation_size is not None and (f.evaluation_size < 5 or f.evaluation_size % 2 == 0):
        found.append(LegalFinding("TH-14", "《招标投标法》第37条", Severity.HIGH,
                                  f"评标委员会 {f.evaluation_size} 人，应为 5 人以上单数"))
    if len(f.candidates) > f.candidate_count_max:
        found.append(LegalFinding("TH-15", "《浙江省招标投标条例》第35条", Severity.MEDIUM,
                                  f"推荐候选人 {len(f.candidates)} 名，超过招标文件规定的 {f.candidate_count_max} 名"))
    if f.ranked_report != f.ranked_configured:
        want = "排序" if f.ranked_configured else "不排序"
        found.append(LegalFinding("PD-02", "《浙江省招标投标条例》第18、37条", Severity.MEDIUM,
                                  f"招标文件规定候选人{want}，评标报告与之不符"))
    if f.winner is not None and f.winner not in f.candidates:
        found.append(LegalFinding("PD-01", "《招标投标法》第57条；《浙江省招标投标条例》第37条", Severity.HIGH,
                                  "中标人不在评标委员会推荐的候选人之中"))
    if f.method in LOT_METHODS:
        found.append(LegalFinding("PD-04", "发改法规规〔2022〕1117号 一(二)", Severity.HIGH,
                                  "定标方法含抽签，与“不得采用抽签、摇号、抓阄等方式直接选择中标人”相冲突"))
        if f.method == AwardMethod.VOTE_LOT and not f.compliance_basis.strip():
            found.append(LegalFinding("PD-05", "发改法规规〔2022〕1117号 一(二)", Severity.MEDIUM,
                                      "票决抽签等混合方式须写明合规依据并人工复核"))
    voting = [m for m in f.members if not m[1]]
    if len(voting) < 3:
        found.append(LegalFinding("PD-03", "《浙江省招标投标条例》第37条（集体确定）", Severity.HIGH,
                                  f"参与定标的委员仅 {len(voting)} 人，不能体现集体确定（至少 3 人，宜 5 人以上单数）"))
    elif len(voting) % 2 == 0 and f.method in VOTE_METHODS:
        found.append(LegalFinding("PD-03", "《浙江省招标投标条例》第37条", Severity.LOW,
                                  f"票决定标委员 {len(voting)} 人为双数，易出现平票"))
    undeclared = sum(1 for m in f.members if not m[0])
    if undeclared:
        found.append(LegalFinding("PD-08", "《招标投标法实施条例》第46条（比照）", Severity.MEDIUM,
                                  f"{undeclared} 名定标委员未签回避声明"))
    conflicted_voting = sum(1 for m in f.members if m[1] and m[2])
    if conflicted_voting:
        found.append(LegalFinding("PD-08", "《招标投标法实施条例》第46条（比照）", Severity.HIGH,
                                  f"{conflicted_voting} 名存在利害关系的委员未回避，仍参与表决"))
    if f.method in VOTE_METHODS:
        unreasoned = sum(1 for m in voting if m[2] and not (m[3] or "").strip())
        if unreasoned:
            found.append(LegalFinding("PD-10", "《浙江省招标投标条例》第38条", Severity.MEDIUM,
                                      f"{unreasoned} 名委员的记名表决未写理由"))
    if f.winner is not None and not f.rationale.strip():
        found.append(LegalFinding("PD-10", "《浙江省招标投标条例》第38条", Severity.MEDIUM, "定标报告未写明择优/比劣理由"))
    if f.decided_on and f.publicity_end and f.decided_on <= f.publicity_end:
        found.append(LegalFinding("PD-06", "《招标投标法实施条例》第54条", Severity.HIGH,
                                  f"定标日期 {f.decided_on} 早于或等于候选人公示结束日 {f.publicity_end}"))
    if f.decided_on and f.bid_validity_end and f.decided_on > f.bid_validity_end:
        found.append(LegalFinding("PD-07", "《招标投标法实施条例》第25条", Severity.HIGH,
                                  f"定标日期 {f.decided_on} 超出投标有效期（{f.bid_validity_end}）"))
    return found


def decide_by_votes(members) -> tuple[object | None, dict]:
    """The candidate with most votes of members without a conflict; None on a tie."""
    tally: dict = {}
    for _declared, conflict, vote_for, _reason in members:
        if vote_for is not None and not conflict:
            tally[vote_for] = tally.get(vote_for, 0) + 1
    if not tally:
        return None, tally
    best = max(tally.values())
    leaders = [k for k, v in tally.items() if v == best]
    return (leaders[0] if len(leaders) == 1 else None), tally


def decide_by_price(method: str, prices: dict) -> object | None:
    """``prices``: candidate → price. Lowest, second lowest, or closest to the average (ties: None)."""
    if not prices:
        return None
    ordered = sorted(prices.items(), key=lambda kv: kv[1])
    if method == AwardMethod.PRICE_LOWEST:
        if len(ordered) > 1 and ordered[0][1] == ordered[1][1]:
            return None
        return ordered[0][0]
    if method == AwardMethod.PRICE_SECOND:
        return ordered[1][0] if len(ordered) >= 2 else None
    if method == AwardMethod.PRICE_AVERAGE:
        avg = sum(prices.values()) / len(prices)
        distances = sorted(((abs(v - avg), k) for k, v in prices.items()), key=lambda x: x[0])
        if len(distances) > 1 and distances[0][0] == distances[1][0]:
            return None
        return distances[0][1]
    raise ValueError(method)


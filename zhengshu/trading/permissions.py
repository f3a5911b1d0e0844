"""Who may do what in trading: the grants the demo seeder and the tests give the personas."""

from __future__ import annotations

from zhengshu.accounts.demo import ensure_permission

ALL_MODELS = [
    "trading.tenderproject", "trading.lot", "trading.bid", "trading.tenderdocument", "trading.documentfinding",
    "trading.checkrule", "trading.evaluationreport", "trading.candidate", "trading.awardcommittee",
    "trading.awardmember", "trading.enterprise", "trading.adverserecord", "trading.clue", "trading.villageproject",
    "trading.villagetier", "trading.musttenderthreshold",
]
PROJECT_CHILDREN = ["trading.bid", "trading.lot", "trading.tenderdocument", "trading.documentfinding",
                    "trading.evaluationreport", "trading.awardcommittee"]


def grant_trading(users: dict) -> None:
    """``users`` maps persona name → User (missing names are skipped)."""
    def some(*names):
        return [users[n] for n in names if n in users]

    ensure_permission("招投标监管（全市）", ALL_MODELS, ("view", "add", "change", "delete", "override"), None,
                      some("supervisor"))
    ensure_permission("招投标业务（只读）", ALL_MODELS, ("view",), None, some("auditor"))
    ensure_permission("本部门招标项目", ["trading.tenderproject"], ("view", "add", "change"),
                      {"department": "$department"}, some("clerk_a", "colleague_a", "outsider_b"))
    ensure_permission("本部门招标项目的投标与文件", PROJECT_CHILDREN, ("view", "add", "change"),
                      {"project__department": "$department"}, some("clerk_a", "colleague_a", "outsider_b"))
    ensure_permission("交易主体（只读）", ["trading.enterprise"], ("view",), None,
                      some("clerk_a", "colleague_a", "outsider_b", "town_clerk"))
    ensure_permission("本镇（街道）村级工程", ["trading.villageproject"], ("view", "add", "change"),
                      {"department": "$department"}, some("town_clerk"))
    ensure_permission("村级工程分档（只读）", ["trading.villagetier"], ("view",), None, some("town_clerk"))

"""The one transition table of a case (S2). Services look up a transition here; nothing else moves a case.

Each transition: a Chinese label, the states it may start from, the state it leads to, and the permission
action on ``cases.case`` it needs (``accept``, ``handle``, ``revoke``, ``rate``, ``apply``). Applicants
resubmit and withdraw through their own services (``resubmit_online``, ``withdraw``: action ``apply``).
"""

from __future__ import annotations

from dataclasses import dataclass

from zhengshu.cases.choices import CaseStatus as S

__all__ = ["TRANSITIONS", "Transition", "allowed_from", "perm_for"]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    action: str  # permission action on cases.case


_TABLE = (
    Transition("request_correction", "一次性告知补正", (S.SUBMITTED,), S.CORRECTION, "accept"),
    Transition("resubmit", "补正后重新提交", (S.CORRECTION,), S.SUBMITTED, "accept"),
    Transition("reject", "不予受理", (S.SUBMITTED, S.CORRECTION), S.REJECTED, "accept"),
    Transition("accept", "受理", (S.SUBMITTED,), S.ACCEPTED, "accept"),
    Transition("start_review", "开始审查", (S.ACCEPTED,), S.REVIEWING, "handle"),
    Transition("suspend", "启动特别程序（挂起）", (S.REVIEWING,), S.SUSPENDED, "handle"),
    Transition("resume", "特别程序结束，恢复审查", (S.SUSPENDED,), S.REVIEWING, "handle"),
    Transition("decide", "作出决定", (S.ACCEPTED, S.REVIEWING), S.DECIDED, "handle"),
    Transition("conclude", "办结", (S.DECIDED,), S.CONCLUDED, "handle"),
    Transition("deliver", "送达", (S.CONCLUDED,), S.DELIVERED, "handle"),
    Transition("rate", "评价", (S.CONCLUDED, S.DELIVERED), S.RATED, "rate"),
    Transition("terminate", "终止办理", (S.ACCEPTED, S.REVIEWING, S.SUSPENDED, S.DECIDED), S.TERMINATED, "handle"),
    Transition("revoke", "撤销决定", (S.CONCLUDED, S.DELIVERED, S.RATED), S.REVOKED, "revoke"),
    Transition("withdraw", "申请人撤回", (S.SUBMITTED, S.CORRECTION, S.ACCEPTED, S.REVIEWING), S.WITHDRAWN, "apply"),
)

TRANSITIONS: dict[str, Transition] = {t.name: t for t in _TABLE}


def allowed_from(status: str) -> list[Transition]:
    """The transitions that may start from ``status``, in table order."""
    return [t for t in _TABLE if status in t.sources]


def perm_for(name: str) -> str:
    return f"cases.{TRANSITIONS[name].action}_case"

"""好差评: one rating per case; a 差评 opens a rectification with revisits.
"""

from __future__ import annotations

from datetime import datetime

from zhengshu.cases import clock
from zhengshu.cases.choices import RectificationStatus
from zhengshu.cases.models import Case, Rating, Rectification, Revisit
from zhengshu.cases.parameters import param_int
from zhengshu.cases.services._common import _day, _move, _need_reason, _now
from zhengshu.cases.transitions import perm_for
from zhengshu.core.services import service, ServiceError


@service(perm=perm_for("rate"), obj="case")
def rate_case(*, actor, case: Case, level: int, channel: str, comment: str = "",
              at: datetime | None = None) -> Rating:
    """评价 (one per case). Level 4 or 5 (差评) opens a rectification due in N working days."""
    from zhengshu.govservices.models import code_map

    at = _now(at)
    if int(level) not in range(1, 6):
        raise ServiceError("满意度只能是 1（非常满意）到 5（非常不满意）")
    if channel not in code_map("rating_channel"):
        raise ServiceError(f"评价渠道代码“{channel}”不在代码表“评价渠道”中")
    if getattr(actor, "kind", "staff") == "staff" and case.events.filter(actor=actor).exclude(action="rate").exists():
        raise ServiceError(f"您经办过办件 {case.number}，不能为其录入评价（评价由申请人作出，或由未经办的人员代录）")
    _move(case, "rate", actor, at, comment, {"level": int(level), "channel": channel})
    if Rating.objects.filter(case=case).exists():
        raise ServiceError(f"办件 {case.number} 已评价，每件只能评价一次")
    rating = Rating.objects.create(case=case, level=int(level), channel=channel, rated_at=at, rater=actor,
                                   comment=comment[:500])
    if rating.level >= 4:
        due = clock.add_days(_day(at), param_int("rectification_workdays"), clock.WORKDAY,
                             department_id=case.department_id)
        Rectification.objects.create(rating=rating, due_date=due, department_id=case.department_id)
    return rating


@service(perm="cases.change_rectification", obj="rectification")
def add_revisit(*, actor, rectification: Rectification, content: str, method: str = "电话",
                satisfied: bool | None = None, at: datetime | None = None) -> Revisit:
    return Revisit.objects.create(rectification=rectification, at=_now(at), by=actor, method=method[:30],
                                  content=_need_reason(content, "回访记录"), satisfied=satisfied)


@service(perm="cases.change_rectification", obj="rectification")
def close_rectification(*, actor, rectification: Rectification, status: str, measures: str,
                        at: datetime | None = None) -> Rectification:
    """整改完成 (or 解释说明): needs at least one revisit record."""
    if rectification.status != RectificationStatus.OPEN:
        raise ServiceError("该整改任务已关闭")
    if status not in (RectificationStatus.DONE, RectificationStatus.EXPLAINED):
        raise ServiceError("整改结果只能是“已整改”或“解释说明”")
    if not rectification.revisits.exists():
        raise ServiceError("关闭整改前须至少有一条回访记录")
    rectification.status, rectification.measures = status, _need_reason(measures, "整改措施")
    rectification.closed_at = _now(at)
    rectification.save()
    return rectification

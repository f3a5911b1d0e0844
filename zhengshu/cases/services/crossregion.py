"""S3 异地无忧: 异地代收代办 receipt at the window and the hand-offs between receiving and handling office.
"""

from __future__ import annotations

from datetime import datetime

from zhengshu.cases.choices import ApplicantKind, CaseStatus, ProxyStage
from zhengshu.cases.models import Case, CaseEvent, PartnerRegion, ProxyReceipt
from zhengshu.cases.services._common import _actor_repr, _ensure_may_add, _new_case, _now, PROXY_CHANNEL
from zhengshu.core.services import service, ServiceError


@service(perm="cases.add_case")
def receive_proxy_application(*, actor, item, region: PartnerRegion, receiving_window: str, applicant_name: str,
                              applicant_id_number: str, applicant_kind: str = ApplicantKind.PERSON,
                              form_review_ok: bool, identity_checked: bool, contact_phone: str = "",
                              form_data: dict | None = None, inbound: bool = True,
                              at: datetime | None = None) -> Case:
    """异地代收代办 收件: the receiving window reviews the form and checks identity, then a case is created."""
    at = _now(at)
    if not (form_review_ok and identity_checked):
        raise ServiceError("异地代收须先通过形式审查和身份核验")
    if not region.active:
        raise ServiceError(f"与{region}的通办协议已失效")
    if not any("proxy" in (ai.modes or []) for ai in item.agreement_items.filter(agreement__region=region)):
        raise ServiceError(f"事项“{item.name}”不在与{region}的协议中，或未约定异地代收代办")
    case = _new_case(actor=actor, item=item, channel=PROXY_CHANNEL, applicant_kind=applicant_kind,
                     applicant_name=applicant_name, applicant_id_number=applicant_id_number, contact_name="",
                     contact_phone=contact_phone, form_data=form_data or {}, at=at, via_platform=True)
    case.cross_region_mode = "proxy"
    case.save()
    _ensure_may_add(actor, case)
    ProxyReceipt.objects.create(case=case, region=region, inbound=inbound, receiving_window=receiving_window[:200],
                                form_review_ok=True, identity_checked=True, received_at=at)
    CaseEvent.objects.create(case=case, action="proxy_receive", label="异地收件（形式审查、身份核验）",
                             from_status=CaseStatus.SUBMITTED, to_status=CaseStatus.SUBMITTED, actor=actor,
                             actor_repr=_actor_repr(actor), at=at, reason=receiving_window[:500])
    return case


_PROXY_STEPS = {
    "send": (ProxyStage.RECEIVED, ProxyStage.SENT, "材料寄递至办理地"),
    "arrive": (ProxyStage.SENT, ProxyStage.ARRIVED, "办理地接收材料"),
    "return": (ProxyStage.ARRIVED, ProxyStage.RETURNED, "结果寄回收件地"),
    "collect": (ProxyStage.RETURNED, ProxyStage.COLLECTED, "申请人领取结果"),
}


@service(perm="cases.handle_case", obj="case")
def proxy_handoff(*, actor, case: Case, step: str, logistics_no: str = "", at: datetime | None = None) -> ProxyReceipt:
    """One hand-off of a proxy case: send (寄递), arrive (办理地接收), return (结果寄回), collect (领取)."""
    at = _now(at)
    receipt = ProxyReceipt.objects.filter(case=case).first()
    if receipt is None:
        raise ServiceError(f"办件 {case.number} 不是异地代收代办件")
    if step not in _PROXY_STEPS:
        raise ServiceError(f"未知的流转环节“{step}”")
    source, target, label = _PROXY_STEPS[step]
    if receipt.stage != source:
        raise ServiceError(f"办件 {case.number} 处于“{receipt.get_stage_display()}”，不能“{label}”")
    if step in ("send", "return") and not logistics_no.strip():
        raise ServiceError(f"{label}须填写物流单号")
    if step == "return" and case.status not in (CaseStatus.CONCLUDED, CaseStatus.DELIVERED, CaseStatus.RATED,
                                                CaseStatus.REJECTED):
        raise ServiceError("办理地尚未办结，不能寄回结果")
    receipt.stage = target
    if step == "send":
        receipt.sent_logistics_no, receipt.sent_at = logistics_no.strip()[:50], at
    elif step == "arrive":
        receipt.arrived_at = at
    elif step == "return":
        receipt.result_logistics_no, receipt.returned_at = logistics_no.strip()[:50], at
    else:
        receipt.collected_at = at
    receipt.save()
    CaseEvent.objects.create(case=case, action=f"proxy_{step}", label=label, from_status=case.status,
                             to_status=case.status, actor=actor, actor_repr=_actor_repr(actor), at=at,
                             data={"logistics_no": logistics_no.strip()} if logistics_no else {})
    return receipt

"""S2: the case from application to 评价 — 申请, 补正, 受理 (incl. 容缺受理 and 告知承诺), 审查, 特别程序,
决定, 办结, 送达, 终止, 撤销, 撤回.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from zhengshu.cases import clock
from zhengshu.cases.choices import (
    ApplicantKind,
    ClockKind,
    Decision,
    DeliveryMethod,
    SuspensionKind,
    ToleranceStatus,
)
from zhengshu.cases.models import (
    Case,
    Commitment,
    CommitmentTemplate,
    Correction,
    Suspension,
    ToleranceRecord,
    VerificationTask,
)
from zhengshu.cases.parameters import param_int
from zhengshu.cases.services._common import (
    _attach,
    _attach_vault,
    _clock,
    _day,
    _ensure_may_add,
    _move,
    _need_reason,
    _new_case,
    _now,
    _recompute,
    _refuse_flagged,
    _terminate,
    ONLINE_CHANNELS,
)
from zhengshu.cases.transitions import perm_for
from zhengshu.core.services import service, ServiceError


@service(perm="cases.add_case")
def submit_application(*, actor, item, applicant_name: str, applicant_id_number: str,
                       applicant_kind: str = ApplicantKind.PERSON, channel: str = "1", contact_name: str = "",
                       contact_phone: str = "", form_data: dict | None = None,
                       files: list[tuple[str, str, bytes]] | None = None, vault_items=(), materials: dict | None = None,
                       via_platform: bool = True, at: datetime | None = None) -> Case:
    """申请: a window clerk or an online applicant submits an application with its materials.

    ``files``: (material name, file name, bytes); ``materials`` maps a material name to its ``Material``.
    """
    at = _now(at)
    case = _new_case(actor=actor, item=item, channel=channel, applicant_kind=applicant_kind,
                     applicant_name=applicant_name, applicant_id_number=applicant_id_number,
                     contact_name=contact_name, contact_phone=contact_phone, form_data=form_data or {}, at=at,
                     via_platform=via_platform)
    _ensure_may_add(actor, case)
    for name, filename, content in files or ():
        _attach(case, name=name, content=content, filename=filename, material=(materials or {}).get(name), at=at)
    for vault in vault_items:
        _attach_vault(case, vault, at)
    return case


@service(perm=perm_for("request_correction"), obj="case")
def request_correction(*, actor, case: Case, content: str, at: datetime | None = None) -> Correction:
    """一次性告知补正: tell the applicant everything to supply; the clock has not started."""
    at = _now(at)
    content = _need_reason(content, "一次性告知补正")
    _move(case, "request_correction", actor, at, content)
    deadline = _day(at) + timedelta(days=param_int("correction_days"))
    return Correction.objects.create(case=case, requested_at=at, content=content, deadline=deadline)


@service(perm=perm_for("resubmit"), obj="case")
def resubmit(*, actor, case: Case, files: list[tuple[str, str, bytes]] | None = None,
             at: datetime | None = None) -> Case:
    """补正后重新提交, registered at the window."""
    return _resubmit(case, actor, files, _now(at))


@service(perm="cases.apply_case", obj="case")
def resubmit_online(*, actor, case: Case, files: list[tuple[str, str, bytes]] | None = None,
                    at: datetime | None = None) -> Case:
    """补正后重新提交, by the applicant online."""
    return _resubmit(case, actor, files, _now(at))


def _resubmit(case: Case, actor, files, at: datetime) -> Case:
    _move(case, "resubmit", actor, at)
    for name, filename, content in files or ():
        _attach(case, name=name, content=content, filename=filename, at=at)
    case.corrections.filter(supplied_at__isnull=True).update(supplied_at=at)
    return case


@service(perm=perm_for("reject"), obj="case")
def reject(*, actor, case: Case, reason: str, at: datetime | None = None) -> Case:
    """不予受理 (terminal)."""
    at = _now(at)
    case.closed_reason = _need_reason(reason, "不予受理")
    _move(case, "reject", actor, at, case.closed_reason)
    return case


def _accept(case: Case, actor, at: datetime, note: str = "") -> Case:
    item = case.item
    _move(case, "accept", actor, at, note)
    case.accepted_at, case.accepted_on, case.accepted_by = at, _day(at), actor
    case.is_immediate = item.is_immediate
    case.legal_limit, case.legal_unit = item.legal_limit, item.legal_limit_unit
    case.promised_limit, case.promised_unit = item.promised_limit, item.promised_limit_unit
    _recompute(case)
    case.save()
    _clock(case, ClockKind.START, case.accepted_on, actor, at, reason="受理，次日起算")
    return case


@service(perm=perm_for("accept"), obj="case")
def accept(*, actor, case: Case, at: datetime | None = None) -> Case:
    """受理: the clock starts (受理当日不计)."""
    return _accept(case, actor, _now(at))


@service(perm=perm_for("accept"), obj="case")
def accept_with_tolerance(*, actor, case: Case, missing: list, at: datetime | None = None) -> Case:
    """容缺受理: accept with secondary materials missing; each gets a promised date from the item's rule."""
    at = _now(at)
    if not missing:
        raise ServiceError("容缺受理须列明缺少的材料")
    _refuse_flagged(case, "容缺受理")
    for material in missing:
        if material.item_id != case.item_id:
            raise ServiceError(f"材料“{material.name}”不属于事项“{case.item.name}”")
        if not material.may_be_missing:
            raise ServiceError(f"材料“{material.name}”不在容缺受理清单中，不能容缺")
    case.tolerance = True
    _accept(case, actor, at, "容缺受理：" + "、".join(m.name for m in missing))
    for material in missing:
        days = material.missing_max_workdays or param_int("tolerance_default_workdays")
        if case.promised_limit and not case.is_immediate:
            days = min(days, case.promised_limit)  # 补正期限不得超过承诺办结时限
        ToleranceRecord.objects.create(
            case=case, material=material, material_name=material.name,
            promised_date=clock.add_days(case.accepted_on, days, clock.WORKDAY, department_id=case.department_id),
        )
    return case


@service(perm=perm_for("accept"), obj="case")
def accept_with_commitment(*, actor, case: Case, template: CommitmentTemplate, signer_name: str,
                           verify_method: str = "data_sharing", verify_days: int | None = None,
                           at: datetime | None = None) -> Commitment:
    """告知承诺: accept on a signed commitment instead of the proofs; a verification task is created."""
    at = _now(at)
    if not case.item.allows_commitment:
        raise ServiceError(f"事项“{case.item.name}”未实行告知承诺制")
    if template.item_id != case.item_id or not template.active:
        raise ServiceError("告知承诺书模板不属于该事项或已停用")
    _refuse_flagged(case, "告知承诺")
    case.commitment = True
    _accept(case, actor, at, f"告知承诺受理（{template.title} v{template.version}）")
    letter = Commitment.objects.create(case=case, template=template, signer_name=_need_reason(signer_name, "承诺人"),
                                       signed_at=at, text=template.body)
    days = verify_days if verify_days is not None else param_int("verification_workdays")
    VerificationTask.objects.create(commitment=letter, method=verify_method,
                                    due_date=clock.add_days(_day(at), days, clock.WORKDAY))
    return letter


@service(perm=perm_for("start_review"), obj="case")
def start_review(*, actor, case: Case, at: datetime | None = None) -> Case:
    _move(case, "start_review", actor, _now(at))
    return case


@service(perm=perm_for("suspend"), obj="case")
def suspend(*, actor, case: Case, kind: str, reason: str, extension_days: int = 0,
            at: datetime | None = None) -> Suspension:
    """特别程序: 延长审批 adds ``extension_days``; any other procedure stops the clock until ``resume``."""
    at = _now(at)
    reason = _need_reason(reason, "启动特别程序")
    today = _day(at)
    if kind == SuspensionKind.EXTENSION:
        if extension_days <= 0:
            raise ServiceError("延长审批须填写延长的天数")
        if case.legal_limit is not None and case.extension_days + extension_days > max(case.legal_limit // 2, 10):
            raise ServiceError(f"延长天数合计不得超过 {max(case.legal_limit // 2, 10)} 天（法定时限的一半，至少 10 天）")
    elif kind != SuspensionKind.OTHER:
        raise ServiceError(f"未知的特别程序种类“{kind}”")
    _move(case, "suspend", actor, at, reason, {"kind": kind, "extension_days": extension_days})
    susp = Suspension.objects.create(case=case, kind=kind, reason=reason, started_on=today,
                                     extension_days=extension_days if kind == SuspensionKind.EXTENSION else 0)
    if kind == SuspensionKind.EXTENSION:
        case.extension_days += extension_days
        _recompute(case)
        case.save()
        _clock(case, ClockKind.EXTEND, today, actor, at, extension_days, reason)
    else:
        case.paused_since = today
        case.save()
        _clock(case, ClockKind.PAUSE, today, actor, at, 0, reason)
    return susp


@service(perm=perm_for("resume"), obj="case")
def resume(*, actor, case: Case, result: str = "", at: datetime | None = None) -> Case:
    """特别程序结束: the paused days are added to the due dates."""
    at = _now(at)
    today = _day(at)
    susp = case.suspensions.filter(ended_on__isnull=True).order_by("-id").first()
    _move(case, "resume", actor, at, result)
    if susp is not None:
        susp.ended_on, susp.result = today, result[:500]
        if susp.kind == SuspensionKind.OTHER and case.paused_since is not None:
            unit = case.promised_unit if case.promised_limit is not None else case.legal_unit
            susp.counted_days = clock.paused_length(case.paused_since, today, unit, department_id=case.department_id)
            case.paused_days += susp.counted_days
            case.paused_since = None
            _recompute(case)
            case.save()
            _clock(case, ClockKind.RESUME, today, actor, at, susp.counted_days, "特别程序结束，不计时天数计入")
        susp.save()
    return case


@service(perm=perm_for("decide"), obj="case")
def decide(*, actor, case: Case, decision: str, text: str = "", at: datetime | None = None) -> Case:
    """作出决定 (准予 / 不予). A 不予 decision needs reasons; pending 容缺 materials block a 准予."""
    at = _now(at)
    if decision not in Decision.values:
        raise ServiceError(f"决定只能是“准予”或“不予”，收到“{decision}”")
    if decision == Decision.REFUSED:
        text = _need_reason(text, "不予决定")
    elif case.tolerances.filter(status=ToleranceStatus.PENDING).exists():
        raise ServiceError("容缺材料尚未补齐，不能作出准予决定")
    _move(case, "decide", actor, at, text, {"decision": decision})
    case.decision, case.decided_at, case.decision_text = decision, at, text[:500]
    case.save()
    return case


@service(perm=perm_for("conclude"), obj="case")
def conclude(*, actor, case: Case, result_name: str = "", result_number: str = "",
             at: datetime | None = None) -> Case:
    """办结: the clock stops; 按时 means on or before the promised due date."""
    at = _now(at)
    _move(case, "conclude", actor, at)
    case.concluded_at, case.concluded_on = at, _day(at)
    case.on_time = case.promised_due is None or case.concluded_on <= case.promised_due
    case.result_name = (result_name or case.item.result_name)[:200]
    case.result_number = result_number[:100]
    case.save()
    _clock(case, ClockKind.STOP, case.concluded_on, actor, at, reason="办结")
    return case


@service(perm=perm_for("deliver"), obj="case")
def deliver(*, actor, case: Case, method: str, logistics_no: str = "", at: datetime | None = None) -> Case:
    """送达: electronic, by post (a logistics number is required) or collected at the window."""
    at = _now(at)
    if method not in DeliveryMethod.values:
        raise ServiceError(f"未知的送达方式“{method}”")
    if method == DeliveryMethod.POST and not logistics_no.strip():
        raise ServiceError("邮寄送达须填写物流单号")
    _move(case, "deliver", actor, at, DeliveryMethod(method).label, {"method": method, "logistics_no": logistics_no})
    case.delivered_at, case.delivery_method, case.logistics_no = at, method, logistics_no.strip()[:50]
    case.full_online = case.channel in ONLINE_CHANNELS and method == DeliveryMethod.ELECTRONIC
    case.save()
    return case


@service(perm=perm_for("terminate"), obj="case")
def terminate(*, actor, case: Case, reason: str, at: datetime | None = None) -> Case:
    """终止办理 (e.g. 容缺材料超期未补, 虚假承诺)."""
    return _terminate(case, actor, _now(at), _need_reason(reason, "终止办理"))


@service(perm=perm_for("revoke"), obj="case")
def revoke(*, actor, case: Case, reason: str, at: datetime | None = None) -> Case:
    """撤销已作出的决定 (e.g. a false commitment found after 办结)."""
    at = _now(at)
    case.closed_reason = _need_reason(reason, "撤销决定")
    _move(case, "revoke", actor, at, case.closed_reason)
    return case


@service(perm=perm_for("withdraw"), obj="case")
def withdraw(*, actor, case: Case, reason: str = "申请人主动撤回", at: datetime | None = None) -> Case:
    at = _now(at)
    was_running = case.accepted_on is not None
    case.closed_reason = reason[:500]
    _move(case, "withdraw", actor, at, reason)
    if was_running:
        _clock(case, ClockKind.STOP, _day(at), actor, at, reason="申请人撤回")
    return case

"""Every change of a case goes through here (S2–S5).

Transitions are looked up in ``transitions.TRANSITIONS``; a transition from a state the table does not allow
is refused with a ``ServiceError`` saying which state the case is in and from which states the action is
possible. Each transition writes a ``CaseEvent``; each clock change a ``ClockEvent``. ``at`` (default: now)
lets a command or a test replay a case at a given time; pages and the API never pass it.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone

from zhengshu import identifiers
from zhengshu.cases import clock
from zhengshu.cases.choices import (
    ApplicantKind,
    CaseStatus,
    ClockKind,
    Decision,
    DeliveryMethod,
    FlagKind,
    ProxyStage,
    RectificationStatus,
    SuspensionKind,
    ToleranceStatus,
    VerificationOutcome,
)
from zhengshu.cases.models import (
    ApplicantFlag,
    Attachment,
    Bundle,
    BundleApplication,
    Case,
    CaseEvent,
    CaseSequence,
    ClockEvent,
    Commitment,
    CommitmentTemplate,
    Correction,
    PartnerRegion,
    ProxyReceipt,
    Rating,
    Rectification,
    Revisit,
    Suspension,
    ToleranceRecord,
    VaultMaterial,
    VerificationTask,
)
from zhengshu.cases.parameters import param_float, param_int, param_str
from zhengshu.cases.transitions import TRANSITIONS, perm_for
from zhengshu.core.services import ServiceError, service

ONLINE_CHANNELS = ("2", "3")  # PC端, 浙里办 (申报来源 codes seeded by govservices)
PROXY_CHANNEL = "5"
ALLOWED_UPLOADS = {  # magic bytes → (content type, label)
    b"%PDF": ("application/pdf", "PDF"),
    b"\x89PNG": ("image/png", "PNG"),
    b"\xff\xd8\xff": ("image/jpeg", "JPEG"),
    b"PK\x03\x04": ("application/ofd", "OFD"),
}


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _day(at: datetime) -> date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def _actor_repr(actor) -> str:
    return (getattr(actor, "display_name", "") or getattr(actor, "username", "") or "系统")[:100]


def _move(case: Case, name: str, actor, at: datetime, reason: str = "", data: dict | None = None) -> CaseEvent:
    """Apply transition ``name`` to ``case`` (refusing an illegal one) and record the event."""
    transition = TRANSITIONS[name]
    if case.status not in transition.sources:
        allowed = "、".join(CaseStatus(s).label for s in transition.sources)
        raise ServiceError(
            f"办件 {case.number} 当前状态为“{CaseStatus(case.status).label}”，不能{transition.label}"
            f"（只有“{allowed}”的办件可以{transition.label}）"
        )
    before = case.status
    case.status = transition.target
    case.save()
    return CaseEvent.objects.create(
        case=case, action=name, label=transition.label, from_status=before, to_status=transition.target,
        actor=actor, actor_repr=_actor_repr(actor), at=at, reason=(reason or "")[:500], data=data or {},
    )


def _clock(case: Case, kind: str, on: date, actor, at: datetime, days: int = 0, reason: str = "") -> None:
    ClockEvent.objects.create(case=case, kind=kind, on=on, days=days, reason=reason[:300],
                              legal_due=case.legal_due, promised_due=case.promised_due, at=at, actor=actor)


def _recompute(case: Case) -> None:
    due = clock.due_dates(
        accepted_on=case.accepted_on, legal_limit=case.legal_limit, legal_unit=case.legal_unit,
        promised_limit=case.promised_limit, promised_unit=case.promised_unit, is_immediate=case.is_immediate,
        extension_days=case.extension_days, paused_days=case.paused_days, department_id=case.department_id,
        warn_ratio=param_float("warn_ratio"),
    )
    case.legal_due, case.promised_due, case.warn_on = due.legal, due.promised, due.warn


def _need_reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ServiceError(f"{what}须填写原因")
    return reason


# --- numbering and applicants ---------------------------------------------------------------------


def _next_case_number(implementation_code: str, on: date, channel: str = "") -> str:
    """实施编码 + yyyymmdd + sequence, in the format of parameter ``case_number_format``."""
    fmt = param_str("case_number_format")
    head = fmt.split("{seq", 1)[0]
    prefix = head.format(code=implementation_code, date=on, channel=channel)
    seq, _ = CaseSequence.objects.select_for_update().get_or_create(prefix=prefix)
    seq.last += 1
    seq.save(update_fields=["last"])
    return fmt.format(code=implementation_code, date=on, channel=channel, seq=seq.last)


def _active_flags(id_number: str):
    return ApplicantFlag.objects.filter(id_number=id_number, lifted_on__isnull=True)


def _check_applicant_id(id_number: str, kind: str) -> str:
    id_number = (id_number or "").strip().upper()
    result = identifiers.check(id_number)
    expected = "resident_id" if kind == ApplicantKind.PERSON else "uscc"
    if not result["valid"] or result["kind"] != expected:
        label = "身份证号" if kind == ApplicantKind.PERSON else "统一社会信用代码"
        raise ServiceError(f"申请人{label}“{id_number}”无效：{result['reason'] or '类型不符'}")
    return id_number


def _refuse_flagged(case: Case, what: str) -> None:
    flag = _active_flags(case.applicant_id_number).first()
    if flag is not None:
        raise ServiceError(f"申请人有“{flag.get_kind_display()}”记录（{flag.flagged_on:%Y-%m-%d}），"
                           f"信用修复前不适用{what}")


# --- uploads --------------------------------------------------------------------------------------


def _check_upload(name: str, content: bytes) -> str:
    """The content type of an acceptable upload; a ServiceError naming the file otherwise."""
    limit = param_int("upload_max_mb") * 1024 * 1024
    if not content:
        raise ServiceError(f"材料文件“{name}”为空")
    if len(content) > limit:
        raise ServiceError(f"材料文件“{name}”大小 {len(content) / 1048576:.1f} MB，超过上限 {limit // 1048576} MB")
    for magic, (ctype, _label) in ALLOWED_UPLOADS.items():
        if content.startswith(magic):
            return ctype
    raise ServiceError(f"材料文件“{name}”不是允许的类型（仅限 PDF、JPEG、PNG、OFD）")


def _attach(case: Case, *, name: str, content: bytes, filename: str, material=None, at: datetime) -> Attachment:
    ctype = _check_upload(filename, content)
    att = Attachment(case=case, material=material, name=name[:300], size=len(content), content_type=ctype,
                     sha256=hashlib.sha256(content).hexdigest(), uploaded_at=at)
    att.file.save(filename[-100:], ContentFile(content), save=False)
    att.save()
    return att


def _attach_vault(case: Case, vault: VaultMaterial, at: datetime) -> Attachment:
    today = _day(at)
    if vault.owner_id_number != case.applicant_id_number:
        raise ServiceError(f"材料库中的“{vault.name}”不属于申请人，不能复用")
    if vault.valid_until is not None and vault.valid_until < today:
        raise ServiceError(f"材料库中的“{vault.name}”已于 {vault.valid_until:%Y-%m-%d} 过期，请重新提交")
    return Attachment.objects.create(case=case, name=vault.name, vault_item=vault, sha256=vault.sha256,
                                     uploaded_at=at, content_type="vault")


# --- applying -------------------------------------------------------------------------------------


def _new_case(*, actor, item, channel: str, applicant_kind: str, applicant_name: str, applicant_id_number: str,
              contact_name: str, contact_phone: str, form_data: dict, at: datetime, via_platform: bool,
              bundle_application=None) -> Case:
    from zhengshu.govservices.models import code_map

    if not item.is_public:
        raise ServiceError(f"事项“{item.name}”未发布或已废止，不能申请")
    if channel not in code_map("apply_channel"):
        raise ServiceError(f"申报来源代码“{channel}”不在代码表“申报来源”中")
    applicant_user = None
    if getattr(actor, "kind", "staff") != "staff":  # citizens and enterprises apply for themselves only
        applicant_user = actor
        own = actor.enterprise_uscc if applicant_kind == ApplicantKind.ORGANISATION else actor.id_number
        if not own or own.upper() != (applicant_id_number or "").strip().upper():
            raise ServiceError("网上申请只能以本人或本企业名义提交")
        if channel not in ONLINE_CHANNELS:
            raise ServiceError("网上申请的申报来源只能是 PC端 或 浙里办")
    applicant_id_number = _check_applicant_id(applicant_id_number, applicant_kind)
    if not (applicant_name or "").strip():
        raise ServiceError("请填写申请人名称")
    case = Case(
        department_id=item.department_id, item=item, channel=channel, via_platform=via_platform,
        applicant_kind=applicant_kind, applicant_name=applicant_name.strip()[:200],
        applicant_id_number=applicant_id_number, contact_name=contact_name[:50], contact_phone=contact_phone[:20],
        applicant_user=applicant_user, form_data=form_data or {}, submitted_at=at,
        number=_next_case_number(item.implementation_code, _day(at), channel),
        bundle_application=bundle_application, is_immediate=item.is_immediate,
    )
    case.save()
    CaseEvent.objects.create(case=case, action="submit", label="提交申请", from_status="",
                             to_status=CaseStatus.SUBMITTED, actor=actor, actor_repr=_actor_repr(actor), at=at,
                             data={"channel": channel})
    return case


def _ensure_may_add(actor, case: Case) -> None:
    if not Case.objects.restrict(actor, "add").filter(pk=case.pk).exists():
        raise PermissionDenied(f"事项“{case.item.name}”不在您的收件范围内")


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


def _terminate(case: Case, actor, at: datetime, reason: str) -> Case:
    case.closed_reason = reason[:500]
    _move(case, "terminate", actor, at, reason)
    _clock(case, ClockKind.STOP, _day(at), actor, at, reason="终止办理")
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


# --- 容缺 follow-up -------------------------------------------------------------------------------


@service(perm="cases.handle_case", obj="case")
def supply_missing_material(*, actor, case: Case, record: ToleranceRecord, filename: str = "",
                            content: bytes = b"", at: datetime | None = None) -> ToleranceRecord:
    """The applicant supplied a 容缺 material (at the window, by post or online)."""
    at = _now(at)
    if record.case_id != case.pk:
        raise ServiceError("容缺记录不属于该办件")
    if record.status != ToleranceStatus.PENDING:
        raise ServiceError(f"材料“{record.material_name}”的容缺记录已是“{record.get_status_display()}”")
    if content:
        _attach(case, name=record.material_name, content=content, filename=filename or "material.pdf",
                material=record.material, at=at)
    record.status, record.supplied_at = ToleranceStatus.SUPPLIED, at
    record.save()
    CaseEvent.objects.create(case=case, action="supply_missing", label="补齐容缺材料", from_status=case.status,
                             to_status=case.status, actor=actor, actor_repr=_actor_repr(actor), at=at,
                             reason=record.material_name)
    return record


def _remind_and_terminate_tolerances(today: date, at: datetime | None = None) -> dict:
    """The daily 容缺 job: remind pending records due within the reminder window; terminate overdue cases."""
    at = _now(at)
    window = param_int("tolerance_remind_days")
    reminded = terminated = 0
    pending = ToleranceRecord.objects.filter(status=ToleranceStatus.PENDING).select_related("case")
    for record in pending.filter(promised_date__lt=today).order_by("case_id"):
        case = record.case
        ToleranceRecord.objects.filter(pk=record.pk).update(status=ToleranceStatus.OVERDUE)
        if case.status in TRANSITIONS["terminate"].sources:
            _terminate(case, None, at, f"容缺材料“{record.material_name}”超过承诺期限 {record.promised_date:%Y-%m-%d} 未补齐")
            terminated += 1
    soon = pending.filter(promised_date__gte=today, promised_date__lte=today + timedelta(days=window))
    for record in soon.exclude(last_reminded_on=today):
        record.reminders += 1
        record.last_reminded_on = today
        record.save(update_fields=["reminders", "last_reminded_on"])
        CaseEvent.objects.create(case=record.case, action="remind", label="容缺补齐提醒",
                                 from_status=record.case.status, to_status=record.case.status, actor=None,
                                 actor_repr="系统", at=at,
                                 reason=f"请于 {record.promised_date:%Y-%m-%d} 前补齐“{record.material_name}”")
        reminded += 1
    return {"reminded": reminded, "terminated": terminated}


# --- 告知承诺 verification and credit flags --------------------------------------------------------


def _flag(id_number: str, name: str, kind: str, reason: str, department_id: int, on: date, case=None) -> ApplicantFlag:
    return ApplicantFlag.objects.create(id_number=id_number, name=name[:200], kind=kind, reason=reason[:500],
                                        source_case=case, flagged_on=on, department_id=department_id)


@service(perm="cases.handle_case", obj="case")
def record_verification(*, actor, case: Case, task: VerificationTask, outcome: str, notes: str = "",
                        at: datetime | None = None) -> VerificationTask:
    """核查结果: a false commitment terminates an open case or revokes a concluded one and flags the applicant."""
    at = _now(at)
    if task.commitment.case_id != case.pk:
        raise ServiceError("核查任务不属于该办件")
    if task.outcome:
        raise ServiceError(f"核查任务已有结果“{task.get_outcome_display()}”")
    if outcome not in (VerificationOutcome.TRUE, VerificationOutcome.FALSE):
        raise ServiceError("核查结果只能是“属实”或“不实”")
    if outcome == VerificationOutcome.FALSE:
        notes = _need_reason(notes, "核查不实")
    task.outcome, task.notes, task.concluded_at, task.handled_by = outcome, notes[:500], at, actor
    task.save()
    if outcome == VerificationOutcome.FALSE:
        reason = f"告知承诺核查不实：{notes}"
        if case.status in TRANSITIONS["terminate"].sources:
            _terminate(case, actor, at, reason)
        elif case.status in TRANSITIONS["revoke"].sources:
            case.closed_reason = reason[:500]
            _move(case, "revoke", actor, at, reason)
        _flag(case.applicant_id_number, case.applicant_name, FlagKind.FALSE_COMMITMENT, reason,
              case.department_id, _day(at), case)
    return task


@service(perm="cases.add_applicantflag")
def flag_applicant(*, actor, id_number: str, name: str, kind: str, reason: str,
                   at: datetime | None = None) -> ApplicantFlag:
    """Record a bad-credit flag (e.g. from the credit platform)."""
    if kind not in FlagKind.values:
        raise ServiceError(f"未知的信用标记类型“{kind}”")
    if actor.department_id is None:
        raise ServiceError("只有部门工作人员可以记录信用标记")
    return _flag(id_number.strip().upper(), name, kind, _need_reason(reason, "信用标记"), actor.department_id,
                 _day(_now(at)))


@service(perm="cases.change_applicantflag", obj="flag")
def lift_flag(*, actor, flag: ApplicantFlag, reason: str, at: datetime | None = None) -> ApplicantFlag:
    """信用修复: the flag stops blocking 容缺 and 告知承诺."""
    if flag.lifted_on is not None:
        raise ServiceError("该信用标记已修复")
    flag.lifted_on = _day(_now(at))
    flag.comments = (flag.comments + "\n" if flag.comments else "") + "信用修复：" + _need_reason(reason, "信用修复")
    flag.save()
    return flag


# --- 好差评 ---------------------------------------------------------------------------------------


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


# --- 异地无忧 -------------------------------------------------------------------------------------


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


# --- 一件事 and the material vault ---------------------------------------------------------------


def _merged_form(bundle: Bundle) -> dict:
    """The merged form of a bundle: fields and materials deduplicated by name, with the items needing each."""
    fields: dict[str, list[str]] = {}
    materials: dict[str, dict] = {}
    for entry in bundle.entries.select_related("item").prefetch_related("item__materials"):
        for name in entry.fields or ():
            fields.setdefault(name, []).append(entry.item.name)
        for material in entry.item.materials.all():
            slot = materials.setdefault(material.name, {"items": [], "required": False})
            slot["items"].append(entry.item.name)
            slot["required"] = slot["required"] or material.required
    return {"fields": fields, "materials": materials}


@service(perm="cases.add_case")
def submit_bundle(*, actor, bundle: Bundle, applicant_name: str, applicant_id_number: str,
                  applicant_kind: str = ApplicantKind.PERSON, channel: str = "2", form_data: dict | None = None,
                  files: list[tuple[str, str, bytes]] | None = None, vault_items=(),
                  at: datetime | None = None) -> BundleApplication:
    """One submission of a 一件事: one sub-case per item, each getting the fields and materials it needs."""
    at = _now(at)
    if not bundle.active:
        raise ServiceError(f"一件事“{bundle.name}”已停用")
    form = _merged_form(bundle)
    data = form_data or {}
    missing = [name for name in form["fields"] if not str(data.get(name, "")).strip()]
    if missing:
        raise ServiceError("合并表单缺少字段：" + "、".join(missing))
    application = BundleApplication.objects.create(
        bundle=bundle, applicant_name=applicant_name, applicant_id_number=applicant_id_number.strip().upper(),
        applicant_user=actor if getattr(actor, "kind", "staff") != "staff" else None, form_data=data, submitted_at=at,
    )
    for entry in bundle.entries.select_related("item"):
        item = entry.item
        case = _new_case(actor=actor, item=item, channel=channel, applicant_kind=applicant_kind,
                         applicant_name=applicant_name, applicant_id_number=applicant_id_number, contact_name="",
                         contact_phone="", form_data={k: data[k] for k in entry.fields or () if k in data}, at=at,
                         via_platform=True, bundle_application=application)
        _ensure_may_add(actor, case)
        needed = {m.name: m for m in item.materials.all()}
        for name, filename, content in files or ():
            if name in needed:
                _attach(case, name=name, content=content, filename=filename, material=needed[name], at=at)
        for vault in vault_items:
            if vault.name in needed:
                _attach_vault(case, vault, at)
    return application


def _bundle_status(application: BundleApplication) -> str:
    """One overall status: 已办结 when every sub-case is finished, 办理中 while any is open, else the worst."""
    statuses = set(application.cases.values_list("status", flat=True))
    finished = {CaseStatus.CONCLUDED, CaseStatus.DELIVERED, CaseStatus.RATED}
    if statuses and statuses <= finished:
        return "已办结"
    if statuses & {CaseStatus.REJECTED, CaseStatus.TERMINATED, CaseStatus.REVOKED, CaseStatus.WITHDRAWN}:
        return "部分未通过"
    if statuses & {CaseStatus.CORRECTION}:
        return "待补正"
    return "办理中"


@service(perm="cases.add_vaultmaterial")
def add_vault_material(*, actor, owner_id_number: str, name: str, filename: str, content: bytes, source: str,
                       issued_by: str = "", valid_until: date | None = None, source_case: Case | None = None,
                       at: datetime | None = None) -> VaultMaterial:
    """Put a material into an applicant's vault, with its provenance and validity."""
    at = _now(at)
    owner_id_number = owner_id_number.strip().upper()
    if getattr(actor, "kind", "staff") != "staff" and owner_id_number not in (actor.id_number, actor.enterprise_uscc):
        raise ServiceError("只能向本人或本企业的材料库添加材料")
    _check_upload(filename, content)
    vault = VaultMaterial(owner_id_number=owner_id_number, name=name[:300], source=_need_reason(source, "材料来源"),
                          issued_by=issued_by[:200], valid_from=_day(at), valid_until=valid_until,
                          sha256=hashlib.sha256(content).hexdigest(), created_at=at, source_case=source_case,
                          owner_user=actor if getattr(actor, "kind", "staff") != "staff" else None)
    vault.file.save(filename[-100:], ContentFile(content), save=False)
    vault.save()
    return vault

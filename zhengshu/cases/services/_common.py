"""Helpers every case service shares: moving a case along the transition table (refusing an illegal
or stale move), clock records, numbering, applicant checks, uploads and the vault.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import timezone

from zhengshu import identifiers
from zhengshu.cases import clock
from zhengshu.cases.choices import ApplicantKind, CaseStatus, ClockKind
from zhengshu.cases.models import ApplicantFlag, Attachment, Case, CaseEvent, CaseSequence, ClockEvent, VaultMaterial
from zhengshu.cases.parameters import param_float, param_int, param_str
from zhengshu.cases.transitions import TRANSITIONS
from zhengshu.core.services import ServiceError


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
    # A conditional UPDATE: of two clerks moving the same case at once (both read "已提交"), the second
    # finds the row changed (PostgreSQL re-checks the condition after the first commits) and is refused.
    if not Case.objects.filter(pk=case.pk, status=before).update(status=transition.target):
        now = Case.objects.filter(pk=case.pk).values_list("status", flat=True).first()
        label = CaseStatus(now).label if now else "已删除"
        raise ServiceError(f"办件 {case.number} 已被其他人员处理（现为“{label}”），不能{transition.label}，请刷新后重试")
    case.status = transition.target
    case.save()
    return CaseEvent.objects.create(
        case=case, action=name, label=transition.label, from_status=before, to_status=transition.target,
        actor=actor, actor_repr=_actor_repr(actor), at=at, reason=(reason or "")[:500], data=data or {},
    )


def _clock(case: Case, kind: str, on: date, actor, at: datetime, days: int = 0, reason: str = "") -> None:
    guessed = clock.unknown_years(case.legal_due, case.promised_due) if kind != ClockKind.STOP else []
    if guessed:
        years = "、".join(str(y) for y in guessed)
        reason = f"{reason}；{years} 年节假日安排未录入，办结日暂按周末估算，录入后的下一次计时变更重算"
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


def _is_ofd(content: bytes) -> bool:
    """An OFD (GB/T 33190) package is a ZIP with ``OFD.xml`` at its root."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            return "OFD.xml" in package.namelist()
    except zipfile.BadZipFile:
        return False


def _check_upload(name: str, content: bytes) -> str:
    """The content type of an acceptable upload; a ServiceError naming the file otherwise."""
    limit = param_int("upload_max_mb") * 1024 * 1024
    if not content:
        raise ServiceError(f"材料文件“{name}”为空")
    if len(content) > limit:
        raise ServiceError(f"材料文件“{name}”大小 {len(content) / 1048576:.1f} MB，超过上限 {limit // 1048576} MB")
    for magic, (ctype, _label) in ALLOWED_UPLOADS.items():
        if content.startswith(magic):
            if ctype == "application/ofd" and not _is_ofd(content):  # any ZIP starts so: a .docx, an archive
                break
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


def _terminate(case: Case, actor, at: datetime, reason: str) -> Case:
    case.closed_reason = reason[:500]
    _move(case, "terminate", actor, at, reason)
    _clock(case, ClockKind.STOP, _day(at), actor, at, reason="终止办理")
    return case


def _flag(id_number: str, name: str, kind: str, reason: str, department_id: int, on: date, case=None) -> ApplicantFlag:
    return ApplicantFlag.objects.create(id_number=id_number, name=name[:200], kind=kind, reason=reason[:500],
                                        source_case=case, flagged_on=on, department_id=department_id)

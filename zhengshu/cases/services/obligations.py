"""S4 follow-up: 容缺 materials supplied, reminded and terminated when overdue; 告知承诺 verification;
credit flags and their repair.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from zhengshu.cases.choices import FlagKind, ToleranceStatus, VerificationOutcome
from zhengshu.cases.models import ApplicantFlag, Case, CaseEvent, ToleranceRecord, VerificationTask
from zhengshu.cases.parameters import param_int
from zhengshu.cases.services._common import _actor_repr, _attach, _day, _flag, _move, _need_reason, _now, _terminate
from zhengshu.cases.transitions import TRANSITIONS
from zhengshu.core.services import service, ServiceError


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

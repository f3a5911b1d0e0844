"""State changes of the assistant: knowledge curation and assisted-handling requests (each a ``@service``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhengshu.assistant.models import (
    Alias,
    AssistOutcome,
    AssistRequest,
    AssistStatus,
    FaqEntry,
    QuestionLog,
    QueueStatus,
)
from zhengshu.core.services import ServiceError, service

ALIAS_FIELDS = ("phrase", "target", "note", "active")
FAQ_FIELDS = ("question", "phrasings", "answer", "item_codes", "active")


def _alias_perm(kwargs: dict) -> str:
    return "assistant.change_alias" if kwargs.get("alias") is not None else "assistant.add_alias"


@service(perm=_alias_perm, obj="alias")
def save_alias(*, actor, alias: Alias | None = None, data: dict[str, Any]) -> Alias:
    """Create or edit an alias (群众说法 → 规范说法)."""
    alias = alias or Alias()
    for name in ALIAS_FIELDS:
        if name in data:
            setattr(alias, name, data[name].strip() if isinstance(data[name], str) else data[name])
    if not alias.phrase or not alias.target:
        raise ServiceError("群众说法和规范说法都必须填写")
    if alias.phrase == alias.target:
        raise ServiceError("群众说法与规范说法相同，无需设置别名")
    alias.full_clean(validate_unique=False)
    if Alias.objects.filter(phrase=alias.phrase, target=alias.target).exclude(pk=alias.pk).exists():
        raise ServiceError(f"别名“{alias.phrase} → {alias.target}”已存在")
    alias.save()
    return alias


def _clean_item_codes(codes) -> list[str]:
    """Check 实施编码 of a FAQ entry against the catalogue; a Chinese error names the unknown ones."""
    from zhengshu.govservices.models import ServiceItem

    if isinstance(codes, str):
        codes = [c for c in codes.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")]
    codes = [str(c).strip().upper() for c in codes or [] if str(c).strip()]
    known = set(ServiceItem.objects.filter(implementation_code__in=codes).values_list("implementation_code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ServiceError(f"关联事项实施编码不存在：{'、'.join(unknown)}")
    return list(dict.fromkeys(codes))


def _faq_perm(kwargs: dict) -> str:
    return "assistant.change_faqentry" if kwargs.get("faq") is not None else "assistant.add_faqentry"


@service(perm=_faq_perm, obj="faq")
def save_faq(*, actor, faq: FaqEntry | None = None, data: dict[str, Any]) -> FaqEntry:
    """Create or edit a FAQ entry (标准问题, 其他问法, 答案, 关联事项)."""
    faq = faq or FaqEntry()
    for name in FAQ_FIELDS:
        if name in data:
            value = data[name]
            setattr(faq, name, value.strip() if isinstance(value, str) and name != "item_codes" else value)
    faq.item_codes = _clean_item_codes(faq.item_codes)
    if not faq.question or not faq.answer:
        raise ServiceError("标准问题和答案都必须填写")
    try:
        faq.full_clean()
    except ValidationError as exc:
        raise ServiceError("；".join(f"{k}：{'、'.join(v)}" for k, v in exc.message_dict.items())) from None
    faq.save()
    return faq


@service(perm="assistant.change_questionlog", obj="entry")
def curate_question(*, actor, entry: QuestionLog, action: str, faq: FaqEntry | None = None,
                    faq_data: dict | None = None) -> QuestionLog:
    """Work one queue entry: turn it into a new FAQ entry, add it as a phrasing of an existing one, or dismiss."""
    if entry.queue_status != QueueStatus.OPEN:
        raise ServiceError("这条提问不在待整理队列中")
    if action == "dismiss":
        entry.queue_status = QueueStatus.DISMISSED
    elif action == "new_faq":
        data = {"question": entry.question[:200], **(faq_data or {})}
        faq = save_faq(actor=actor, data=data)
        entry.queue_status, entry.faq = QueueStatus.CURATED, faq
    elif action == "add_phrasing":
        if faq is None:
            raise ServiceError("请选择要加入问法的常见问答")
        phrasings = faq.phrasing_list()
        if entry.question not in phrasings and entry.question != faq.question:
            phrasings.append(entry.question[:200])
        save_faq(actor=actor, faq=faq, data={"phrasings": "\n".join(phrasings)})
        entry.queue_status, entry.faq = QueueStatus.CURATED, faq
    else:
        raise ServiceError(f"未知的整理动作：{action}")
    entry.save(update_fields=["queue_status", "faq"])
    return entry


def _next_number() -> str:
    today = timezone.localdate()
    prefix = f"BB{today:%Y%m%d}"
    last = AssistRequest.objects.filter(number__startswith=prefix).order_by("-number").values_list(
        "number", flat=True).first()
    serial = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{serial:04d}"


@service(perm="assistant.add_assistrequest")
def request_assistance(*, actor, question: str, contact_phone: str, item_code: str = "", location=None,
                       question_log: QuestionLog | None = None) -> AssistRequest:
    """A citizen asks for assisted handling; the request is routed to a level and a department queue."""
    from zhengshu.assistant.routing import route
    from zhengshu.govservices.selectors import item_by_code

    question = (question or "").strip()
    phone = "".join(ch for ch in (contact_phone or "") if ch.isdigit() or ch == "-")
    if not question:
        raise ServiceError("请说明需要帮助办理的事情")
    if len(question) > 500:
        raise ServiceError("问题说明请在 500 字以内")
    if not (7 <= len(phone) <= 20):
        raise ServiceError("请填写有效的联系电话（手机号或带区号的固定电话）")
    item = item_by_code(item_code) if item_code else None
    if item_code and (item is None or not item.is_public):
        raise ServiceError(f"事项实施编码“{item_code}”不存在或未公开")
    department, level, reason = route(item, location)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return AssistRequest.objects.create(
                    number=_next_number(), requester=actor, department=department, level=level,
                    route_reason=reason[:200], item_code=item.implementation_code if item else "",
                    item_name=item.name if item else "", question=question, contact_phone=phone,
                    location=location, question_log=question_log,
                )
        except IntegrityError:
            continue
    raise ServiceError("系统繁忙，请稍后再试")


@service(perm="assistant.change_assistrequest", obj="request")
def take_request(*, actor, request: AssistRequest) -> AssistRequest:
    """待受理 → 办理中: a staff member of the queue takes the request."""
    if request.status != AssistStatus.WAITING:
        raise ServiceError(f"请求 {request.number} 当前为“{request.get_status_display()}”，不能再受理")
    request.status, request.taken_by, request.taken_at = AssistStatus.TAKEN, actor, timezone.now()
    request.save()
    return request


def _case_exists(number: str) -> bool | None:
    """True/False when the cases app can tell, None when it is not there."""
    try:
        from zhengshu.cases import selectors
    except ImportError:
        return None
    finder = getattr(selectors, "case_by_number", None)
    if finder is not None:
        return finder(number) is not None
    try:
        from django.apps import apps

        model = apps.get_model("cases", "Case")
    except LookupError:
        return None
    return model.objects.filter(number=number).exists()


@service(perm="assistant.change_assistrequest", obj="request")
def close_request(*, actor, request: AssistRequest, outcome: str, note: str = "",
                  case_number: str = "") -> AssistRequest:
    """办理中 → 已办结 with an outcome; 已帮办申请 needs the number of the case that resulted."""
    if request.status != AssistStatus.TAKEN:
        raise ServiceError(f"请求 {request.number} 须先受理才能办结（当前为“{request.get_status_display()}”）")
    if outcome not in AssistOutcome.values or not outcome:
        raise ServiceError("请选择办理结果")
    case_number = (case_number or "").strip()
    if outcome == AssistOutcome.CASE:
        if not case_number:
            raise ServiceError("办理结果为“已帮办申请”时须填写关联办件编号")
        if _case_exists(case_number) is False:
            raise ServiceError(f"办件编号“{case_number}”不存在")
    request.status, request.outcome, request.closed_at = AssistStatus.CLOSED, outcome, timezone.now()
    request.outcome_note, request.case_number = (note or "").strip()[:500], case_number[:40]
    request.save()
    return request

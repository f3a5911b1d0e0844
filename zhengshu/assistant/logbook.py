"""The question log: every question asked, its answer and the asker's 有用/没用 feedback.

This is an interaction log written on behalf of anyone, signed in or not (like an access log), not a business
change made by a user, so it is written here rather than through a ``@service`` (ADR 0013). Feedback on a
logged question needs the question's random token, which only the asker's page or API client was given.
Turning queue entries into FAQ entries is staff work and goes through ``services.py``.
"""

from __future__ import annotations

from django.utils import timezone

from zhengshu.assistant.models import Feedback, QuestionLog, QueueStatus
from zhengshu.assistant.privacy import mask_personal


MAX_LOGGED = 500  # characters of a question kept in the log (longer input is refused before it is searched)


def log_question(question: str, out: dict, *, user=None, channel: str = "web", token: str) -> QuestionLog:
    card = out.get("card") or {}
    answers = ([card] if card else []) + list(out.get("alternatives") or [])
    no_answer = bool(out.get("no_answer"))
    return QuestionLog.objects.create(
        # ID numbers, phone numbers and cued names are masked before the question is stored (privacy.py).
        question=mask_personal((question or "").replace("\x00", "")[:MAX_LOGGED])[:500],
        user=user if getattr(user, "is_authenticated", False) else None,
        channel=channel[:12], no_answer=no_answer, refused=(out.get("refused") or "")[:100],
        top_code=card.get("implementation_code", ""), top_name=card.get("name", "")[:200],
        score=card.get("score", 0.0), confidence=out.get("confidence") or 0.0,
        answers=[{"implementation_code": a.get("implementation_code"), "name": a.get("name"),
                  "score": a.get("score")} for a in answers],
        token=token,
        # Empty or overlong input is not knowledge work: it is logged but not queued.
        queue_status=QueueStatus.OPEN if no_answer and out.get("refused") in ("把握不足", "知识库中没有相关内容",
                                                                                "问题中没有可检索的内容") else "",
    )


class FeedbackError(Exception):
    """Feedback that cannot be recorded (a verdict other than useful/useless, an unknown question, a token that
    does not match); Chinese message."""


def give_feedback(*, log_id, token: str, value: str) -> QuestionLog:
    """Record 有用/没用 on a logged question; 没用 puts it in the queue for staff."""
    if value not in (Feedback.USEFUL, Feedback.USELESS):
        raise FeedbackError("评价只能是 useful（有用）或 useless（没用）")
    try:
        entry = QuestionLog.objects.get(pk=int(log_id))
    except (QuestionLog.DoesNotExist, TypeError, ValueError):
        raise FeedbackError("找不到这条提问记录") from None
    if not token or not isinstance(token, str) or not _same(entry.token, token):
        raise FeedbackError("评价凭据不符，只能评价自己刚才的提问")
    entry.feedback, entry.feedback_at = value, timezone.now()
    fields = ["feedback", "feedback_at"]
    if value == Feedback.USELESS and entry.queue_status == "":
        entry.queue_status = QueueStatus.OPEN
        fields.append("queue_status")
    entry.save(update_fields=fields)
    return entry


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())

"""Reads of the assistant that other apps (the cockpit) may use."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth

from zhengshu.assistant.models import AssistRequest, AssistStatus, QuestionLog


def assist_counts(year: int) -> dict:
    """Assisted-handling requests (帮办, 潮晓云) and Q&A questions of ``year``, by the time they were made.

    ``{"requests", "closed", "questions", "by_month": [{"month", "requests", "questions"}], "by_level":
    [{"level", "label", "requests"}], "by_town": [{"code", "name", "requests"}]}``; ``by_town`` groups requests by
    the requester's location (镇街/村社) when one was given.
    """
    requests = AssistRequest.objects.filter(created__year=year)
    questions = QuestionLog.objects.filter(asked_at__year=year)
    months = {m: {"month": m, "requests": 0, "questions": 0} for m in range(1, 13)}
    for qs, field, key in ((requests, "created", "requests"), (questions, "asked_at", "questions")):
        for row in qs.annotate(m=ExtractMonth(field)).values("m").annotate(n=Count("id")):
            months[row["m"]][key] = row["n"]
    labels = dict(AssistRequest._meta.get_field("level").choices)
    by_level = [{"level": r["level"], "label": str(labels.get(r["level"], r["level"])), "requests": r["n"]}
                for r in requests.values("level").annotate(n=Count("id")).order_by("level")]
    by_town = [{"code": r["location__code"], "name": r["location__name"], "requests": r["n"]}
               for r in requests.filter(location__isnull=False).values("location__code", "location__name")
               .annotate(n=Count("id")).order_by("location__code")]
    return {"requests": requests.count(), "closed": requests.filter(Q(status=AssistStatus.CLOSED)).count(),
            "questions": questions.count(), "by_month": list(months.values()), "by_level": by_level,
            "by_town": by_town}

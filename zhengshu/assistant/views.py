"""Pages: the citizen chat (public, phone-friendly), assisted-handling requests (citizen form and own list,
staff queue with take/close) and the staff curation page (unanswered queue, FAQ, aliases, feedback figures)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhengshu.assistant import services
from zhengshu.assistant.ask import MAX_INPUT, ask_and_log
from zhengshu.assistant.logbook import FeedbackError, give_feedback
from zhengshu.assistant.privacy import mask_personal
from zhengshu.assistant.models import (
    Alias,
    AssistOutcome,
    AssistRequest,
    AssistStatus,
    FaqEntry,
    QuestionLog,
    QueueStatus,
)
from zhengshu.core.masking import mask_phone
from zhengshu.core.services import ServiceError
from zhengshu.orgs.choices import DepartmentLevel
from zhengshu.orgs.models import Department

TOKENS_KEPT = 30  # feedback tokens of the last questions kept in the session
EXAMPLES = ("开个体户要带什么材料", "社保卡丢了怎么补", "公积金租房怎么提取", "新生儿怎么上户口", "驾照到期了怎么换")


def _places():
    return Department.objects.filter(level__in=(DepartmentLevel.TOWN, DepartmentLevel.VILLAGE),
                                     is_active=True).order_by("path")


def chat(request):
    """Ask a question; the answer card, 有用/没用 and 转人工 (no login needed to ask)."""
    out, question = None, ""
    if request.method == "POST":
        question = request.POST.get("question", "")
        if len(question) > MAX_INPUT * 4:
            question = question[: MAX_INPUT + 1]
        town = request.POST.get("town") or ""
        town_id = int(town) if town.isdigit() else None
        out = ask_and_log(question, user=request.user, channel="web", town_id=town_id, with_phrasing=True)
        tokens = request.session.get("assistant_tokens") or {}
        tokens[str(out["log_id"])] = out["token"]
        request.session["assistant_tokens"] = dict(list(tokens.items())[-TOKENS_KEPT:])
    return render(request, "assistant/chat.html", {"out": out, "question": question, "examples": EXAMPLES,
                                                    "max_input": MAX_INPUT})


@require_POST
def feedback(request, log_id: int):
    token = (request.session.get("assistant_tokens") or {}).get(str(log_id), "")
    try:
        give_feedback(log_id=log_id, token=token, value=request.POST.get("value", ""))
    except FeedbackError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "谢谢您的评价！" if request.POST.get("value") == "useful"
                         else "谢谢反馈，工作人员会改进这条答复。需要帮助可点“转人工”。")
    return redirect(reverse("assistant:chat") + f"?rated={log_id}")


@login_required
def request_new(request):
    """A citizen asks for assisted handling (转人工), optionally about an item and from a town/village."""
    if not request.user.has_perm("assistant.add_assistrequest"):
        raise PermissionDenied("您的账号不能提交帮办请求")
    log = None
    log_id = request.GET.get("log") or request.POST.get("log") or ""
    if log_id.isdigit():
        # Only a question this user asked (signed in, or in this browser session before signing in): the log's
        # question pre-fills the form, so another person's question must not be reachable by its number.
        log = QuestionLog.objects.filter(pk=int(log_id)).first()
        own_tokens = request.session.get("assistant_tokens") or {}
        if log is not None and log.user_id != request.user.pk and own_tokens.get(str(log.pk)) != log.token:
            log = None
    initial = {"question": request.POST.get("question", log.question if log else ""),
               "item_code": request.POST.get("item_code", request.GET.get("item", log.top_code if log else "")),
               "contact_phone": request.POST.get("contact_phone", getattr(request.user, "phone", "") or ""),
               "location": request.POST.get("location", "")}
    if request.method == "POST":
        location = None
        if initial["location"].isdigit():
            location = _places().filter(pk=int(initial["location"])).first()
        try:
            obj = services.request_assistance(actor=request.user, question=initial["question"],
                                              contact_phone=initial["contact_phone"], item_code=initial["item_code"],
                                              location=location, question_log=log)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已提交帮办请求 {obj.number}，由{obj.department.name}"
                                      f"（{obj.get_level_display()}）受理，工作人员会尽快联系您。")
            return redirect("assistant:my_requests")
    item_name = ""
    if initial["item_code"]:
        from zhengshu.govservices.selectors import item_by_code

        item = item_by_code(initial["item_code"])
        item_name = item.name if item else ""
    return render(request, "assistant/request_new.html", {"initial": initial, "places": _places(), "log": log,
                                                           "item_name": item_name})


@login_required
def my_requests(request):
    rows = AssistRequest.objects.filter(requester=request.user).select_related("department")
    return render(request, "assistant/my_requests.html", {"rows": rows})


@login_required
def request_queue(request):
    """The staff queue: requests routed to departments the user may see, waiting first."""
    if not request.user.has_perm("assistant.view_assistrequest"):
        raise PermissionDenied
    qs = AssistRequest.objects.restrict(request.user, "view").select_related("department", "taken_by")
    status = request.GET.get("status", "open")
    if status == "open":
        qs = qs.exclude(status=AssistStatus.CLOSED)
    elif status in AssistStatus.values:
        qs = qs.filter(status=status)
    rows = list(qs.order_by("status", "created")[:300])
    for row in rows:
        row.phone_masked = mask_phone(row.contact_phone)
        row.question_masked = mask_personal(row.question)
    return render(request, "assistant/request_queue.html", {
        "rows": rows, "status": status, "statuses": AssistStatus.choices, "outcomes": AssistOutcome.choices[1:],
    })


@login_required
@require_POST
def request_action(request, pk: int, action: str):
    obj = get_object_or_404(AssistRequest.objects.restrict(request.user, "view"), pk=pk)
    try:
        if action == "take":
            services.take_request(actor=request.user, request=obj)
            messages.success(request, f"已受理 {obj.number}")
        elif action == "close":
            services.close_request(actor=request.user, request=obj, outcome=request.POST.get("outcome", ""),
                                   note=request.POST.get("note", ""), case_number=request.POST.get("case_number", ""))
            messages.success(request, f"已办结 {obj.number}")
        else:
            raise Http404
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect(reverse("assistant:request_queue") + "?status=" + request.POST.get("back", "open"))


def _feedback_stats():
    logs = QuestionLog.objects.all()
    totals = logs.aggregate(
        asked=Count("id"), no_answer=Count("id", filter=Q(no_answer=True)),
        useful=Count("id", filter=Q(feedback="useful")), useless=Count("id", filter=Q(feedback="useless")))
    rated = totals["useful"] + totals["useless"]
    totals["useful_rate"] = round(100 * totals["useful"] / rated, 1) if rated else None
    totals["no_answer_rate"] = round(100 * totals["no_answer"] / totals["asked"], 1) if totals["asked"] else None
    worst = (logs.exclude(top_code="").values("top_name", "top_code")
             .annotate(useless=Count("id", filter=Q(feedback="useless")),
                       useful=Count("id", filter=Q(feedback="useful")), asked=Count("id"))
             .filter(useless__gt=0).order_by("-useless", "-asked")[:10])
    return totals, list(worst)


@login_required
def curation(request):
    """Staff: the unanswered queue, FAQ entries, aliases and feedback figures."""
    user = request.user
    if not user.has_perm("assistant.view_questionlog"):
        raise PermissionDenied
    can_edit = user.has_perm("assistant.change_questionlog")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        what = request.POST.get("what")
        try:
            if what == "alias":
                services.save_alias(actor=user, data={"phrase": request.POST.get("phrase", ""),
                                                      "target": request.POST.get("target", ""),
                                                      "note": request.POST.get("note", "")})
                messages.success(request, "已添加同义词")
            elif what == "faq":
                faq = None
                if request.POST.get("faq_id", "").isdigit():
                    faq = get_object_or_404(FaqEntry.objects.restrict(user, "change"), pk=int(request.POST["faq_id"]))
                services.save_faq(actor=user, faq=faq, data={
                    "question": request.POST.get("question", ""), "phrasings": request.POST.get("phrasings", ""),
                    "answer": request.POST.get("answer", ""), "item_codes": request.POST.get("item_codes", "")})
                messages.success(request, "已保存常见问答")
            elif what == "queue":
                entry = get_object_or_404(QuestionLog.objects.restrict(user, "change"), pk=request.POST.get("log_id"))
                action = request.POST.get("action", "")
                faq = None
                if request.POST.get("faq_id", "").isdigit():
                    faq = get_object_or_404(FaqEntry.objects.restrict(user, "change"), pk=int(request.POST["faq_id"]))
                services.curate_question(actor=user, entry=entry, action=action, faq=faq, faq_data={
                    "answer": request.POST.get("answer", ""), "item_codes": request.POST.get("item_codes", "")})
                messages.success(request, "已整理")
            else:
                messages.error(request, "未知的操作")
        except ServiceError as exc:
            messages.error(request, str(exc))
        return redirect(reverse("assistant:curation") + "#" + (what or ""))
    queue = QuestionLog.objects.restrict(user, "view").filter(queue_status=QueueStatus.OPEN)[:100]
    totals, worst = _feedback_stats()
    return render(request, "assistant/curation.html", {
        "queue": queue, "faqs": FaqEntry.objects.restrict(user, "view")[:300],
        "aliases": Alias.objects.restrict(user, "view")[:1000], "totals": totals, "worst": worst,
        "can_edit": can_edit,
    })

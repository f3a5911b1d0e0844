"""API of the assistant: ask, feedback, and assisted-handling requests (list, create, take, close).

``POST /api/v1/assistant/ask`` is open to anyone (like the guide pages); bad input gets a 200 answer with
``no_answer: true`` and a message, or a 400 in the API's error shape when the body is not a question at all.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengshu.assistant import services
from zhengshu.assistant.ask import MAX_INPUT, ask_and_log
from zhengshu.assistant.logbook import FeedbackError, _same, give_feedback
from zhengshu.assistant.models import AssistRequest
from zhengshu.assistant.privacy import mask_personal
from zhengshu.core.masking import mask_phone
from zhengshu.core.services import ServiceError
from zhengshu.orgs.models import Department


def _town_id(code: str | None) -> int | None:
    if not code:
        return None
    dept = Department.objects.filter(code=code).first()
    if dept is None:
        raise serializers.ValidationError({"town": [f"部门编码“{code}”不存在"]})
    return dept.pk


class AskSerializer(serializers.Serializer):
    question = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=MAX_INPUT * 4,
                                     label="问题")
    town = serializers.CharField(required=False, allow_blank=True, label="所在镇街部门编码")
    phrasing = serializers.BooleanField(required=False, default=False, label="由语言模型组织答复")


class AskView(APIView):
    """Ask a question: an item card plus up to four alternatives, or an honest no-answer."""

    permission_classes = [AllowAny]
    serializer_class = AskSerializer

    def post(self, request):
        # Checked by hand rather than by a CharField: any text (blank, control characters, 5,000 characters)
        # is a question that gets an answer or a polite refusal; only a body without text is a 400.
        data = request.data if isinstance(request.data, dict) else {}
        question = data.get("question")
        if not isinstance(question, str):
            raise serializers.ValidationError({"question": ["请提供文字问题（字符串）"]})
        if len(question) > MAX_INPUT * 4:
            question = question[: MAX_INPUT + 1]
        town = data.get("town")
        if town is not None and not isinstance(town, str):
            raise serializers.ValidationError({"town": ["应为部门编码字符串"]})
        phrasing = data.get("phrasing", False)
        out = ask_and_log(question, user=request.user, channel="api", town_id=_town_id(town),
                          with_phrasing=phrasing is True or phrasing in ("true", "1"))
        return Response(out)


class FeedbackSerializer(serializers.Serializer):
    log_id = serializers.IntegerField()
    token = serializers.CharField(max_length=64)
    value = serializers.ChoiceField(choices=["useful", "useless"])


class FeedbackView(APIView):
    """有用/没用 on a question asked before (the token comes with the answer)."""

    permission_classes = [AllowAny]
    serializer_class = FeedbackSerializer

    def post(self, request):
        serializer = FeedbackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            entry = give_feedback(**serializer.validated_data)
        except FeedbackError as exc:
            return Response({"detail": str(exc), "errors": {}}, status=400)
        return Response({"log_id": entry.pk, "feedback": entry.feedback})


class AssistRequestSerializer(serializers.ModelSerializer):
    contact_phone = serializers.SerializerMethodField()
    question = serializers.SerializerMethodField()
    department = serializers.CharField(source="department.name", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = AssistRequest
        fields = ("id", "number", "item_code", "item_name", "question", "contact_phone", "department", "level",
                  "level_display", "route_reason", "status", "status_display", "taken_at", "closed_at", "outcome",
                  "outcome_note", "case_number", "created")

    def get_contact_phone(self, obj) -> str:
        return mask_phone(obj.contact_phone)

    def get_question(self, obj) -> str:
        return mask_personal(obj.question)


class NewRequestSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=500)
    contact_phone = serializers.CharField(max_length=30)
    item_code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    location = serializers.CharField(required=False, allow_blank=True, help_text="所在镇街/村社的部门编码")
    log_id = serializers.IntegerField(required=False)
    token = serializers.CharField(required=False, allow_blank=True, max_length=64, help_text="该提问答复中的 token")


class RequestListView(APIView):
    permission_classes = [IsAuthenticated]
    serializer_class = NewRequestSerializer

    @extend_schema(responses=AssistRequestSerializer(many=True))
    def get(self, request):
        qs = AssistRequest.objects.restrict(request.user, "view").select_related("department")
        status = request.query_params.get("status")
        if status:
            qs = qs.filter(status=status)
        return Response({"results": AssistRequestSerializer(qs[:200], many=True).data})

    def post(self, request):
        from zhengshu.assistant.models import QuestionLog

        serializer = NewRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        location = None
        if data.get("location"):
            location = Department.objects.filter(code=data["location"]).first()
            if location is None:
                raise serializers.ValidationError({"location": [f"部门编码“{data['location']}”不存在"]})
        log = None
        if data.get("log_id"):
            # Linked only to the caller's own question: asked signed in, or proven by the answer's token.
            log = QuestionLog.objects.filter(pk=data["log_id"]).first()
            if log is None or (log.user_id != request.user.pk and not _same(log.token, data.get("token") or "")):
                raise serializers.ValidationError({"log_id": ["只能关联您本人的提问（请同时提供该提问的 token）"]})
        obj = services.request_assistance(actor=request.user, question=data["question"],
                                          contact_phone=data["contact_phone"], item_code=data.get("item_code", ""),
                                          location=location, question_log=log)
        return Response(AssistRequestSerializer(obj).data, status=201)


class CloseSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    case_number = serializers.CharField(required=False, allow_blank=True, max_length=40)


class RequestActionView(APIView):
    """``POST …/requests/<id>/take`` and ``…/close`` (outcome, note, case_number)."""

    permission_classes = [IsAuthenticated]
    serializer_class = CloseSerializer

    @extend_schema(operation_id="assistant_requests_action", request=CloseSerializer,
                   responses=AssistRequestSerializer)
    def post(self, request, pk: int, action: str):
        obj = get_object_or_404(AssistRequest.objects.restrict(request.user, "view"), pk=pk)
        if action == "take":
            obj = services.take_request(actor=request.user, request=obj)
        elif action == "close":
            serializer = CloseSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            obj = services.close_request(actor=request.user, request=obj, **serializer.validated_data)
        else:
            raise ServiceError(f"未知操作：{action}")
        return Response(AssistRequestSerializer(obj).data)

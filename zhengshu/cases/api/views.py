"""API of the case app: cases (read, apply, transitions), flags and rectifications (read), metrics."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengshu.cases import metrics, services
from zhengshu.cases.api.serializers import (
    ApplicantFlagSerializer,
    ApplySerializer,
    CaseDetailSerializer,
    CaseSerializer,
    RectificationSerializer,
    TransitionSerializer,
)
from zhengshu.cases.models import ApplicantFlag, Case, Rectification
from zhengshu.cases.transitions import TRANSITIONS
from zhengshu.core.api.viewsets import ReadOnlyModelViewSet
from zhengshu.core.services import ServiceError


class CaseViewSet(ReadOnlyModelViewSet):
    """``GET`` cases in scope; ``POST`` applies; ``POST {id}/transition/`` runs one transition of the table."""

    queryset = Case.objects.select_related("item", "department")
    serializer_class = CaseSerializer
    filterset_fields = ("status", "channel", "department", "item", "tolerance", "commitment")
    search_fields = ("number",)

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    def initial(self, request, *args, **kwargs):
        if self.action == "transition":
            self.required_action = "view"  # the service checks the transition's own permission
        super().initial(request, *args, **kwargs)

    def create(self, request):
        from zhengshu.govservices.selectors import item_by_code

        data = ApplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        item = item_by_code(values.pop("item_code"))
        if item is None:
            raise ServiceError("事项实施编码不存在")
        case = services.submit_application(actor=request.user, item=item, **values)
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        case = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        name = v["action"]
        if name not in TRANSITIONS:
            raise ServiceError(f"未知的操作“{name}”，可用：{'、'.join(TRANSITIONS)}")
        kw = {"actor": request.user, "case": case}
        staff = getattr(request.user, "kind", "staff") == "staff"
        calls = {
            "request_correction": lambda: services.request_correction(**kw, content=v["content"] or v["reason"]),
            "resubmit": lambda: (services.resubmit if staff else services.resubmit_online)(**kw),
            "reject": lambda: services.reject(**kw, reason=v["reason"]),
            "accept": lambda: services.accept(**kw),
            "start_review": lambda: services.start_review(**kw),
            "suspend": lambda: services.suspend(**kw, kind=v["kind"], reason=v["reason"],
                                                extension_days=v["extension_days"]),
            "resume": lambda: services.resume(**kw, result=v["reason"]),
            "decide": lambda: services.decide(**kw, decision=v["decision"], text=v["reason"]),
            "conclude": lambda: services.conclude(**kw, result_number=v["result_number"]),
            "deliver": lambda: services.deliver(**kw, method=v["method"], logistics_no=v["logistics_no"]),
            "rate": lambda: services.rate_case(**kw, level=v.get("level") or 0, channel=v["channel"],
                                               comment=v["reason"]),
            "terminate": lambda: services.terminate(**kw, reason=v["reason"]),
            "revoke": lambda: services.revoke(**kw, reason=v["reason"]),
            "withdraw": lambda: services.withdraw(**kw, reason=v["reason"] or "申请人主动撤回"),
        }
        calls[name]()
        case.refresh_from_db()
        return Response(CaseDetailSerializer(case).data)


class ApplicantFlagViewSet(ReadOnlyModelViewSet):
    queryset = ApplicantFlag.objects.all()
    serializer_class = ApplicantFlagSerializer
    filterset_fields = ("kind",)


class RectificationViewSet(ReadOnlyModelViewSet):
    queryset = Rectification.objects.select_related("rating__case")
    serializer_class = RectificationSerializer
    filterset_fields = ("status", "department")


class MetricsView(APIView):
    """``GET ?year=Y&department=CODE``: the same dict as ``zhengshu services metrics --json``."""

    permission_classes = (IsAuthenticated,)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        if not request.user.has_perm("cases.view_metricdefinition"):
            raise Http404
        try:
            return Response(metrics.run_metrics_command({"year": request.query_params.get("year"),
                                                         "department": request.query_params.get("department")}))
        except ValueError as exc:
            return Response({"detail": str(exc), "errors": {}}, status=status.HTTP_400_BAD_REQUEST)

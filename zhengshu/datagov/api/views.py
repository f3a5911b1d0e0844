from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengshu.core.api.viewsets import BaseModelViewSet, ReadOnlyModelViewSet
from zhengshu.datagov import services
from zhengshu.datagov.api import serializers as s
from zhengshu.datagov.models import (
    AggregationResource, Bulletin, Delivery, GovernancePolicy, QualitySnapshot, Reminder, ShutdownOrder,
)


class AggregationResourceViewSet(BaseModelViewSet):
    queryset = AggregationResource.objects.select_related("department")
    serializer_class = s.AggregationResourceSerializer
    filterset_fields = ("department", "update_cycle", "is_active", "application")


class GovernancePolicyViewSet(BaseModelViewSet):
    queryset = GovernancePolicy.objects.all()
    serializer_class = s.GovernancePolicySerializer
    http_method_names = ["get", "put", "patch", "head", "options"]


class DeliveryViewSet(ReadOnlyModelViewSet):
    queryset = Delivery.objects.all()
    serializer_class = s.DeliverySerializer
    filterset_fields = ("resource_code", "department", "in_lake")


class QualitySnapshotViewSet(ReadOnlyModelViewSet):
    queryset = QualitySnapshot.objects.all()
    serializer_class = s.QualitySnapshotSerializer
    filterset_fields = ("day", "resource", "department", "failing", "due")


class ReminderViewSet(ReadOnlyModelViewSet):
    queryset = Reminder.objects.all()
    serializer_class = s.ReminderSerializer
    filterset_fields = ("department", "week_start")
    required_action = None  # set per action (the permission class reads it)

    @action(detail=True, methods=["post"], required_action="change")
    def acknowledge(self, request, pk=None):
        reminder = self.get_object()
        return _call(lambda: services.acknowledge_reminder(actor=request.user, reminder=reminder),
                     s.ReminderSerializer)


class BulletinViewSet(ReadOnlyModelViewSet):
    queryset = Bulletin.objects.all()
    serializer_class = s.BulletinSerializer


class ShutdownOrderViewSet(ReadOnlyModelViewSet):
    queryset = ShutdownOrder.objects.all()
    serializer_class = s.ShutdownOrderSerializer
    filterset_fields = ("status", "target_kind", "resource_code", "application", "department")
    required_action = None  # set per action (the permission class reads it)

    def _note(self, request):
        body = s.NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    @action(detail=True, methods=["post"], required_action="approve")
    def approve(self, request, pk=None):
        order, data = self.get_object(), self._note(request)
        return _call(lambda: services.approve_shutdown(actor=request.user, order=order, note=data["note"]),
                     s.ShutdownOrderSerializer)

    @action(detail=True, methods=["post"], required_action="approve")
    def reject(self, request, pk=None):
        order, data = self.get_object(), self._note(request)
        return _call(lambda: services.reject_shutdown(actor=request.user, order=order, note=data["note"]),
                     s.ShutdownOrderSerializer)

    @action(detail=True, methods=["post"], required_action="rectify")
    def rectify(self, request, pk=None):
        order, data = self.get_object(), self._note(request)
        _call(lambda: services.add_rectification(actor=request.user, order=order, note=data["note"],
                                                 kind=data["kind"]), None)
        order.refresh_from_db()
        return Response(s.ShutdownOrderSerializer(order).data)

    @action(detail=True, methods=["post"], required_action="reinstate")
    def reinstate(self, request, pk=None):
        order, data = self.get_object(), self._note(request)
        return _call(lambda: services.reinstate_shutdown(actor=request.user, order=order, note=data["note"]),
                     s.ShutdownOrderSerializer)


def _call(fn, serializer):
    result = fn()  # a ServiceError becomes 409 {"detail", "errors"} in the API's error handler
    return Response(serializer(result).data, status=status.HTTP_200_OK) if serializer else None


class SummaryView(APIView):
    """``GET /api/v1/datagov/summary/?year=2026``: ``aggregation_summary`` (total records, rate, departments)."""

    @extend_schema(responses=OpenApiTypes.OBJECT, summary="归集总量与归集率",
                   parameters=[OpenApiParameter("year", int, required=False, description="年份；缺省为最新")])
    def get(self, request):
        from zhengshu.datagov.selectors import aggregation_summary

        if not request.user.has_perm("datagov.view_bulletin"):
            raise PermissionDenied
        year = request.query_params.get("year")
        if year and not year.isdigit():
            raise ValidationError({"year": ["年份须为数字"]})
        return Response(aggregation_summary(int(year) if year else None))

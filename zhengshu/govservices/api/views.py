"""API of the catalogue: items (writes through the catalogue services), materials, versions, code values."""

from __future__ import annotations

import datetime as dt

from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from zhengshu.core.api.viewsets import BaseModelViewSet, ReadOnlyModelViewSet
from zhengshu.core.services import ServiceError
from zhengshu.govservices import services
from zhengshu.govservices.api.serializers import (
    CodeValueSerializer,
    ItemVersionSerializer,
    MaterialSerializer,
    ServiceItemSerializer,
)
from zhengshu.govservices.models import CodeValue, ItemVersion, Material, ServiceItem

WORKFLOW = ("submit", "approve", "return_item", "withdraw")


class ServiceItemViewSet(BaseModelViewSet):
    queryset = ServiceItem.objects.select_related("department").prefetch_related("findings", "materials")
    serializer_class = ServiceItemSerializer
    filterset_fields = ("status", "item_type", "department", "is_immediate", "cross_region_scope",
                        "implementation_code")
    search_fields = ("name", "implementation_code", "keywords")

    @property
    def required_action(self):
        # the workflow services check their own permission (change / review) against the item
        return "view" if getattr(self, "action", None) in WORKFLOW else None

    def _save(self, serializer, item=None):
        data = dict(serializer.validated_data)
        materials = data.pop("materials", None)
        serializer.instance = services.save_item(actor=self.request.user, item=item, data=data, materials=materials)

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        if instance.published_version:
            raise ServiceError("已发布过的事项不能删除，请废止")
        super().perform_destroy(instance)

    def _done(self, item):
        item.refresh_from_db()
        return Response(ServiceItemSerializer(item).data)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._done(services.submit_item(actor=request.user, item=self.get_object()))

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        text = request.data.get("effective_from") or ""
        try:
            effective = dt.date.fromisoformat(text) if text else None
        except ValueError:
            raise serializers.ValidationError({"effective_from": ["日期格式应为 YYYY-MM-DD"]}) from None
        item = self.get_object()
        services.approve_item(actor=request.user, item=item, effective_from=effective,
                              note=request.data.get("note", ""))
        return self._done(item)

    @action(detail=True, methods=["post"], url_path="return")
    def return_item(self, request, pk=None):
        return self._done(services.return_item(actor=request.user, item=self.get_object(),
                                               reason=request.data.get("reason", "")))

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._done(services.withdraw_item(actor=request.user, item=self.get_object(),
                                                 reason=request.data.get("reason", "")))


class MaterialViewSet(ReadOnlyModelViewSet):
    """Materials are written with their item (``materials`` of the item endpoint)."""

    queryset = Material.objects.all()
    serializer_class = MaterialSerializer
    filterset_fields = ("item", "may_be_missing", "required")


class ItemVersionViewSet(ReadOnlyModelViewSet):
    queryset = ItemVersion.objects.all()
    serializer_class = ItemVersionSerializer
    filterset_fields = ("item",)


class CodeValueViewSet(BaseModelViewSet):
    queryset = CodeValue.objects.all()
    serializer_class = CodeValueSerializer
    filterset_fields = ("table", "active", "code")

    def perform_create(self, serializer):
        serializer.instance = services.save_code_value(actor=self.request.user, data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = services.save_code_value(actor=self.request.user, value=serializer.instance,
                                                       data=dict(serializer.validated_data))

    def destroy(self, request, *args, **kwargs):
        return Response({"detail": "代码值不能删除，请停用", "errors": {}}, status=status.HTTP_409_CONFLICT)

"""The one base viewset: restricted querysets, writes through the generic services."""

from __future__ import annotations

from django.db import models
from rest_framework import serializers, viewsets

from zhengshu.core.services import create_object, delete_object, update_object


class BaseModelSerializer(serializers.ModelSerializer):
    """Masks personal fields like the pages do; the full value needs the logged reveal."""

    def to_representation(self, instance):
        from zhengshu.core.masking import mask

        data = super().to_representation(instance)
        for name, kind in getattr(type(instance), "masked_fields", {}).items():
            if name in data and data[name]:
                data[name] = mask(kind, str(data[name]))
        return data


class ReadOnlyModelViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return self.queryset.all().restrict(self.request.user, "view")


class BaseModelViewSet(ReadOnlyModelViewSet, viewsets.ModelViewSet):
    """Create/update/delete call ``create_object``/``update_object``/``delete_object`` with the caller as actor."""

    def perform_create(self, serializer):
        data, m2m = _split(serializer)
        serializer.instance = create_object(actor=self.request.user, model=self.queryset.model, data=data, m2m=m2m)

    def perform_update(self, serializer):
        data, m2m = _split(serializer)
        serializer.instance = update_object(actor=self.request.user, instance=serializer.instance, data=data, m2m=m2m)

    def perform_destroy(self, instance):
        delete_object(actor=self.request.user, instance=instance)


def _split(serializer) -> tuple[dict, dict]:
    model: type[models.Model] = serializer.Meta.model
    data, m2m = {}, {}
    for name, value in serializer.validated_data.items():
        (m2m if model._meta.get_field(name).many_to_many else data)[name] = value
    return data, m2m

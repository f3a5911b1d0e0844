from rest_framework import serializers

from zhengshu.core.api.viewsets import BaseModelSerializer
from zhengshu.dataresources.models import AccessLog, DataItem, DataResource, ShareGrant, ShareRequest


class DataItemSerializer(BaseModelSerializer):
    class Meta:
        model = DataItem
        fields = ("id", "position", "name", "label", "data_type", "max_length", "required", "is_key", "enum_values",
                  "unit", "description", "grade", "mask_kind", "id_check", "link", "labels")


class DataResourceSerializer(BaseModelSerializer):
    items = DataItemSerializer(many=True, read_only=True)
    department_code = serializers.CharField(source="department.code", read_only=True)

    class Meta:
        model = DataResource
        fields = ("id", "uid", "code", "category_code", "sequence", "name", "resource_class", "theme", "department",
                  "department_code", "summary", "keywords", "format_class", "format_type", "share_type",
                  "share_condition", "share_method", "open_type", "open_condition", "grade", "update_cycle",
                  "published_at", "related_codes", "origin", "origin_note", "region_code", "record_count", "status",
                  "version", "review_comment", "created", "updated", "items")


class ShareRequestSerializer(BaseModelSerializer):
    class Meta:
        model = ShareRequest
        fields = ("id", "resource", "department", "purpose", "basis", "item_names", "period_start", "period_end",
                  "status", "requested_by", "provider_opinion", "office_opinion", "created")


class ShareGrantSerializer(BaseModelSerializer):
    class Meta:
        model = ShareGrant
        fields = ("id", "request", "resource", "department", "item_names", "key_prefix", "valid_from", "expires_on",
                  "revoked_at", "revoke_reason", "created")


class AccessLogSerializer(BaseModelSerializer):
    class Meta:
        model = AccessLog
        fields = ("id", "time", "grant", "department", "provider", "key_prefix", "resource_code", "item_names",
                  "allowed", "reason", "rows")

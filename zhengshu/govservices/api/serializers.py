from rest_framework import serializers

from zhengshu.core.api.viewsets import BaseModelSerializer
from zhengshu.govservices.models import CodeValue, ItemFinding, ItemVersion, Material, ServiceItem
from zhengshu.govservices.services import MATERIAL_FIELDS


class MaterialSerializer(BaseModelSerializer):
    class Meta:
        model = Material
        fields = ("id", "item", *MATERIAL_FIELDS)
        read_only_fields = ("item",)


class MaterialInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    source = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    originals = serializers.IntegerField(min_value=0, max_value=99, default=0)
    copies = serializers.IntegerField(min_value=0, max_value=99, default=0)
    required = serializers.BooleanField(default=True)
    may_be_missing = serializers.BooleanField(default=False)
    missing_max_workdays = serializers.IntegerField(min_value=1, max_value=365, required=False, allow_null=True,
                                                    default=None)
    commitment_allowed = serializers.BooleanField(default=False)
    electronic = serializers.BooleanField(default=True)
    notes = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class FindingSerializer(BaseModelSerializer):
    class Meta:
        model = ItemFinding
        fields = ("rule", "severity", "field", "message", "found_at")


class ServiceItemSerializer(BaseModelSerializer):
    materials = MaterialInputSerializer(many=True, required=False)
    findings = FindingSerializer(many=True, read_only=True)
    full_online = serializers.BooleanField(read_only=True)

    class Meta:
        model = ServiceItem
        fields = (
            "id", "name", "basic_code", "implementation_code", "business_item_code", "implementing_uscc",
            "department", "item_type", "exercise_level", "basis", "legal_limit", "legal_limit_unit",
            "promised_limit", "promised_limit_unit", "is_immediate", "visits", "onsite_reason", "handling_forms",
            "online_depth", "service_objects", "cross_region_scope", "fee", "fee_basis", "online_payment",
            "allows_commitment", "consult_phone", "supervise_phone", "handling_address", "handling_time",
            "result_name", "acceptance_conditions", "process", "faq", "keywords", "extra", "status",
            "published_version", "effective_from", "review_note", "full_online", "materials", "findings",
            "created", "updated",
        )
        read_only_fields = ("status", "published_version", "effective_from", "review_note", "created", "updated")
        extra_kwargs = {"basic_code": {"required": False}, "exercise_level": {"required": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["materials"] = MaterialSerializer(instance.materials.all(), many=True).data
        return data


class ItemVersionSerializer(BaseModelSerializer):
    class Meta:
        model = ItemVersion
        fields = ("id", "item", "version", "effective_from", "effective_to", "data", "published_at", "published_by",
                  "note")


class CodeValueSerializer(BaseModelSerializer):
    class Meta:
        model = CodeValue
        fields = ("id", "table", "code", "name", "aliases", "sort", "active")

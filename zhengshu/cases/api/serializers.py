from rest_framework import serializers

from zhengshu.cases.models import ApplicantFlag, Case, CaseEvent, ClockEvent, Rating, Rectification
from zhengshu.core.api.viewsets import BaseModelSerializer


class CaseEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseEvent
        fields = ("action", "label", "from_status", "to_status", "actor_repr", "at", "reason", "data")


class ClockEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClockEvent
        fields = ("kind", "on", "days", "reason", "legal_due", "promised_due", "at")


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ("level", "channel", "rated_at", "comment")


class CaseSerializer(BaseModelSerializer):
    item_code = serializers.CharField(source="item.implementation_code", read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    department_code = serializers.CharField(source="department.code", read_only=True)

    class Meta:
        model = Case
        fields = ("id", "number", "item", "item_code", "item_name", "department", "department_code", "channel",
                  "via_platform", "status", "applicant_kind", "applicant_name", "applicant_id_number",
                  "contact_phone", "submitted_at", "accepted_at", "accepted_on", "is_immediate", "legal_limit",
                  "promised_limit", "extension_days", "paused_days", "legal_due", "promised_due", "warn_on",
                  "decision", "decided_at", "concluded_at", "on_time", "result_name", "result_number",
                  "delivered_at", "delivery_method", "closed_reason", "tolerance", "commitment", "full_online",
                  "cross_region_mode")
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    events = CaseEventSerializer(many=True, read_only=True)
    clock_events = ClockEventSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = (*CaseSerializer.Meta.fields, "events", "clock_events")
        read_only_fields = fields


class ApplySerializer(serializers.Serializer):
    item_code = serializers.CharField(max_length=33)
    applicant_kind = serializers.ChoiceField(choices=("person", "organisation"), default="person")
    applicant_name = serializers.CharField(max_length=200)
    applicant_id_number = serializers.CharField(max_length=18)
    contact_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    channel = serializers.CharField(max_length=16, default="2")
    form_data = serializers.DictField(required=False, default=dict)


class TransitionSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=30)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    content = serializers.CharField(required=False, allow_blank=True, default="")
    kind = serializers.CharField(required=False, allow_blank=True, default="")
    extension_days = serializers.IntegerField(required=False, min_value=0, default=0)
    decision = serializers.CharField(required=False, allow_blank=True, default="")
    result_number = serializers.CharField(required=False, allow_blank=True, default="")
    method = serializers.CharField(required=False, allow_blank=True, default="")
    logistics_no = serializers.CharField(required=False, allow_blank=True, default="")
    level = serializers.IntegerField(required=False, min_value=1, max_value=5)
    channel = serializers.CharField(required=False, allow_blank=True, default="")


class ApplicantFlagSerializer(BaseModelSerializer):
    class Meta:
        model = ApplicantFlag
        fields = ("id", "id_number", "name", "kind", "reason", "source_case", "flagged_on", "lifted_on", "department")
        read_only_fields = fields


class RectificationSerializer(BaseModelSerializer):
    case_number = serializers.CharField(source="rating.case.number", read_only=True)
    level = serializers.IntegerField(source="rating.level", read_only=True)

    class Meta:
        model = Rectification
        fields = ("id", "case_number", "level", "department", "due_date", "status", "measures", "closed_at")
        read_only_fields = fields

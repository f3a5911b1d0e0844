from rest_framework import serializers

from zhengshu.core.api.viewsets import BaseModelSerializer
from zhengshu.datagov.models import (
    AggregationResource, Bulletin, Delivery, GovernancePolicy, QualitySnapshot, Reminder, ShutdownOrder,
)


class AggregationResourceSerializer(BaseModelSerializer):
    class Meta:
        model = AggregationResource
        fields = ("id", "code", "name", "department", "update_cycle", "delivery_workdays", "application",
                  "due_since", "is_active", "description", "comments", "created", "updated")
        read_only_fields = ("created", "updated")


class GovernancePolicySerializer(BaseModelSerializer):
    class Meta:
        model = GovernancePolicy
        fields = ("id", "code", "name", "weight_completeness", "weight_validity", "weight_uniqueness",
                  "weight_timeliness", "pass_score", "quality_window_days", "late_timeliness", "rate_basis",
                  "reminder_weekday", "reminder_reply_workdays", "rectification_workdays")


class DeliverySerializer(BaseModelSerializer):
    class Meta:
        model = Delivery
        fields = ("id", "batch_id", "resource", "resource_code", "department", "source_name", "committed_at", "read",
                  "accepted", "rejected", "duplicates", "ragged", "new_versions", "null_cells", "item_count",
                  "seconds", "in_lake", "stats")


class QualitySnapshotSerializer(BaseModelSerializer):
    class Meta:
        model = QualitySnapshot
        fields = ("id", "day", "resource", "department", "total_records", "batches", "last_delivery", "cycle_start",
                  "cycle_end", "deadline", "timeliness_status", "completeness", "validity", "uniqueness",
                  "timeliness", "score", "due", "aggregated", "failing", "problems")


class ReminderSerializer(BaseModelSerializer):
    class Meta:
        model = Reminder
        fields = ("id", "department", "day", "week_start", "title", "message", "items", "acknowledged_at",
                  "acknowledged_by")


class BulletinSerializer(BaseModelSerializer):
    class Meta:
        model = Bulletin
        fields = ("id", "period_start", "period_end", "issued_on", "title", "summary", "ranking")


class ShutdownOrderSerializer(BaseModelSerializer):
    class Meta:
        model = ShutdownOrder
        fields = ("id", "number", "target_kind", "resource_code", "application", "target_name", "department",
                  "month", "reason", "evidence", "status", "proposed_on", "decided_by", "decided_at",
                  "decision_note", "effective_from", "rectify_by", "reinstated_by", "reinstated_at",
                  "reinstate_note")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    kind = serializers.CharField(required=False, default="note")

from rest_framework import serializers

from zhengshu.core.api.viewsets import BaseModelSerializer
from zhengshu.trading.models import (
    AdverseRecord, Bid, CheckRule, Clue, DocumentFinding, Enterprise, TenderDocument, TenderProject, VillageProject,
)


class TenderProjectSerializer(BaseModelSerializer):
    class Meta:
        model = TenderProject
        exclude = ("created", "updated")
        read_only_fields = ("stage", "winner", "award_amount_yuan", "failed_date", "retender_of")


class BidSerializer(BaseModelSerializer):
    bidder_name = serializers.CharField(source="bidder.name", read_only=True)
    bidder_uscc = serializers.CharField(source="bidder.uscc", read_only=True)

    class Meta:
        model = Bid
        fields = ("id", "project", "lot", "bidder", "bidder_name", "bidder_uscc", "price_yuan", "submitted_at",
                  "decrypt_status", "decrypted_at", "credit_status", "credit_note", "rejected", "reject_reason")


class TenderDocumentSerializer(BaseModelSerializer):
    class Meta:
        model = TenderDocument
        fields = ("id", "project", "filename", "sha256", "checked_at", "rules_version", "created")


class DocumentFindingSerializer(BaseModelSerializer):
    class Meta:
        model = DocumentFinding
        fields = ("id", "document", "project", "rule", "group", "basis", "severity", "start", "end", "text",
                  "message", "suggestion", "section", "status", "handled_by", "handled_at", "reason")


class CheckRuleSerializer(BaseModelSerializer):
    class Meta:
        model = CheckRule
        fields = ("id", "rule_id", "enabled", "severity", "group", "basis", "message", "suggestion", "pattern",
                  "sections", "hit_examples", "miss_examples")


class EnterpriseSerializer(BaseModelSerializer):
    class Meta:
        model = Enterprise
        fields = ("id", "uscc", "name", "legal_rep", "region")


class AdverseRecordSerializer(BaseModelSerializer):
    class Meta:
        model = AdverseRecord
        fields = ("id", "enterprise", "type", "decided_on", "valid_until", "debarred_until", "authority",
                  "document_no", "basis", "summary")
        extra_kwargs = {"valid_until": {"required": False}}


class ClueSerializer(BaseModelSerializer):
    class Meta:
        model = Clue
        fields = ("id", "code", "project", "transferred_on", "recipient", "summary", "firms", "person_times",
                  "amount_yuan")


class VillageProjectSerializer(BaseModelSerializer):
    class Meta:
        model = VillageProject
        exclude = ("created", "updated")
        read_only_fields = ("stage",)

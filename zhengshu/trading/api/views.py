"""API of public resource trading: resources through the generic services, workflow steps as actions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.dateparse import parse_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengshu.core.api.permissions import ObjectActionPermission
from zhengshu.core.api.viewsets import BaseModelViewSet, ReadOnlyModelViewSet
from zhengshu.trading import selectors, services
from zhengshu.trading.choices import AwardMethod
from zhengshu.trading.api.serializers import (
    AdverseRecordSerializer, BidSerializer, CheckRuleSerializer, ClueSerializer, DocumentFindingSerializer,
    EnterpriseSerializer, TenderDocumentSerializer, TenderProjectSerializer, VillageProjectSerializer,
)
from zhengshu.trading.models import (
    AdverseRecord, Bid, CheckRule, Clue, DocumentFinding, Enterprise, TenderDocument, TenderProject, VillageProject,
)


class AdvanceSerializer(serializers.Serializer):
    to = serializers.CharField()
    on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class BidInSerializer(serializers.Serializer):
    bidder = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    price_yuan = serializers.DecimalField(max_digits=16, decimal_places=2)
    submitted_at = serializers.DateTimeField()


class CandidateInSerializer(serializers.Serializer):
    bid = serializers.PrimaryKeyRelatedField(queryset=Bid.objects.all())
    rank = serializers.IntegerField(required=False, allow_null=True)
    remarks = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationInSerializer(serializers.Serializer):
    report_date = serializers.DateField()
    committee_size = serializers.IntegerField(min_value=1)
    ranked = serializers.BooleanField(default=False)
    remarks = serializers.CharField(required=False, allow_blank=True, default="")
    candidates = CandidateInSerializer(many=True)


class MemberInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    position = serializers.CharField(required=False, allow_blank=True, default="")
    declared = serializers.BooleanField(default=True)
    conflict = serializers.BooleanField(default=False)
    conflict_note = serializers.CharField(required=False, allow_blank=True, default="")


class CommitteeInSerializer(serializers.Serializer):
    formed_on = serializers.DateField()
    method = serializers.ChoiceField(choices=AwardMethod.choices)
    members = MemberInSerializer(many=True)
    formation = serializers.CharField(required=False, allow_blank=True, default="")
    compliance_basis = serializers.CharField(required=False, allow_blank=True, default="")
    supervisor_present = serializers.CharField(required=False, allow_blank=True, default="")


class VoteInSerializer(serializers.Serializer):
    member = serializers.IntegerField()
    vote_for = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all())
    reason = serializers.CharField(allow_blank=True, default="")


class DecisionInSerializer(serializers.Serializer):
    decided_on = serializers.DateField()
    rationale = serializers.CharField()
    votes = VoteInSerializer(many=True, required=False, default=list)
    winner = serializers.PrimaryKeyRelatedField(queryset=Enterprise.objects.all(), required=False, allow_null=True)


class UploadInSerializer(serializers.Serializer):
    file = serializers.FileField()


class KeptRecord:
    """A tender or village project is the record supervision keeps (documents, findings, overrides, bids): like
    its pages, the API does not delete it, even for a department that may delete its own business data."""

    def perform_destroy(self, instance):
        raise PermissionDenied(f"{instance._meta.verbose_name}是监管留痕记录，不能删除（{instance}）")


class TenderProjectViewSet(KeptRecord, BaseModelViewSet):
    required_action = None  # set per action (e.g. "override") for the permission check
    queryset = TenderProject.objects.select_related("department", "winner")
    serializer_class = TenderProjectSerializer
    filterset_fields = ("regime", "kind", "stage", "separated", "department")
    search_fields = ("code", "name")

    @action(detail=True, methods=["post"], required_action="change")
    def advance(self, request, pk=None):
        """Move the tender to its next stage: ``{"to": "notice", "on": "2023-03-01", "note": ""}``."""
        project = self.get_object()
        data = AdvanceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.advance_tender(actor=request.user, project=project, **data.validated_data)
        project.refresh_from_db()
        return Response(TenderProjectSerializer(project).data)

    @action(detail=True, methods=["post"], url_path="bids", required_action="change")
    def add_bid(self, request, pk=None):
        """Receive a bid: ``{"bidder": id, "price_yuan": "4500000", "submitted_at": "2023-03-20T09:00:00+08:00"}``."""
        project = self.get_object()
        data = BidInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        bid = services.record_bid(actor=request.user, project=project, **data.validated_data)
        return Response(BidSerializer(bid).data, status=201)

    @action(detail=True, methods=["post"], required_action="change")
    def documents(self, request, pk=None):
        """Upload a tender document (multipart ``file``); it is checked at once and its findings returned."""
        project = self.get_object()
        data = UploadInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        document = services.upload_document(actor=request.user, project=project, filename=upload.name,
                                            content=upload.read())
        return Response({**TenderDocumentSerializer(document).data,
                         "findings": DocumentFindingSerializer(document.findings.all(), many=True).data}, status=201)

    @action(detail=True, methods=["post"], required_action="change")
    def evaluation(self, request, pk=None):
        """The evaluation committee's report with its candidates."""
        project = self.get_object()
        data = EvaluationInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_evaluation(actor=request.user, project=project, **data.validated_data)
        return Response({"project": project.code, "candidates": len(data.validated_data["candidates"])}, status=201)

    @action(detail=True, methods=["post"], url_path="award-committee", required_action="change")
    def award_committee(self, request, pk=None):
        """评定分离: the tenderer's award committee, its members and their conflict declarations."""
        project = self.get_object()
        data = CommitteeInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        committee = services.form_award_committee(actor=request.user, project=project, **data.validated_data)
        return Response({"committee": committee.pk,
                         "members": [{"id": m.pk, "name": m.name} for m in committee.members.all()]}, status=201)

    @action(detail=True, methods=["post"], url_path="award-decision", required_action="change")
    def award_decision(self, request, pk=None):
        """评定分离: the reasoned decision (votes by member id, or the winner for 集体议事/抽签)."""
        project = self.get_object()
        data = DecisionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        committee = services.decide_award(
            actor=request.user, project=project, decided_on=v["decided_on"], rationale=v["rationale"],
            winner=v.get("winner"), votes={x["member"]: (x["vote_for"], x["reason"]) for x in v["votes"]} or None)
        return Response({"project": project.code, "winner": committee.winner_id,
                         "findings": [f.as_dict() for f in selectors.project_findings(project)]})

    @action(detail=True, methods=["get"])
    def checks(self, request, pk=None):
        """The legal timing/amount findings (and 评定分离 PD findings) of the project."""
        project = self.get_object()
        findings = [f.as_dict() for f in selectors.project_findings(project)]
        return Response({"project": project.code, "findings": findings})


class BidViewSet(ReadOnlyModelViewSet):
    queryset = Bid.objects.select_related("bidder")
    serializer_class = BidSerializer
    filterset_fields = ("project", "bidder", "credit_status", "decrypt_status")


class TenderDocumentViewSet(ReadOnlyModelViewSet):
    queryset = TenderDocument.objects.all()
    serializer_class = TenderDocumentSerializer
    filterset_fields = ("project",)


class DocumentFindingViewSet(ReadOnlyModelViewSet):
    required_action = None  # set per action (e.g. "override") for the permission check
    queryset = DocumentFinding.objects.all()
    serializer_class = DocumentFindingSerializer
    filterset_fields = ("project", "document", "status", "severity", "rule", "group")

    def _handle(self, request, fn):
        finding = self.get_object()
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fn(actor=request.user, finding=finding, reason=data.validated_data["reason"])
        finding.refresh_from_db()
        return Response(DocumentFindingSerializer(finding).data)

    @action(detail=True, methods=["post"], required_action="change")
    def resolve(self, request, pk=None):
        return self._handle(request, services.resolve_finding)

    @action(detail=True, methods=["post"], required_action="override")
    def override(self, request, pk=None):
        """A supervisor's release with a recorded reason: ``{"reason": "…"}``."""
        return self._handle(request, services.override_finding)


class CheckRuleViewSet(BaseModelViewSet):
    queryset = CheckRule.objects.all()
    serializer_class = CheckRuleSerializer
    filterset_fields = ("enabled", "severity", "group")


class EnterpriseViewSet(BaseModelViewSet):
    queryset = Enterprise.objects.all()
    serializer_class = EnterpriseSerializer
    filterset_fields = ("uscc",)

    @action(detail=False, methods=["get"], url_path=r"credit/(?P<uscc>[0-9A-Z]{18})")
    def credit(self, request, uscc=None):
        """The enterprise's credit report by USCC."""
        report = selectors.credit_report(uscc, parse_date(request.query_params.get("on", "") or "") or None,
                                         user=request.user)
        if report is None:
            raise NotFound()
        return Response(report)


class AdverseRecordViewSet(BaseModelViewSet):
    queryset = AdverseRecord.objects.select_related("enterprise")
    serializer_class = AdverseRecordSerializer
    filterset_fields = ("enterprise", "type")


class ClueViewSet(BaseModelViewSet):
    queryset = Clue.objects.prefetch_related("firms")
    serializer_class = ClueSerializer
    filterset_fields = ("recipient",)


class VillageProjectViewSet(KeptRecord, BaseModelViewSet):
    queryset = VillageProject.objects.select_related("department")
    serializer_class = VillageProjectSerializer
    filterset_fields = ("town", "village_code", "category", "stage")

    required_action = None

    @action(detail=True, methods=["post"], required_action="change")
    def advance(self, request, pk=None):
        """One stage on, with that stage's facts: ``{"on": "2023-04-01", "members_total": 30, "votes_for": 21, …}``."""
        project = self.get_object()
        fields = dict(request.data)
        on = parse_date(str(fields.pop("on", "") or ""))
        if on is None:
            raise serializers.ValidationError({"on": ["须填写日期（YYYY-MM-DD）"]})
        if "contractor" in fields and fields["contractor"] is not None:
            fields["contractor"] = Enterprise.objects.filter(pk=fields["contractor"]).first()
            if fields["contractor"] is None:
                raise serializers.ValidationError({"contractor": ["承包人不存在"]})
        for name in ("publicity_start", "publicity_end", "contract_date"):
            if name in fields:
                fields[name] = parse_date(str(fields[name]))
        project = services.advance_village(actor=request.user, project=project, on=on, **fields)
        return Response(VillageProjectSerializer(project).data)

    @action(detail=True, methods=["get"])
    def risks(self, request, pk=None):
        project = self.get_object()
        return Response({"project": project.code,
                         "findings": [f.as_dict() for f in selectors.village_project_findings(project)]})


class SummaryView(APIView):
    """Tenders, 评定分离 share and savings in the caller's scope: ``?year=2023``."""

    permission_classes = (ObjectActionPermission,)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        if not request.user.has_perm("trading.view_tenderproject"):
            raise PermissionDenied
        year = request.query_params.get("year")
        s = selectors.trading_summary(request.user, int(year) if year and year.isdigit() else None)

        def money(sv):
            return {"projects": sv["projects"], "budget_yuan": str(sv["budget_yuan"]),
                    "award_yuan": str(sv["award_yuan"]),
                    "saved_yuan": str(sv["saved_yuan"]), "rate": float(sv["rate"]) if sv["rate"] is not None else None}

        return Response({
            "year": s["year"], "tenders": s["tenders"], "separated": s["separated"],
            "separated_share": float(s["separated_share"]) if s["separated_share"] is not None else None,
            "savings": {"all": money(s["savings_all"]), "procurement": money(s["savings_procurement"]),
                        "works": money(s["savings_works"])},
            "open_findings": s["open_findings"],
        })

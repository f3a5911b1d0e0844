"""API of 一企一档: search, one enterprise's archive, a source record, the review queue and decisions, builds."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengshu.archive import selectors, services
from zhengshu.archive.api.serializers import ArchiveBuildSerializer, ArchiveSourceSerializer, MatchDecisionSerializer
from zhengshu.archive.models import ArchiveBuild, ArchiveSource, MatchDecision
from zhengshu.core.api.viewsets import BaseModelViewSet, ReadOnlyModelViewSet
from zhengshu.core.services import ServiceError


class ArchiveSourceViewSet(BaseModelViewSet):
    queryset = ArchiveSource.objects.all()
    serializer_class = ArchiveSourceSerializer
    filterset_fields = ("category", "enabled")


class MatchDecisionViewSet(ReadOnlyModelViewSet):
    queryset = MatchDecision.objects.all()
    serializer_class = MatchDecisionSerializer
    filterset_fields = ("verdict", "uscc")


class ArchiveBuildViewSet(ReadOnlyModelViewSet):
    queryset = ArchiveBuild.objects.all()
    serializer_class = ArchiveBuildSerializer


def _require_view(request) -> None:
    if not selectors.can_view(request.user):
        raise PermissionDenied("没有查阅企业档案的权限")


class SummaryView(APIView):
    """Figures of the current archive: ``{"enterprises", "linked", "unlinked", "review", "sources", "built_at"}``."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        _require_view(request)
        return Response(selectors.archive_counts())


class EnterpriseSearchView(APIView):
    """``?q=`` a name (normalised), a USCC or an organisation code."""

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="archive_enterprises_search")
    def get(self, request):
        _require_view(request)
        text = request.query_params.get("q", "")
        return Response({"results": selectors.search_enterprises(text, request.user, limit=50)})


class EnterpriseView(APIView):
    """One enterprise's archive: facts with lineage, facets, timeline, bids, contracts, cases (``?cat=``)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, uscc):
        _require_view(request)
        profile = selectors.enterprise_profile(uscc, request.user, request.query_params.get("cat") or None)
        if profile is None:
            raise NotFound(f"企业档案中没有统一社会信用代码为 {uscc} 的企业")
        return Response(profile)


class RecordView(APIView):
    """``?resource=&batch=&ord=``: one source record with its lineage and the enterprise it links to."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        _require_view(request)
        ord_ = request.query_params.get("ord", "")
        if not (ord_.isascii() and ord_.isdigit()):
            raise ValidationError({"ord": "记录号（ord）应为正整数"})
        rec = selectors.source_record(request.query_params.get("resource", ""), request.query_params.get("batch", ""),
                                      int(ord_), request.user)
        if rec is None:
            raise NotFound("没有这条来源记录")
        return Response(rec)


def _count_param(request, name: str, default: int, low: int, high: int | None) -> int:
    """A whole-number query parameter within [low, high], else 400 with a Chinese message."""
    text = request.query_params.get(name, "") or str(default)
    if not (text.isascii() and text.isdigit()) or int(text) < low or (high is not None and int(text) > high):
        span = f"{low}–{high}" if high is not None else f"不小于 {low}"
        raise ValidationError({name: f"参数 {name} 应为整数（{span}），收到“{text}”"})
    return int(text)


class ReviewView(APIView):
    """GET: pending near matches (``?limit=&offset=``). POST ``{"name_key", "uscc", "verdict", "note"}``: decide."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        _require_view(request)
        limit = _count_param(request, "limit", 50, 1, 500)
        offset = _count_param(request, "offset", 0, 0, None)
        rows, total = selectors.review_queue(request.user, limit, offset)
        return Response({"count": total, "results": rows})

    @extend_schema(request=OpenApiTypes.OBJECT, responses=MatchDecisionSerializer)
    def post(self, request):
        data = request.data
        try:
            decision = services.decide_match(actor=request.user, name_key=str(data.get("name_key", "")),
                                             uscc=str(data.get("uscc", "")), verdict=str(data.get("verdict", "")),
                                             note=str(data.get("note", "")))
        except ServiceError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        return Response(MatchDecisionSerializer(decision).data, status=201)


class BuildView(APIView):
    """POST ``{"full": false}``: build the archive (new batches only unless full)."""

    @extend_schema(request=OpenApiTypes.OBJECT, responses=ArchiveBuildSerializer)
    def post(self, request):
        try:
            run = services.build_archive(actor=request.user, full=bool(request.data.get("full")))
        except ServiceError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        return Response(ArchiveBuildSerializer(run).data, status=201)

"""``GET /api/v1/cockpit/figures?year=Y``: every figure of the year, the same numbers as the annual report."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengshu.cockpit import cache, figures
from zhengshu.cockpit.views import VIEW_PERM, parse_period
from zhengshu.core.api.permissions import ObjectActionPermission


class FiguresView(APIView):
    """Figures of one year: ``{"year", "sections", "figures": [{"key", "name", "section", "kind", "unit", "value",
    "text", "definition", "source", "as_of", "by_month", "by_department", "by_town", "drill", "extra"}]}``."""

    permission_classes = (ObjectActionPermission,)

    @extend_schema(parameters=[OpenApiParameter("year", int, required=True, description="统计年度，如 2023")],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request):
        if not request.user.has_perm(VIEW_PERM):
            raise PermissionDenied
        if not request.query_params.get("year"):
            raise ValidationError({"year": "请用 ?year= 指定统计年度，如 ?year=2023"})
        try:
            year, _start, _end = parse_period({"year": request.query_params.get("year")})
        except ValueError as exc:
            raise ValidationError({"year": str(exc)}) from None
        data = cache.get_figures(year)
        out = []
        for fig in data["figures"]:
            out.append({**fig, "text": figures.display(fig)})
        return Response({"year": year, "sections": data["sections"], "figures": out})


@extend_schema(exclude=True)
class FiguresSlashView(FiguresView):
    """``/api/v1/cockpit/figures/``: the same endpoint with a trailing slash, left out of the schema so that it
    names the contract's path once."""

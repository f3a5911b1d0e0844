from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from zhengshu.core.api.viewsets import ReadOnlyModelViewSet
from zhengshu.core.middleware import client_ip
from zhengshu.dataresources.access import AccessRefused, read_shared
from zhengshu.dataresources.api.serializers import (
    AccessLogSerializer, DataResourceSerializer, ShareGrantSerializer, ShareRequestSerializer,
)
from zhengshu.dataresources.models import AccessLog, DataResource, ShareGrant, ShareRequest


class DataResourceViewSet(ReadOnlyModelViewSet):
    queryset = DataResource.objects.select_related("department").prefetch_related("items")
    serializer_class = DataResourceSerializer
    filterset_fields = ("status", "share_type", "open_type", "grade", "theme", "origin", "department")


class ShareRequestViewSet(ReadOnlyModelViewSet):
    queryset = ShareRequest.objects.all()
    serializer_class = ShareRequestSerializer
    filterset_fields = ("status", "resource", "department")


class ShareGrantViewSet(ReadOnlyModelViewSet):
    queryset = ShareGrant.objects.all()
    serializer_class = ShareGrantSerializer
    filterset_fields = ("resource", "department")


class AccessLogViewSet(ReadOnlyModelViewSet):
    queryset = AccessLog.objects.all()
    serializer_class = AccessLogSerializer
    filterset_fields = ("allowed", "resource_code", "grant")


@csrf_exempt
@require_GET
def shared_data(request, slug: str):
    """A department system reads shared data with its credential: ``Authorization: Share <secret>``,
    ``?items=a,b`` (default: every granted item). Every call is logged, allowed or refused."""
    header = request.headers.get("Authorization", "")
    secret = header[6:].strip() if header.startswith("Share ") else ""
    items = [i for i in request.GET.get("items", "").split(",") if i.strip()]
    try:
        data = read_shared(secret=secret, resource_code=slug.replace("-", "/", 1), item_names=items or None,
                           ip=client_ip(request))
    except AccessRefused as exc:
        return JsonResponse({"detail": str(exc), "errors": {}}, status=exc.status,
                            json_dumps_params={"ensure_ascii": False})
    return JsonResponse({"resource": data.resource.code, "items": data.items, "count": len(data.rows),
                         "rows": data.rows}, json_dumps_params={"ensure_ascii": False})

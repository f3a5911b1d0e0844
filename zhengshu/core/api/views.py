from zhengshu.core.api.serializers import CalendarOverrideSerializer, ChangeLogEntrySerializer, JobSerializer
from zhengshu.core.api.viewsets import BaseModelViewSet, ReadOnlyModelViewSet
from zhengshu.core.models import CalendarOverride, ChangeLogEntry, Job


class ChangeLogEntryViewSet(ReadOnlyModelViewSet):
    queryset = ChangeLogEntry.objects.all()
    serializer_class = ChangeLogEntrySerializer
    filterset_fields = ("action", "object_type", "object_id", "request_id", "actor")


class CalendarOverrideViewSet(BaseModelViewSet):
    queryset = CalendarOverride.objects.select_related("department")
    serializer_class = CalendarOverrideSerializer
    filterset_fields = ("kind", "citywide", "department", "date")


class JobViewSet(ReadOnlyModelViewSet):
    queryset = Job.objects.all()
    serializer_class = JobSerializer
    filterset_fields = ("status", "kind")

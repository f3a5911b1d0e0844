from zhengshu.core.api.viewsets import BaseModelSerializer
from zhengshu.core.models import CalendarOverride, ChangeLogEntry, Job


class ChangeLogEntrySerializer(BaseModelSerializer):
    class Meta:
        model = ChangeLogEntry
        fields = ("seq", "time", "actor", "actor_repr", "source", "request_id", "job_id", "ip", "action",
                  "object_type", "object_id", "object_repr", "before", "after", "message", "digest")


class CalendarOverrideSerializer(BaseModelSerializer):
    class Meta:
        model = CalendarOverride
        fields = ("id", "date", "kind", "citywide", "department", "reason", "description", "comments")


class JobSerializer(BaseModelSerializer):
    class Meta:
        model = Job
        fields = ("id", "kind", "payload", "status", "department", "created_by", "run_after", "created", "started",
                  "finished", "attempts", "result", "error")

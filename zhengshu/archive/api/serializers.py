from zhengshu.archive.models import ArchiveBuild, ArchiveSource, MatchDecision
from zhengshu.core.api.viewsets import BaseModelSerializer


class ArchiveSourceSerializer(BaseModelSerializer):
    class Meta:
        model = ArchiveSource
        fields = ("id", "resource_code", "name", "category", "authority", "name_index", "enabled", "schema")


class MatchDecisionSerializer(BaseModelSerializer):
    class Meta:
        model = MatchDecision
        fields = ("id", "name_key", "name_example", "uscc", "candidate_name", "verdict", "note", "decided_by",
                  "updated")


class ArchiveBuildSerializer(BaseModelSerializer):
    class Meta:
        model = ArchiveBuild
        fields = ("id", "started_at", "seconds", "full", "generation", "batches", "enterprises", "linked",
                  "unlinked", "review", "touched")

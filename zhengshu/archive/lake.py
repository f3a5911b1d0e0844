"""Where the archive lives and what feeds it: paths under ``DATA_DIR``, the configured sources with their
schemas (from the catalogue, else the schema stored on the source), and the reviewers' decisions."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from zhengshu.pipeline.linking import Archive, Decision, Source


def archive_root() -> Path:
    return Path(settings.DATA_DIR) / "archive"


def get_store():
    from zhengshu.pipeline.store import Store

    return Store(Path(settings.DATA_DIR) / "pipeline")


def open_archive() -> Archive:
    return Archive(archive_root())


def schema_for(source) -> dict | None:
    """The catalogue's data items of the resource, else the schema stored on the ArchiveSource row."""
    from zhengshu.dataresources.selectors import pipeline_schema
    from zhengshu.pipeline.schema import validate_schema

    schema = pipeline_schema(source.resource_code)
    if schema is None and source.schema:
        schema = source.schema
    return validate_schema(schema, where=f"数据来源 {source.resource_code}") if schema else None


def configured_sources() -> list[Source]:
    """Enabled sources that have a schema with at least one link item."""
    from zhengshu.archive.models import ArchiveSource

    out = []
    for row in ArchiveSource.objects.filter(enabled=True).order_by("resource_code"):
        schema = schema_for(row)
        if schema is None or not any(i.get("link") for i in schema["items"]):
            continue
        out.append(Source(row.resource_code, schema, row.category, row.authority,
                          names=True if row.name_index else None, label=row.name))
    return out


def sources_by_code() -> dict[str, Source]:
    return {s.resource: s for s in configured_sources()}


def decisions() -> list[Decision]:
    from zhengshu.archive.choices import Verdict
    from zhengshu.archive.models import MatchDecision

    return [Decision(d.name_key, d.uscc, d.verdict == Verdict.CONFIRMED,
                     int(d.updated.timestamp() * 1000) if d.updated else d.pk)
            for d in MatchDecision.objects.all()]

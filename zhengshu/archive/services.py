"""Changes to the archive: building it, and remembering a reviewer's decision on a near match."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from zhengshu.archive import lake
from zhengshu.archive.choices import Verdict
from zhengshu.archive.models import ArchiveBuild, MatchDecision
from zhengshu.core.services import ServiceError, service


def _build(actor, full: bool) -> ArchiveBuild:
    from zhengshu.pipeline.linking import ConfigError, build
    from zhengshu.pipeline.schema import SchemaError

    started = timezone.now()
    try:
        figures = build(lake.archive_root(), lake.get_store(), lake.configured_sources(), lake.decisions(), full=full)
    except (ConfigError, SchemaError) as exc:
        raise ServiceError(f"档案构建失败：{exc}") from None
    return ArchiveBuild.objects.create(
        started_at=started, seconds=figures["seconds"], full=figures["full"], generation=figures["generation"],
        batches=figures["batches"], enterprises=figures["enterprises"], linked=figures["linked"],
        unlinked=figures["unlinked"], review=figures["review"], touched=figures["touched"],
        triggered_by=actor if getattr(actor, "pk", None) else None)


@service(perm="archive.add_archivebuild", message="构建一企一档")
def build_archive(*, actor, full: bool = False) -> ArchiveBuild:
    """Link the new batches (or everything, ``full``) and record the figures."""
    return _build(actor, full)


@service(perm="archive.add_matchdecision", message="关联复核")
def decide_match(*, actor, name_key: str, uscc: str, verdict: str, note: str = "", rebuild: bool = True
                 ) -> MatchDecision:
    """Confirm or reject that the records named ``name_key`` belong to ``uscc``; remembered for every later
    build. With ``rebuild`` the archive is updated as soon as the decision is committed (only the records of that
    name are relinked): not inside the transaction, which would hold the database's write lock for the whole
    build and keep the decision from a reviewer deciding at the same moment."""
    if verdict not in Verdict.values:
        raise ServiceError(f"复核结论 {verdict!r} 无效（应为 {'、'.join(Verdict.values)}）")
    archive = lake.open_archive()
    rows, _total = archive.review(limit=1000, name=name_key)
    pending = next((r for r in rows if r["uscc"] == uscc), None)
    existing = MatchDecision.objects.filter(name_key=name_key, uscc=uscc).first()
    if pending is None and existing is None:
        raise ServiceError(f"复核队列中没有“{name_key}”与 {uscc} 的候选关联（可能已复核或已不在队列中）")
    decision = existing or MatchDecision(name_key=name_key, uscc=uscc)
    if pending is not None:
        decision.name_example = (pending.get("name_raw") or "")[:200]
        decision.candidate_name = (pending.get("enterprise_name") or pending.get("cand_name") or "")[:200]
    decision.verdict, decision.note, decision.decided_by = verdict, note[:300], actor
    decision.full_clean()
    decision.save()
    if rebuild:
        transaction.on_commit(lambda: _build(actor, full=False))
    return decision

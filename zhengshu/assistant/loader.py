"""Keeps the in-process index in step with the database, without rebuilding everything.

Before each question ``refresh`` reads a fingerprint in one query: the item versions' largest id and the
stamp row's counters (bumped by signals on every item, version, alias or FAQ save/delete), plus today's date
(versions come into force by date). Only when it changed:
the published items and the id of their version in force are listed (one query), and the items whose
version differs are (re-)indexed, the ones no longer public removed. Aliases and FAQ entries are reloaded
whole (a few hundred rows).
"""

from __future__ import annotations

import time

from django.db.models import Q
from django.utils import timezone

from zhengshu.assistant.engine import FaqDoc, ItemDoc, Knowledge, item_fields

CHUNK = 1000


def _fingerprints() -> tuple[tuple, tuple]:
    """(catalogue, curated) fingerprints, read in one small SQL statement through primary keys (no scan of a
    large table; written as SQL because the ORM's own cost dominated at ~2 ms a query)."""
    from django.db import connection

    from zhengshu.assistant.models import CatalogueStamp
    from zhengshu.govservices.models import ItemVersion

    versions = connection.ops.quote_name(ItemVersion._meta.db_table)
    stamp = connection.ops.quote_name(CatalogueStamp._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT MAX(id) FROM {versions}), (SELECT generation FROM {stamp} WHERE id = 1), "
                       f"(SELECT curated FROM {stamp} WHERE id = 1)")
        last, generation, curated = cursor.fetchone()
    return (timezone.localdate(), generation, last), (curated,)


def _current_versions() -> dict[int, int]:
    """{item id: id of its version in force} for every public item (the same rule as
    ``govservices.selectors.published_items``: published once, not withdrawn, a version in force today), read in
    one join rather than a correlated subquery per item."""
    from zhengshu.govservices.models import ItemStatus, ItemVersion

    today = timezone.localdate()
    rows = ItemVersion.objects.filter(
        Q(effective_from__lte=today) & (Q(effective_to__isnull=True) | Q(effective_to__gte=today)),
        item__published_version__gt=0,
    ).exclude(item__status=ItemStatus.WITHDRAWN).values_list("item_id", "version", "pk")
    best: dict[int, tuple[int, int]] = {}
    for item_id, version, pk in rows:
        if item_id not in best or version > best[item_id][0]:
            best[item_id] = (version, pk)
    return {item_id: pk for item_id, (_v, pk) in best.items()}


def _load_items(kb: Knowledge, wanted: dict[int, int], *, full: bool) -> int:
    from zhengshu.govservices.models import ItemVersion

    version_ids = list(wanted.values())
    docs = []
    for start in range(0, len(version_ids), CHUNK):
        chunk = version_ids[start:start + CHUNK]
        for vid, item_id, data in ItemVersion.objects.filter(pk__in=chunk).values_list("pk", "item_id", "data"):
            dept = data.get("department") or {}
            docs.append(ItemDoc(item_id=item_id, version_id=vid, code=(data.get("implementation_code") or ""),
                                name=data.get("name") or "", department_id=dept.get("id"),
                                department_name=dept.get("name") or "", data=data))
    fields = [item_fields(d.data) for d in docs]
    if full or not kb.index.avg:
        kb.set_averages(fields)
    for doc, f in zip(docs, fields, strict=True):
        kb.put_item(doc, f)
    return len(docs)


def _load_curated(kb: Knowledge) -> None:
    from zhengshu.assistant.models import Alias, FaqEntry

    kb.set_aliases(list(Alias.objects.filter(active=True).values_list("phrase", "target")))
    faqs = []
    for entry in FaqEntry.objects.filter(active=True):
        codes = [str(c).strip().upper() for c in entry.item_codes or [] if str(c).strip()]
        faqs.append((FaqDoc(entry.pk, entry.question, entry.answer, codes), entry.phrasing_list()))
    kb.set_faqs(faqs)


def refresh(kb: Knowledge, *, force: bool = False) -> dict:
    """Bring ``kb`` up to date; returns what was done (for the benchmark and the tests)."""
    with kb.lock:
        catalogue, curated = _fingerprints()
        done = {"items": 0, "removed": 0, "curated": False, "seconds": 0.0}
        started = time.perf_counter()
        if force or catalogue != kb.catalogue_print:
            current = _current_versions()
            full = not kb.items
            removed = [pk for pk in kb.items if pk not in current]
            for pk in removed:
                kb.drop_item(pk)
            wanted = {pk: vid for pk, vid in current.items()
                      if pk not in kb.items or kb.items[pk].version_id != vid}
            done["items"] = _load_items(kb, wanted, full=full) if wanted else 0
            done["removed"] = len(removed)
            kb.catalogue_print = catalogue
            kb.stats["full_builds" if full else "item_updates"] += 1
        if force or curated != kb.curated_print:
            _load_curated(kb)
            kb.curated_print = curated
            done["curated"] = True
        done["seconds"] = time.perf_counter() - started
        return done

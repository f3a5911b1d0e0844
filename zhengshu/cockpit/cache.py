"""Cached figures, invalidated when their data changes.

Each computed year is stored in Django's cache under ``cockpit:figures:<generation>:<year>``. The generation is a
counter kept in the same cache; ``post_save``/``post_delete`` of every model the figures read (``SOURCE_MODELS``,
connected in ``CockpitConfig.ready``) bumps it at once and again when the transaction commits, so the next read
recomputes. Writes that send no signal (bulk inserts of the demo seeders, raw SQL, another process with a
process-local cache) are picked up when the entry expires after ``TTL_SECONDS``. With several web processes,
configure a shared cache (``CACHES``) so that a bump in one process reaches the others.
"""

from __future__ import annotations

from contextlib import suppress

from django.core.cache import cache
from django.db import transaction

TTL_SECONDS = 300
GENERATION_KEY = "cockpit:generation"

# Every model whose rows feed a figure (read through the owning app's selectors).
SOURCE_MODELS = (
    "cases.case", "cases.rating", "cases.proxyreceipt", "cases.partnerregion", "cases.agreementitem",
    "cases.metricdefinition", "govservices.serviceitem",
    "assistant.assistrequest", "assistant.questionlog",
    "dataresources.dataresource",
    "datagov.aggregationresource", "datagov.qualitysnapshot", "datagov.delivery", "datagov.reminder",
    "datagov.bulletin", "datagov.shutdownorder", "datagov.governancepolicy",
    "archive.archivebuild", "archive.archivesource",
    "trading.tenderproject", "trading.documentfinding", "trading.clue", "trading.villageproject",
    "trading.villagetier",
)


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return value


def bump(**_kwargs) -> None:
    """Invalidate every cached year (signal receiver; also callable directly)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted)
        cache.set(GENERATION_KEY, 2, timeout=None)


def _bump_on_commit() -> None:
    bump()


def on_change(sender, **kwargs) -> None:
    bump()
    # Again at commit: a reader between the save and the commit may have cached the old rows. One callback per
    # transaction is enough, however many rows it saves.
    connection = transaction.get_connection()
    if not any(entry[1] is _bump_on_commit for entry in getattr(connection, "run_on_commit", ())):
        transaction.on_commit(_bump_on_commit)


def get_figures(year: int) -> dict:
    from zhengshu.cockpit.figures import compute

    key = f"cockpit:figures:{generation()}:{year}"
    data = cache.get(key)
    if data is None:
        data = compute(year)
        cache.set(key, data, timeout=TTL_SECONDS)
    return data


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for label in SOURCE_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:  # that app is not installed here
            continue
        post_save.connect(on_change, sender=model, dispatch_uid=f"cockpit-save-{label}")
        post_delete.connect(on_change, sender=model, dispatch_uid=f"cockpit-delete-{label}")
    with suppress(LookupError):  # trading is not installed here
        through = apps.get_model("trading.clue").firms.through
        m2m_changed.connect(on_change, sender=through, dispatch_uid="cockpit-m2m-clue-firms")

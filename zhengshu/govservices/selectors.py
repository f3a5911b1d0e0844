"""Read-side helpers other apps use (cases, cockpit): never change state here."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from zhengshu.govservices.models import ItemStatus, ItemVersion, ServiceItem

__all__ = ["current_version", "in_force", "item_by_code", "published_items"]


def in_force(on: dt.date | None = None) -> Q:
    """The filter of item versions in force on ``on`` (default today)."""
    on = on or timezone.localdate()
    return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gte=on))


def published_items(on: dt.date | None = None) -> QuerySet[ServiceItem]:
    """Items open to the public and to applications on ``on`` (default today): a published version is in force
    and the item is not withdrawn.

    An item being revised (status 草稿/待审核 after a first publication) stays public with its last published
    version (see ``current_version``) until the revision is approved.
    """
    on = on or timezone.localdate()
    versions = ItemVersion.objects.filter(in_force(on), item=OuterRef("pk"))
    return ServiceItem.objects.filter(published_version__gt=0).exclude(status=ItemStatus.WITHDRAWN) \
        .filter(Exists(versions))


def current_version(item: ServiceItem, on: dt.date | None = None) -> ItemVersion | None:
    """The published version of ``item`` in force on ``on`` (default today), or None."""
    on = on or timezone.localdate()
    return item.versions.filter(in_force(on)).order_by("-version").first()


def item_by_code(implementation_code: str) -> ServiceItem | None:
    """The item with this 实施编码 (any status), or None."""
    code = (implementation_code or "").strip().upper()
    if not code:
        return None
    return ServiceItem.objects.filter(implementation_code=code).select_related("department").first()

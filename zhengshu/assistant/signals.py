"""Bump the catalogue stamp on every saved or deleted item or version (and its ``curated`` counter on every alias
or FAQ entry), so that every process's index sees the
change at its next question. Bulk imports write no signals but always create new versions, which the
fingerprint sees through the versions' largest id."""

from __future__ import annotations

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from zhengshu.assistant.models import Alias, FaqEntry
from zhengshu.govservices.models import ItemVersion, ServiceItem


def bump(field: str = "generation") -> None:
    from zhengshu.assistant.models import CatalogueStamp

    if not CatalogueStamp.objects.filter(pk=1).update(**{field: F(field) + 1}):
        CatalogueStamp.objects.get_or_create(pk=1, defaults={field: 1})


@receiver(post_save, sender=ServiceItem, dispatch_uid="assistant_item_saved")
@receiver(post_delete, sender=ServiceItem, dispatch_uid="assistant_item_deleted")
@receiver(post_save, sender=ItemVersion, dispatch_uid="assistant_version_saved")
@receiver(post_delete, sender=ItemVersion, dispatch_uid="assistant_version_deleted")
def catalogue_changed(sender, raw=False, **kwargs):
    if not raw:
        bump()


@receiver(post_save, sender=Alias, dispatch_uid="assistant_alias_saved")
@receiver(post_delete, sender=Alias, dispatch_uid="assistant_alias_deleted")
@receiver(post_save, sender=FaqEntry, dispatch_uid="assistant_faq_saved")
@receiver(post_delete, sender=FaqEntry, dispatch_uid="assistant_faq_deleted")
def curated_changed(sender, raw=False, **kwargs):
    if not raw:
        bump("curated")

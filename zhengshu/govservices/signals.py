"""Keep item-quality findings current whichever way an item or a material is saved."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from zhengshu.govservices.models import Material, ServiceItem
from zhengshu.govservices.rules import is_suspended, refresh_findings


@receiver(post_save, sender=ServiceItem, dispatch_uid="govservices_item_findings")
def item_saved(sender, instance, raw=False, **kwargs):
    if not raw and not is_suspended():
        refresh_findings([instance])


@receiver(post_save, sender=Material, dispatch_uid="govservices_material_saved")
@receiver(post_delete, sender=Material, dispatch_uid="govservices_material_deleted")
def material_changed(sender, instance, raw=False, origin=None, **kwargs):
    if raw or is_suspended() or isinstance(origin, ServiceItem) or getattr(origin, "model", None) is ServiceItem:
        return  # the item itself is being deleted (one, or a queryset of items)
    item = ServiceItem.objects.filter(pk=instance.item_id).first()
    if item is not None:
        refresh_findings([item])

"""Log permission changes made through many-to-many links (users and groups of a permission)."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from zhengshu.accounts.models import ObjectPermission, User
from zhengshu.core.models import ChangeAction, record_change


@receiver(m2m_changed, sender=ObjectPermission.users.through)
@receiver(m2m_changed, sender=ObjectPermission.groups.through)
@receiver(m2m_changed, sender=ObjectPermission.object_types.through)
@receiver(m2m_changed, sender=User.groups.through)
def log_permission_links(sender, instance, action, pk_set, model, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action != "post_clear" and not pk_set:  # adding links that already exist changes nothing
        return
    verb = {"post_add": "加入", "post_remove": "移除", "post_clear": "清空"}[action]
    names = "、".join(str(o) for o in model.objects.filter(pk__in=pk_set or ()))[:300]
    record_change(action=ChangeAction.PERMISSION, obj=instance,
                  message=f"{verb}{model._meta.verbose_name}：{names}" if names else f"{verb}{model._meta.verbose_name}")

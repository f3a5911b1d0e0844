"""Authentication with object permissions and data scope (deny by default)."""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.contrib.auth.backends import ModelBackend


@cache
def parse_perm(perm: str) -> tuple[type, str]:
    """``"orgs.change_department"`` → (Department, "change"); custom actions like ``unlock_user`` too."""
    app_label, _, codename = perm.partition(".")
    for model in apps.get_app_config(app_label).get_models():
        suffix = "_" + model._meta.model_name
        if codename.endswith(suffix):
            return model, codename[: -len(suffix)]
    raise ValueError(f"权限 {perm!r} 无法对应到模型")


class ObjectPermissionBackend(ModelBackend):
    """``has_perm(perm, obj)`` is true when a grant's constraints admit ``obj`` (any grant when obj is None)."""

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active or not user_obj.is_authenticated:
            return False
        model, action = parse_perm(perm)
        q = user_obj.permission_q(model, action)
        if q is None:
            return False
        if obj is None or obj.pk is None or not q:
            return True
        return model._default_manager.filter(pk=obj.pk).filter(q).exists()

    def has_module_perms(self, user_obj, app_label):
        return False

    def get_all_permissions(self, user_obj, obj=None):
        return set()

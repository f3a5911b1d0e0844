"""API permission: the HTTP method decides the action; objects come from the restricted queryset."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

METHOD_ACTIONS = {
    "GET": "view", "HEAD": "view", "OPTIONS": "view",
    "POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete",
}


class ObjectActionPermission(BasePermission):
    message = "没有权限执行此操作"

    def _perm(self, view, request) -> str | None:
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return None
        action = getattr(view, "required_action", None) or METHOD_ACTIONS.get(request.method, "view")
        return f"{model._meta.app_label}.{action}_{model._meta.model_name}"

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        perm = self._perm(view, request)
        return perm is None or request.user.has_perm(perm)

    def has_object_permission(self, request, view, obj):
        perm = self._perm(view, request)
        return perm is None or request.user.has_perm(perm, obj)

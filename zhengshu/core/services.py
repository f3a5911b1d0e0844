"""The ``@service`` decorator and the generic create/update/delete services.

Every state change is a keyword-only function ``verb_noun(*, actor, ...)`` decorated with
``@service(perm=...)``: the permission is checked (against the object when one is named), the body
runs in a transaction and inside a change context, so each row it saves is logged with the actor.
A convention test fails when a public function of any ``services.py`` lacks the decorator.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from zhengshu.core import context as change_ctx

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["create_object", "delete_object", "service", "update_object"]


class ServiceError(Exception):
    """A business rule refused the change; the message is for the user (Chinese)."""


def service(*, perm: str | Callable[[dict], str], obj: str | None = None, message: str = "") -> Callable[[F], F]:
    """Declare a service: ``perm`` is a permission name, or a function of the call's kwargs giving one.

    ``obj`` names the keyword argument holding the object the permission is checked against.
    """

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args, actor, **kwargs):
            if args:
                raise TypeError(f"{fn.__name__} 只接受关键字参数")
            name = perm(kwargs) if callable(perm) else perm
            target = kwargs.get(obj) if obj else None
            if actor is None or not actor.has_perm(name, target):
                raise PermissionDenied(f"没有权限：{name}")
            ctx = change_ctx.current()
            with transaction.atomic(), change_ctx.change_context(
                actor=actor, message=message or ctx.message, source=ctx.source
            ):
                return fn(actor=actor, **kwargs)

        wrapper.service_perm = perm  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def _perm(action: str) -> Callable[[dict], str]:
    def name(kwargs: dict) -> str:
        model = kwargs.get("model") or type(kwargs["instance"])
        return f"{model._meta.app_label}.{action}_{model._meta.model_name}"

    return name


def _ensure_in_scope(actor, instance: models.Model, action: str) -> None:
    """Re-check the saved row against the actor's constraints inside the transaction."""
    model = type(instance)
    if not model._default_manager.restrict(actor, action).filter(pk=instance.pk).exists():
        raise PermissionDenied(f"保存后的{model._meta.verbose_name}超出您的数据范围")


@service(perm=_perm("add"))
def create_object(*, actor, model: type[models.Model], data: dict[str, Any], m2m: dict | None = None) -> models.Model:
    """Create one object of ``model`` from cleaned field values."""
    instance = model(**data)
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    _ensure_in_scope(actor, instance, "add")
    return instance


@service(perm=_perm("change"), obj="instance")
def update_object(*, actor, instance: models.Model, data: dict[str, Any], m2m: dict | None = None) -> models.Model:
    """Apply cleaned field values to an object the actor may change."""
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    _ensure_in_scope(actor, instance, "change")
    return instance


@service(perm=_perm("delete"), obj="instance")
def delete_object(*, actor, instance: models.Model) -> None:
    """Delete an object the actor may delete; protected references give a Chinese error."""
    try:
        instance.delete()
    except models.ProtectedError as exc:
        names = "、".join(sorted({str(o._meta.verbose_name) for o in exc.protected_objects}))
        raise ServiceError(f"无法删除：仍有{names}引用此{instance._meta.verbose_name}") from None


@service(perm=_perm("reveal"), obj="instance")
def reveal_field(*, actor, instance: models.Model, field: str, purpose: str) -> str:
    """Return a personal-data field in full, and log who saw it and why (PIPL; 等保 audit)."""
    from zhengshu.core.models.changelog import ChangeAction, record_change

    masked = getattr(type(instance), "masked_fields", {})
    if field not in masked:
        raise ServiceError(f"字段 {field} 不是可查看的个人信息字段")
    purpose = (purpose or "").strip()
    if len(purpose) < 2:
        raise ServiceError("查看完整个人信息须填写用途")
    record_change(
        action=ChangeAction.REVEAL, obj=instance,
        message=f"查看{instance._meta.get_field(field).verbose_name}；用途：{purpose}"[:500],
    )
    return str(getattr(instance, field) or "")

"""Base models every app builds on.

- ``BaseModel``: the restricted queryset (``Model.objects.restrict(user, action)``).
- ``ChangeLoggedModel``: created/updated stamps, and every save/delete writes a change-log row
  with before/after, in whatever change context is open (request, command or job).
- ``PrimaryModel``: an owning department (所属部门), description and comments; data scope
  constraints like ``{"department__in": "$department_tree"}`` apply to it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from zhengshu.core.crypto import sm3_hex

ACTIONS = ("view", "add", "change", "delete")


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows how to narrow itself to what a user may do."""

    def restrict(self, user, action: str = "view") -> RestrictedQuerySet:
        """Rows ``user`` may ``action``; nothing for anonymous users or users without a grant."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        q = user.permission_q(self.model, action)
        if q is None:
            return self.none()
        return self.filter(q).distinct() if q else self


class BaseModel(models.Model):
    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True


class ChangeLoggedModel(BaseModel):
    """A model whose every save and delete is written to the change log."""

    created = models.DateTimeField("创建时间", auto_now_add=True, null=True)
    updated = models.DateTimeField("更新时间", auto_now=True, null=True)

    # Fields never written to the log as values (secrets); personal fields are logged as SM3 digests.
    changelog_exclude: tuple[str, ...] = ("created", "updated")
    personal_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_snapshot = instance.snapshot()
        return instance

    def snapshot(self) -> dict:
        data = {}
        for field in self._meta.concrete_fields:
            if field.name in self.changelog_exclude:
                continue
            if field.attname not in self.__dict__:  # deferred
                continue
            value = field.value_from_object(self)
            if field.name in self.personal_fields and value:
                value = "sm3:" + sm3_hex(str(value).encode("utf-8"))
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            elif isinstance(value, (bytes, memoryview)):
                value = "<binary>"
            elif value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
                value = str(value)
            data[field.attname] = value
        return data

    def save(self, *args, **kwargs):
        from zhengshu.core.models.changelog import ChangeAction, record_change

        creating = self._state.adding
        before = getattr(self, "_loaded_snapshot", None)
        super().save(*args, **kwargs)
        after = self.snapshot()
        if creating:
            record_change(action=ChangeAction.CREATE, obj=self, after=after)
        else:
            changed = {k: v for k, v in after.items() if before is None or before.get(k) != v}
            if changed:
                old = {k: before.get(k) for k in changed} if before is not None else None
                record_change(action=ChangeAction.UPDATE, obj=self, before=old, after=changed)
        self._loaded_snapshot = after

    def delete(self, *args, **kwargs):
        from zhengshu.core.models.changelog import ChangeAction, record_change

        before = self.snapshot()
        obj_type, obj_id, obj_repr = self._meta.label_lower, str(self.pk), str(self)[:200]
        result = super().delete(*args, **kwargs)
        record_change(action=ChangeAction.DELETE, object_type=obj_type, object_id=obj_id,
                      object_repr=obj_repr, before=before)
        return result


class PrimaryModel(ChangeLoggedModel):
    """A business object owned by one department (所属部门)."""

    department = models.ForeignKey(
        "orgs.Department", verbose_name="所属部门", on_delete=models.PROTECT, related_name="+",
    )
    description = models.CharField("描述", max_length=500, blank=True)
    comments = models.TextField("备注", blank=True)

    class Meta:
        abstract = True


def has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def user_model() -> str:
    return settings.AUTH_USER_MODEL

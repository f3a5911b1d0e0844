"""Base models every app builds on.

- ``BaseModel``: the restricted queryset (``Model.objects.restrict(user, action)``).
- ``ChangeLoggedModel``: created/updated stamps, and every save/delete writes a change-log row
  with before/after, in whatever change context is open (request, command or job).
- ``PrimaryModel``: an owning department (所属部门), description and comments; data scope
  constraints like ``{"department__in": "$department_tree"}`` apply to it.
"""

from __future__ import annotations

import copy

from django.conf import settings
from django.db import models

from zhengshu.core.crypto import hmac_sm3_hex

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

    # Fields never written to the log (secrets); personal fields are logged as keyed HMAC-SM3 digests, so an
    # equal value can be recognised by the key holder but not recovered by trying every phone number.
    changelog_exclude: tuple[str, ...] = ("created", "updated")
    personal_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Keep the raw loaded values only (cheap, on every read); they are turned into log values when saved.
        instance._loaded_values = instance._raw_values()
        return instance

    def _logged_fields(self):
        for field in self._meta.concrete_fields:
            if field.name not in self.changelog_exclude and field.attname in self.__dict__:  # not deferred
                yield field

    def _raw_values(self) -> dict:
        return {f.attname: copy.deepcopy(self.__dict__[f.attname]) for f in self._logged_fields()}

    def _log_value(self, field, value):
        if field.name in self.personal_fields and value:
            return "hmac-sm3:" + hmac_sm3_hex(settings.AUDIT_KEY.encode("utf-8"), str(value).encode("utf-8"))
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if isinstance(value, (bytes, memoryview)):
            return "<binary>"
        if value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
            return str(value)
        return value

    def snapshot(self, raw: dict | None = None) -> dict:
        """The logged form of the current field values (or of ``raw``, as kept at load time)."""
        raw = self._raw_values() if raw is None else raw
        return {f.attname: self._log_value(f, raw[f.attname]) for f in self._logged_fields() if f.attname in raw}

    def save(self, *args, **kwargs):
        from zhengshu.core.models.changelog import ChangeAction, record_change

        creating = self._state.adding
        loaded = getattr(self, "_loaded_values", None)
        before = self.snapshot(loaded) if loaded is not None else None
        super().save(*args, **kwargs)
        raw = self._raw_values()
        after = self.snapshot(raw)
        if creating:
            record_change(action=ChangeAction.CREATE, obj=self, after=after)
        else:
            changed = {k: v for k, v in after.items() if before is None or before.get(k) != v}
            if changed:
                old = {k: before.get(k) for k in changed} if before is not None else None
                record_change(action=ChangeAction.UPDATE, obj=self, before=old, after=changed)
        self._loaded_values = raw

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


"""统一用户体系: one user model for staff, enterprises and citizens, and object permissions.

An ``ObjectPermission`` grants actions on object types to users or groups, optionally narrowed by
constraints (a dict, or a list of dicts OR-ed) whose values may be tokens resolved per user:
``$user``, ``$department``, ``$department_tree`` and ``$division``. Example: clerks of a
department see their department's objects: ``{"department__in": "$department_tree"}``.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhengshu.accounts import roles
from zhengshu.accounts.choices import AdminRole, UserKind
from zhengshu.core.models import ChangeLoggedModel, RestrictedQuerySet

__all__ = ["ObjectPermission", "PasswordHistory", "User"]

TOKENS = ("$user", "$department", "$department_tree", "$division")


class RestrictedUserManager(UserManager.from_queryset(RestrictedQuerySet)):
    pass


class User(AbstractUser, ChangeLoggedModel):
    """A person who logs in: staff of a department, an enterprise's agent, or a citizen."""

    kind = models.CharField("用户类型", max_length=12, choices=UserKind.choices, default=UserKind.STAFF)
    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    id_number = models.CharField("身份证号", max_length=18, blank=True)
    department = models.ForeignKey(
        "orgs.Department", verbose_name="所属部门", null=True, blank=True, on_delete=models.PROTECT, related_name="users",
    )
    enterprise_uscc = models.CharField("所属企业统一社会信用代码", max_length=18, blank=True)
    admin_role = models.CharField("管理员角色", max_length=10, choices=AdminRole.choices, default="", blank=True)
    totp_secret = models.CharField("动态码密钥", max_length=64, blank=True)
    totp_confirmed = models.BooleanField("已绑定动态码", default=False)
    failed_logins = models.PositiveIntegerField("连续登录失败次数", default=0)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    objects = RestrictedUserManager()

    # Login counters are recorded by the login_failed and lockout rows, not as field changes.
    changelog_exclude = ("password", "totp_secret", "last_login", "failed_logins", "locked_until", "created", "updated")
    personal_fields = ("phone", "id_number")
    masked_fields = {"phone": "phone", "id_number": "id_number", "full_name": "name"}

    class Meta:
        ordering = ("username",)
        verbose_name = verbose_name_plural = "用户"
        permissions = [("unlock_user", "解锁用户"), ("reveal_user", "查看用户完整个人信息")]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_admin_role(self) -> bool:
        return bool(self.admin_role)

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()

    def clean_fields(self, exclude=None) -> None:
        if not self.password:  # a new account cannot log in until a password is issued to it
            self.set_unusable_password()
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        if self.admin_role and self.is_superuser:
            raise ValidationError({"admin_role": "三员账号不能同时是超级用户"})
        if self.kind != UserKind.STAFF and self.admin_role:
            raise ValidationError({"admin_role": "只有工作人员可以担任管理员角色"})

    # --- permissions -------------------------------------------------------------------------

    def _grants(self) -> dict[tuple[str, str], list]:
        """(model label, action) → list of constraint sets (None = unconstrained), cached per instance."""
        cache = getattr(self, "_grant_cache", None)
        if cache is None:
            cache = {}
            perms = ObjectPermission.objects.filter(enabled=True).filter(
                Q(users=self) | Q(groups__in=self.groups.all())
            ).prefetch_related("object_types").distinct()
            for perm in perms:
                for ct in perm.object_types.all():
                    for action in perm.actions:
                        cache.setdefault((f"{ct.app_label}.{ct.model}", action), []).append(perm.constraints)
            self._grant_cache = cache
        return cache

    def token_values(self) -> dict[str, object]:
        """Values of the constraint tokens for this user, cached like the grants."""
        cached = getattr(self, "_token_cache", None)
        if cached is not None:
            return cached
        dept = self.department
        self._token_cache = {
            "$user": self.pk,
            "$department": dept.pk if dept else None,
            "$department_tree": dept.subtree_ids() if dept else [],
            "$division": dept.division_id if dept else None,
        }
        return self._token_cache

    def permission_q(self, model: type[models.Model], action: str) -> Q | None:
        """The filter for rows this user may ``action``: ``Q()`` for all, ``None`` for none."""
        if not self.is_active:
            return None
        label = model._meta.label_lower
        if self.is_superuser:
            return Q()
        if self.admin_role:
            if roles.denied(self.admin_role, label, action):
                return None
            if roles.granted(self.admin_role, label, action):
                return Q()
        constraint_sets = list(self._grants().get((label, action), ()))
        if self.kind == UserKind.STAFF and (label, action) in roles.STAFF_BASELINE:
            constraint_sets.append(roles.STAFF_BASELINE[(label, action)])
        if not constraint_sets:
            return None
        if any(not c for c in constraint_sets):
            return Q()
        tokens = self.token_values()
        qs = []
        for constraints in constraint_sets:
            for one in constraints if isinstance(constraints, list) else [constraints]:
                qs.append(Q(**{k: _resolve(v, tokens) for k, v in one.items()}))
        return reduce(or_, qs)

    def clear_permission_cache(self) -> None:
        for attr in ("_grant_cache", "_token_cache", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
            self.__dict__.pop(attr, None)


def _resolve(value, tokens: dict[str, object]):
    if isinstance(value, str) and value in tokens:
        return tokens[value]
    if isinstance(value, list):
        return [_resolve(v, tokens) for v in value]
    return value


class ObjectPermission(ChangeLoggedModel):
    """Actions on object types granted to users and groups, within constraints (数据范围)."""

    name = models.CharField("名称", max_length=100, unique=True)
    description = models.CharField("说明", max_length=200, blank=True)
    enabled = models.BooleanField("启用", default=True)
    object_types = models.ManyToManyField(ContentType, verbose_name="对象类型", related_name="+")
    actions = models.JSONField("动作", default=list, help_text='如 ["view", "add", "change", "delete"]')
    constraints = models.JSONField(
        "约束", null=True, blank=True,
        help_text='数据范围，如 {"department__in": "$department_tree"}；可用 $user $department $department_tree $division',
    )
    users = models.ManyToManyField(User, verbose_name="用户", blank=True, related_name="object_permissions")
    groups = models.ManyToManyField(Group, verbose_name="用户组", blank=True, related_name="object_permissions")

    class Meta:
        ordering = ("name",)
        verbose_name = verbose_name_plural = "对象权限"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.actions, list) or not all(isinstance(a, str) and a for a in self.actions):
            raise ValidationError({"actions": "动作必须是非空字符串的列表"})
        items = self.constraints if isinstance(self.constraints, list) else [self.constraints or {}]
        for item in items:
            if not isinstance(item, dict):
                raise ValidationError({"constraints": "约束必须是对象或对象列表"})
            for value in item.values():
                if isinstance(value, str) and value.startswith("$") and value not in TOKENS:
                    raise ValidationError({"constraints": f"未知的约束变量 {value}，可用：{' '.join(TOKENS)}"})


class PasswordHistory(models.Model):
    """Hashes of a user's previous passwords, so the last five are not reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    encoded = models.CharField(max_length=256)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created", "-pk")
        verbose_name = verbose_name_plural = "历史密码"

    def __str__(self) -> str:
        return f"{self.user} @ {self.created:%Y-%m-%d}"


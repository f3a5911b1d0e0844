"""Password rules of 等保 level 3: three of four character classes, the last five not reused, 90-day expiry."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone

CLASSES = (
    ("小写字母", str.islower),
    ("大写字母", str.isupper),
    ("数字", str.isdigit),
    ("符号", lambda c: not c.isalnum()),
)


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        used = [name for name, test in CLASSES if any(test(c) for c in password)]
        if len(used) < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类（现有 {len(used)} 类）",
                code="password_classes",
            )

    def get_help_text(self):
        return f"至少包含大写字母、小写字母、数字、符号中的 {self.min_classes} 类。"


class HistoryValidator:
    def __init__(self, last: int = 5):
        self.last = last

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        if user.password and check_password(password, user.password):
            raise ValidationError("新密码不能与当前密码相同", code="password_reused")
        for encoded in user.password_history.values_list("encoded", flat=True)[: self.last]:
            if check_password(password, encoded):
                raise ValidationError(f"新密码不能与最近 {self.last} 次使用过的密码相同", code="password_reused")

    def password_changed(self, password, user=None):
        """Called by Django after a password is set and saved: remember the new hash."""
        if user is None or user.pk is None:
            return
        from zhengshu.accounts.models import PasswordHistory

        PasswordHistory.objects.create(user=user, encoded=user.password)
        keep = list(user.password_history.values_list("pk", flat=True)[: self.last])
        user.password_history.exclude(pk__in=keep).delete()
        from zhengshu.core.models import ChangeAction, record_change

        user.password_changed_at = timezone.now()
        type(user).objects.filter(pk=user.pk).update(password_changed_at=user.password_changed_at)
        record_change(action=ChangeAction.UPDATE, obj=user, message="修改密码")

    def get_help_text(self):
        return f"不能与最近 {self.last} 次使用过的密码相同。"


def password_expired(user) -> bool:
    if user.password_changed_at is None:
        return False
    return timezone.now() - user.password_changed_at > timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)

"""Logging in and out under 等保 level 3 rules, and a user's own password and second factor.

These act on the caller's own account (or on an anonymous attempt), so they are not permission-
declared services; each still writes exactly one change-log row per login, failure, lockout and
logout.
"""

from __future__ import annotations

from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.db import transaction
from django.utils import timezone

from zhengshu.accounts.models import User
from zhengshu.core import context as change_ctx
from zhengshu.core.models import ChangeAction, record_change

# One message for a wrong password, an unknown user and a locked account: nothing to enumerate.
REFUSED = "用户名或密码错误，或账号已被临时锁定（连续失败 5 次将锁定 30 分钟）。"
OTP_REQUIRED = "管理员账号须输入身份验证器中的 6 位动态验证码。"
OTP_WRONG = "动态验证码错误或已过期。"
TOTP_ISSUER = "政数平台"


class LoginRefused(Exception):
    """The attempt failed; ``str(exc)`` is the message to show."""


def _failed(user: User | None, username: str, reason: str) -> None:
    if user is None:
        record_change(action=ChangeAction.LOGIN_FAILED, object_type="accounts.user",
                      object_repr=username[:200], message=f"未知用户：{reason}")
        return
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.failed_logins += 1
        if user.failed_logins >= settings.LOGIN_FAILURE_LIMIT:
            user.locked_until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            User.objects.filter(pk=user.pk).update(failed_logins=user.failed_logins, locked_until=user.locked_until)
            record_change(action=ChangeAction.LOCKOUT, obj=user,
                          message=f"连续 {user.failed_logins} 次登录失败，锁定至 {timezone.localtime(user.locked_until):%H:%M}")
        else:
            User.objects.filter(pk=user.pk).update(failed_logins=user.failed_logins)
            record_change(action=ChangeAction.LOGIN_FAILED, obj=user,
                          message=f"{reason}（连续第 {user.failed_logins} 次）")


def verify_totp(user: User, code: str) -> bool:
    if not user.totp_secret or not code:
        return False
    return pyotp.TOTP(user.totp_secret).verify(code.strip(), valid_window=1)


def attempt_login(request, *, username: str, password: str, otp_code: str = "") -> User:
    """Log the user in or raise ``LoginRefused``; lockout, TOTP and the change log included."""
    username = (username or "").strip()
    user = User.objects.filter(username=username).first()
    with change_ctx.change_context(actor=None):
        if user is not None and user.locked_until is not None:
            if user.is_locked:
                record_change(action=ChangeAction.LOGIN_FAILED, obj=user, message="账号锁定期间尝试登录，已拒绝")
                raise LoginRefused(REFUSED)
            User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)  # the lock has run out
            user.failed_logins, user.locked_until = 0, None
        authenticated = authenticate(request, username=username, password=password)
        if authenticated is None:
            _failed(user if user is not None and user.is_active else None, username, "密码错误")
            raise LoginRefused(REFUSED)
        user = authenticated
        if user.admin_role or user.totp_confirmed:
            if not otp_code:
                _failed(user, username, "未输入动态验证码")
                raise LoginRefused(OTP_REQUIRED)
            if not verify_totp(user, otp_code):
                _failed(user, username, "动态验证码错误")
                raise LoginRefused(OTP_WRONG)
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    login(request, user)
    request.session["zs_login_at"] = timezone.now().isoformat()
    request.session["zs_last_seen"] = timezone.now().isoformat()
    with change_ctx.change_context(actor=user):
        record_change(action=ChangeAction.LOGIN, obj=user, message="登录成功")
    return user


def logout_user(request, *, reason: str = "主动退出") -> None:
    user = request.user
    if user.is_authenticated:
        with change_ctx.change_context(actor=user):
            record_change(action=ChangeAction.LOGOUT, obj=user, message=reason)
    logout(request)


def new_totp_secret(user: User) -> str:
    """A fresh, unconfirmed secret for ``user``; returns the otpauth:// URI for an authenticator app."""
    user.totp_secret = pyotp.random_base32()
    user.totp_confirmed = False
    user.save(update_fields=["totp_secret", "totp_confirmed"])
    return provisioning_uri(user)


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)


def confirm_totp(user: User, code: str) -> bool:
    if not verify_totp(user, code):
        return False
    user.totp_confirmed = True
    user.save(update_fields=["totp_confirmed"])
    return True

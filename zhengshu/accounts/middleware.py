"""Session rules: idle timeout (30 min, 15 for admin roles), password expiry, and the audit
admin's read-only access (every write answers 403)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from zhengshu.accounts.choices import AdminRole
from zhengshu.accounts.passwords import password_expired

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def idle_limit(user) -> timedelta:
    minutes = settings.ADMIN_IDLE_MINUTES if user.admin_role else settings.SESSION_IDLE_MINUTES
    return timedelta(minutes=minutes)


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        session = getattr(request, "session", None)
        if user.is_authenticated and session is not None and "zs_last_seen" in session:
            response = self._check(request, user, session)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request, user, session):
        from zhengshu.accounts.authn import logout_user

        now = timezone.now()
        last_seen = datetime.fromisoformat(session["zs_last_seen"])
        login_at = datetime.fromisoformat(session.get("zs_login_at", session["zs_last_seen"]))
        expired = now - login_at > timedelta(hours=settings.SESSION_ABSOLUTE_HOURS)
        if expired or now - last_seen > idle_limit(user):
            logout_user(request, reason="会话超过最长有效期，自动退出" if expired else "空闲超时，自动退出")
            if request.path.startswith("/api/"):
                raise PermissionDenied("会话已超时，请重新登录")
            messages.info(request, "您已长时间未操作，请重新登录。")
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        session["zs_last_seen"] = now.isoformat()
        allowed = {reverse("accounts:logout"), reverse("accounts:password_change"), reverse("accounts:login")}
        if user.admin_role == AdminRole.AUDIT and request.method not in SAFE_METHODS and request.path not in allowed:
            raise PermissionDenied("审计管理员只能查阅，不能修改任何数据")
        if password_expired(user) and request.path not in allowed and not request.path.startswith("/static/"):
            messages.warning(request, f"密码已超过 {settings.PASSWORD_MAX_AGE_DAYS} 天未修改，请先修改密码。")
            return redirect("accounts:password_change")
        return None

"""System checks run at start (and by ``zhengshu check``): ids zs.E0xx are errors, zs.W0xx warnings."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security)
def check_keys(app_configs, **kwargs):
    problems = []
    if len(settings.AUDIT_KEY) < 32:
        problems.append(Error("ZHENGSHU_AUDIT_KEY 少于 32 个字符", id="zs.E001",
                              hint="用 python -c 'import secrets; print(secrets.token_urlsafe(48))' 生成"))
    if settings.AUDIT_KEY == settings.SECRET_KEY:
        problems.append(Error("ZHENGSHU_AUDIT_KEY 与 ZHENGSHU_SECRET_KEY 相同", id="zs.E002",
                              hint="变更日志密钥必须单独保管，不能与会话签名密钥相同"))
    return problems


@register(Tags.security, deploy=True)
def check_production(app_configs, **kwargs):
    problems = []
    if settings.DEMO:
        problems.append(Warning("ZHENGSHU_DEMO=True：登录页会显示演示账号", id="zs.W001", hint="生产环境设为 False"))
    if not settings.USE_TZ:
        problems.append(Error("USE_TZ 必须为 True", id="zs.E003"))
    return problems


@register(Tags.database)
def check_superusers(app_configs, databases=None, **kwargs):
    """No production account is a Django superuser (三权分立)."""
    if not databases:
        return []
    from django.db import DatabaseError

    from zhengshu.accounts.models import User

    try:
        names = list(User.objects.filter(is_superuser=True, is_active=True).values_list("username", flat=True)[:5])
    except DatabaseError:
        return []
    if names:
        return [Error(f"存在启用的超级用户：{', '.join(names)}", id="zs.E004",
                      hint="用三员角色（系统/安全/审计管理员）代替超级用户，并停用这些账号")]
    return []


@register(Tags.database)
def check_calendar(app_configs, databases=None, **kwargs):
    """Warn when next year's holidays are neither in the package nor in the override table.

    A database check: it runs with ``zhengshu check --database default`` and before ``migrate``.
    """
    if not databases:
        return []
    from django.db import DatabaseError

    from zhengshu.core.workdays import covered_years

    next_year = date.today().year + 1
    if next_year in covered_years():
        return []
    try:
        from zhengshu.core.models import CalendarOverride

        if CalendarOverride.objects.filter(citywide=True, date__year=next_year).exists():
            return []
    except DatabaseError:
        pass
    return [Warning(f"{next_year} 年的法定节假日尚无数据", id="zs.W010",
                    hint="升级 chinesecalendar，或在“工作日调整”中录入国务院办公厅公布的安排")]

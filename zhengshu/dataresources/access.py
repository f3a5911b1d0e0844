"""The sharing access check: a department's system presents its credential for a resource and some items.

Every call is logged in ``AccessLog``, allowed or refused. This is not a service: the caller is a
credential, not a signed-in user, and the only row it writes is the access record itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils import timezone

from zhengshu.dataresources import choices as c
from zhengshu.dataresources.models import AccessLog, DataResource, ShareGrant

logger = logging.getLogger(__name__)


class AccessRefused(Exception):
    """The credential may not read what was asked; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status


@dataclass
class SharedData:
    resource: DataResource
    items: list[str]
    rows: list[dict]


def is_shut_down(resource_code: str) -> bool:
    """Whether the data office has shut the resource down (月停机); decided by the governance app.

    Imported here, not at module level (the apps load in either order); a failing import is an error,
    never a silent "not shut down": ``read_shared`` then refuses the access (fail closed) and logs it."""
    from zhengshu.datagov.selectors import is_shut_down as datagov_is_shut_down

    return bool(datagov_is_shut_down(resource_code))


def read_shared(*, secret: str, resource_code: str, item_names: list[str] | None, ip: str | None = None,
                limit: int = 1000) -> SharedData:
    """Check ``secret`` against its grant and return the granted columns; log the access either way."""
    grant = None
    if secret:
        grant = (ShareGrant.objects.select_related("resource", "resource__department", "department")
                 .filter(key_digest=ShareGrant.digest(secret)).first())
    requested = list(dict.fromkeys(item_names or (grant.item_names if grant else [])))
    log = AccessLog(grant=grant, key_prefix=(secret or "")[:10], resource_code=resource_code[:40],
                    item_names=requested, ip=ip or None, allowed=False, reason="")
    if grant is not None:
        log.department, log.provider = grant.department, grant.resource.department

    def refuse(reason: str, status: int = 403):
        log.reason = reason[:300]
        log.save()
        raise AccessRefused(reason, status)

    if grant is None:
        refuse("凭证无效", 401)
    today = timezone.localdate()
    if grant.revoked_at:
        refuse(f"凭证已于{timezone.localtime(grant.revoked_at):%Y-%m-%d}撤销：{grant.revoke_reason}")
    if today > grant.expires_on:
        refuse(f"凭证已于{grant.expires_on:%Y-%m-%d}到期")
    if today < grant.valid_from:
        refuse(f"凭证自{grant.valid_from:%Y-%m-%d}起生效")
    if resource_code != grant.resource.code:
        refuse(f"凭证未授权访问资源 {resource_code}（仅限 {grant.resource.code}）")
    outside = [n for n in requested if n not in grant.item_names]
    if outside:
        refuse(f"请求的信息项超出授权范围：{'、'.join(outside)}")
    resource = grant.resource
    if resource.status != c.Status.PUBLISHED:
        refuse(f"资源“{resource.name}”已{resource.get_status_display()}，暂停共享")
    try:
        shut_down = is_shut_down(resource.code)
    except Exception:  # noqa: BLE001 — whatever breaks in the governance check, refuse (fail closed) and log
        logger.exception("月停机状态检查失败：%s", resource.code)
        refuse(f"暂时无法确认资源“{resource.name}”的月停机状态，暂停共享，请稍后再试", 503)
    if shut_down:
        refuse(f"资源“{resource.name}”处于月停机整改期，暂停共享")
    rows = [{n: raw.get(n) for n in requested} for raw in (resource.data_rows or [])[:limit]]
    log.allowed, log.reason, log.rows = True, "准予访问", len(rows)
    log.save()
    return SharedData(resource=resource, items=requested, rows=rows)

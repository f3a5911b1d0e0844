"""The change log: append-only, chained with HMAC-SM3, anchored at intervals.

Row n carries ``digest_n = HMAC-SM3(AUDIT_KEY, digest_{n-1} ‖ canonical(row_n))``. Editing a row,
deleting one (a gap in ``seq``), swapping two, or appending a forged one (the forger lacks the
key) breaks the chain at the first affected row; ``verify_chain`` names it. Anchors copy
``(seq, digest)`` every ``AUDIT_ANCHOR_ROWS`` rows or ``AUDIT_ANCHOR_SECONDS``, so a truncated
tail past an anchor is found too. Database triggers (migration ``0002``) refuse UPDATE and DELETE
on both tables; the model refuses them too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from zhengshu.core import context as change_ctx
from zhengshu.core.crypto import hmac_sm3_hex
from zhengshu.core.models.base import RestrictedQuerySet

GENESIS = "0" * 64


class ChangeAction(models.TextChoices):
    CREATE = "create", "新建"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKOUT = "lockout", "账号锁定"
    LOGOUT = "logout", "退出"
    PERMISSION = "permission", "权限变更"
    REVEAL = "reveal", "查看完整个人信息"
    EXPORT = "export", "导出"
    SYSTEM = "system", "系统操作"


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a change-log row."""


class ChangeLogEntry(models.Model):
    """One append-only row of the change log (变更日志)."""

    seq = models.BigIntegerField("序号", unique=True, editable=False)
    time = models.DateTimeField("时间", editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
        on_delete=models.DO_NOTHING, db_constraint=False, related_name="+",
    )
    actor_repr = models.CharField("操作人名称", max_length=150, blank=True)
    source = models.CharField("来源", max_length=100, blank=True)
    request_id = models.CharField("请求号", max_length=64, blank=True, db_index=True)
    job_id = models.CharField("任务号", max_length=64, blank=True)
    ip = models.CharField("IP", max_length=64, blank=True)
    action = models.CharField("动作", max_length=20, choices=ChangeAction.choices)
    object_type = models.CharField("对象类型", max_length=100, blank=True, db_index=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    before = models.JSONField("修改前", null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField("修改后", null=True, blank=True, encoder=DjangoJSONEncoder)
    message = models.CharField("说明", max_length=500, blank=True)
    digest = models.CharField("链摘要", max_length=64, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ("-seq",)
        verbose_name = verbose_name_plural = "变更日志"
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not kwargs.pop("_append", False):
            raise AppendOnlyError("变更日志只能通过 record_change() 追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("变更日志不能删除")

    # What the digest covers: every column but the digest itself and the surrogate id.
    CHAINED_FIELDS = (
        "seq", "time", "actor_id", "actor_repr", "source", "request_id", "job_id", "ip", "action",
        "object_type", "object_id", "object_repr", "before", "after", "message",
    )

    def canonical(self) -> bytes:
        return canonical([getattr(self, name) for name in self.CHAINED_FIELDS])

    @property
    def action_label(self) -> str:
        return self.get_action_display()

    @property
    def object_type_label(self) -> str:
        from django.apps import apps

        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type


def canonical(values: list) -> bytes:
    """The bytes a row's digest covers: its CHAINED_FIELDS values as sorted, compact JSON, time in UTC."""
    payload = dict(zip(ChangeLogEntry.CHAINED_FIELDS, values, strict=True))
    payload["time"] = payload["time"].astimezone(dt_timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class ChangeLogAnchor(models.Model):
    """A copy of the chain head at one row; a missing anchored row means a truncated log."""

    seq = models.BigIntegerField("序号", unique=True)
    digest = models.CharField("链摘要", max_length=64)
    time = models.DateTimeField("时间")

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        ordering = ("-seq",)
        verbose_name = verbose_name_plural = "变更日志锚点"
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"锚点 #{self.seq}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("锚点不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("锚点不能删除")


def _json_safe(value):
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _lock_chain() -> None:
    """Serialise writers of the chain until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x7A68656E])  # "zhen"
    # SQLite: every transaction is BEGIN IMMEDIATE (conf.parse_database_url), one writer at a time.


def record_change(
    *,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    message: str = "",
    actor=None,
) -> ChangeLogEntry:
    """Append one row in the current change context (and an anchor when one is due)."""
    ctx = change_ctx.current()
    actor = actor if actor is not None else ctx.actor
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    with transaction.atomic():
        _lock_chain()
        prev_seq, prev_digest = _head(ChangeLogEntry, "seq", "digest") or (0, GENESIS)
        entry = ChangeLogEntry(
            seq=prev_seq + 1,
            time=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            actor_repr=str(getattr(actor, "username", "") or "系统")[:150],
            source=ctx.source[:100],
            request_id=ctx.request_id,
            job_id=ctx.job_id,
            ip=ctx.ip,
            action=action,
            object_type=object_type,
            object_id=str(object_id)[:64],
            object_repr=object_repr[:200],
            before=_json_safe(before),
            after=_json_safe(after),
            message=(message or ctx.message)[:500],
        )
        entry.digest = hmac_sm3_hex(_key(), prev_digest.encode() + entry.canonical())
        entry.save(_append=True)
        _anchor_if_due(entry)
    return entry


def _key() -> bytes:
    return settings.AUDIT_KEY.encode("utf-8")


def _head(model: type[models.Model], *columns: str) -> tuple | None:
    """``columns`` of the newest row, by the unique index on seq; plain SQL, as it runs on every write."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(map(quote, columns))} FROM {quote(model._meta.db_table)} "
                       f"ORDER BY seq DESC LIMIT 1")
        return cursor.fetchone()


def _utc(value) -> datetime:
    """A timestamp read with plain SQL: a string on SQLite (stored in UTC), a datetime on PostgreSQL."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt_timezone.utc)


def _anchor_if_due(entry: ChangeLogEntry) -> None:
    head = _head(ChangeLogAnchor, "seq", "time")
    due = (
        head is None
        or entry.seq - head[0] >= settings.AUDIT_ANCHOR_ROWS
        or entry.time - _utc(head[1]) >= timedelta(seconds=settings.AUDIT_ANCHOR_SECONDS)
    )
    if due:
        ChangeLogAnchor(seq=entry.seq, digest=entry.digest, time=entry.time).save()


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows: int
    anchors: int
    broken_seq: int | None = None
    reason: str = ""

    def as_dict(self) -> dict:
        return {
            "ok": self.ok, "rows": self.rows, "anchors": self.anchors,
            "broken_seq": self.broken_seq, "reason": self.reason,
        }


def verify_chain() -> VerifyResult:
    """Recompute the chain; report the first row where it breaks (Chinese reason)."""
    key = _key()
    # Tuples, not model instances: verification reads every row of a log that only grows.
    rows = ChangeLogEntry.objects.order_by("seq").values_list(*ChangeLogEntry.CHAINED_FIELDS, "digest")
    prev_digest, expected_seq, count = GENESIS, 1, 0
    anchors = dict(ChangeLogAnchor.objects.values_list("seq", "digest"))
    for *values, digest in rows.iterator(chunk_size=5000):
        seq = values[0]
        count += 1
        if seq != expected_seq:
            return VerifyResult(False, count, len(anchors), expected_seq,
                                f"第 {expected_seq} 行缺失（下一行是第 {seq} 行）：有行被删除或插入")
        if hmac_sm3_hex(key, prev_digest.encode() + canonical(values)) != digest:
            return VerifyResult(False, count, len(anchors), seq, f"第 {seq} 行的摘要不符：该行被修改、调换或伪造")
        if seq in anchors and anchors[seq] != digest:
            return VerifyResult(False, count, len(anchors), seq, f"第 {seq} 行与锚点不符")
        prev_digest, expected_seq = digest, expected_seq + 1
    last_seq = expected_seq - 1
    beyond = sorted(seq for seq in anchors if seq > last_seq)
    if beyond:
        return VerifyResult(False, count, len(anchors), last_seq + 1,
                            f"锚点记录到第 {beyond[-1]} 行，但日志只到第 {last_seq} 行：尾部被截断")
    return VerifyResult(True, count, len(anchors), None, f"共 {count} 行、{len(anchors)} 个锚点，校验通过")

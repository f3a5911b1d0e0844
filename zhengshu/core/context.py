"""Who is acting, and on whose behalf: the change context.

A request (middleware), a management command or a job opens a context with ``change_context``;
everything the change log writes inside it carries the same actor, source, request or job id and
message. Contexts nest: an inner one overrides only what it names.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class ChangeContext:
    actor: Any = None  # a User or None (the system)
    source: str = "system"  # "web", "api", "cmd:<command>", "job:<kind>", "system"
    request_id: str = ""
    job_id: str = ""
    ip: str = ""
    message: str = ""


_current: ContextVar[ChangeContext] = ContextVar("zhengshu_change_context", default=ChangeContext())


def current() -> ChangeContext:
    return _current.get()


@contextlib.contextmanager
def change_context(**fields: Any) -> Iterator[ChangeContext]:
    """Open a (nested) change context; unspecified fields are inherited from the enclosing one."""
    ctx = replace(_current.get(), **fields)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def command_context(name: str, actor: Any = None) -> contextlib.AbstractContextManager[ChangeContext]:
    """The context a management command runs its writes in."""
    return change_context(actor=actor, source=f"cmd:{name}", request_id=uuid.uuid4().hex, message="")

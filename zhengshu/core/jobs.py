"""The job queue in the database, and the worker loop that drains it.

Apps register handlers with ``@job_kind("app.name")``; a handler takes the payload dict and returns
a JSON-able result. ``enqueue`` adds a row; ``claim`` takes the oldest due one with a conditional
UPDATE; ``run_once`` claims and runs one job inside a change context carrying the job id.
"""

from __future__ import annotations

import os
import signal
import socket
import time
import traceback
from collections.abc import Callable

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from zhengshu.core.context import change_context
from zhengshu.core.models import Job, JobStatus

HANDLERS: dict[str, Callable[[dict], object]] = {}


def job_kind(name: str):
    def register(fn):
        if name in HANDLERS and HANDLERS[name] is not fn:
            raise ValueError(f"任务类型 {name} 已注册")
        HANDLERS[name] = fn
        return fn

    return register


def enqueue(kind: str, payload: dict | None = None, *, actor=None, department=None, run_after=None) -> Job:
    if kind not in HANDLERS:
        raise ValueError(f"未知的任务类型 {kind}")
    return Job.objects.create(kind=kind, payload=payload or {}, created_by=actor,
                              department=department or getattr(actor, "department", None), run_after=run_after)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(name: str | None = None) -> Job | None:
    """Claim the oldest due queued job; None when there is none (or another worker won the race)."""
    name = name or worker_name()
    now = timezone.now()
    due = Job.objects.filter(status=JobStatus.QUEUED).filter(Q(run_after__isnull=True) | Q(run_after__lte=now))
    for job_id in due.order_by("created", "pk").values_list("pk", flat=True)[:5]:
        won = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started=now, worker=name[:100], attempts=F("attempts") + 1
        )
        if won == 1:
            return Job.objects.get(pk=job_id)
    return None


def run_once(name: str | None = None) -> bool:
    """Run one job if one is due; True when a job was run (succeeded or failed)."""
    job = claim(name)
    if job is None:
        return False
    handler = HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise LookupError(f"未知的任务类型 {job.kind}")
        with change_context(actor=job.created_by, source=f"job:{job.kind}", job_id=str(job.pk)):
            with transaction.atomic():
                result = handler(job.payload)
    except Exception as exc:  # a failed job is recorded, never lost; the worker goes on
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, finished=timezone.now(),
            error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"[:10_000],
        )
    else:
        Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, finished=timezone.now(), result=result)
    return True


class Worker:
    """``zhengshu worker --loop``: drain the queue, sleep when idle, stop cleanly on SIGTERM/SIGINT."""

    def __init__(self, *, idle_seconds: float = 2.0, max_jobs: int | None = None):
        self.idle_seconds = idle_seconds
        self.max_jobs = max_jobs
        self.stopping = False
        self.done = 0

    def stop(self, *_args) -> None:
        self.stopping = True

    def loop(self) -> int:
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            while not self.stopping:
                if run_once():
                    self.done += 1
                    if self.max_jobs is not None and self.done >= self.max_jobs:
                        break
                    continue
                deadline = time.monotonic() + self.idle_seconds
                while not self.stopping and time.monotonic() < deadline:
                    time.sleep(0.1)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return self.done


@job_kind("core.verify_audit_chain")
def verify_audit_chain(payload: dict) -> dict:
    """Nightly: recompute the change-log chain; a break is an error for the 审计管理员."""
    from zhengshu.core.models import verify_chain

    result = verify_chain()
    if not result.ok:
        raise RuntimeError(result.reason)
    return result.as_dict()

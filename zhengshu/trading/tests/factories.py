"""Test fixtures for trading, made through the services where a service exists."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from zhengshu.trading.choices import Kind, Regime, Stage
from zhengshu.trading.models import Enterprise, TenderProject
from zhengshu.trading.permissions import grant_trading

D = Decimal


def grant(p) -> None:
    grant_trading({k: v for k, v in vars(p).items() if hasattr(v, "username")})
    for v in vars(p).values():
        if hasattr(v, "clear_permission_cache"):
            v.clear_permission_cache()


def uscc(n: int) -> str:
    from zhengshu.trading.demo import make_uscc

    return make_uscc(n)


def enterprise(n: int, name: str | None = None) -> Enterprise:
    return Enterprise.objects.get_or_create(uscc=uscc(n), defaults={"name": name or f"海宁测试建设有限公司{n}"})[0]


def project(p, code="HNGC2023-001", **kw) -> TenderProject:
    data = dict(code=code, name="硖石街道文苑路改造工程", regime=Regime.WORKS, kind=Kind.CONSTRUCTION,
                department=p.dept_a, tenderer_name=p.dept_a.name, estimated_price_yuan=D("5000000"),
                planned_date=dt.date(2023, 3, 1), bid_bond_yuan=D("100000"))
    data.update(kw)
    return TenderProject.objects.create(**data)


def at(day: dt.date, hour=9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def to_stage(p, project: TenderProject, stage: str, on: dt.date, actor=None):
    from zhengshu.trading.services import advance_tender

    return advance_tender(actor=actor or p.supervisor, project=project, to=stage, on=on)


def bid_ready(p, proj, prices=(D("4500000"), D("4600000"), D("4700000")), start=1):
    """Move to 招标文件发出 and receive bids; returns the bids."""
    from zhengshu.trading.services import record_bid

    to_stage(p, proj, Stage.NOTICE, dt.date(2023, 3, 1))
    to_stage(p, proj, Stage.DOCS, dt.date(2023, 3, 2))
    return [record_bid(actor=p.supervisor, project=proj, bidder=enterprise(start + i), price_yuan=price,
                       submitted_at=at(dt.date(2023, 3, 20)))
            for i, price in enumerate(prices)]

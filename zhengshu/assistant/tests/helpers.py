"""Test data: the personas, the demo catalogue of the test world's departments (市场监管局, 住建局, 数据办 and
硖石街道: 67 real item names) with the shipped aliases and FAQ entries, and the assistant's grants."""

from __future__ import annotations

from zhengshu.core.testing import make_personas


def make_assistant_world():
    from zhengshu.assistant.demo import load_knowledge
    from zhengshu.assistant.permissions import grant_assistant_permissions
    from zhengshu.govservices.demo import seed_catalogue

    p = make_personas()
    seed_catalogue()
    load_knowledge()
    grant_assistant_permissions(vars(p))
    for user in vars(p).values():
        if hasattr(user, "clear_permission_cache"):
            user.clear_permission_cache()
    return p


def item(name: str):
    from zhengshu.govservices.models import ServiceItem

    return ServiceItem.objects.get(name=name) if name != "残疾人证申领（镇街受理）" else \
        ServiceItem.objects.filter(name=name).first()

"""Fixtures of the case tests: a published item with materials, granted personas, and applicants."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from zhengshu.cases.idgen import resident_id
from zhengshu.cases.permissions import grant_case_permissions
from zhengshu.core.testing import make_personas

TZ = ZoneInfo("Asia/Shanghai")
SJJ_USCC = "11330481002580321B"  # a made-up body code; items only store it


def at(text: str) -> datetime:
    """``"2024-02-08 10:00"`` as an aware datetime in China time."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


def make_item(department, suffix: int = 1, *, legal=20, promised=10, unit="workday", promised_unit=None,
              immediate=False, commitment=False, name="食品经营许可（新办）", materials=None, scope="", **extra):
    from zhengshu.govservices.models import Material, ServiceItem

    item = ServiceItem.objects.create(
        department=department, name=name, basic_code=f"3301{suffix:05d}000",
        implementation_code=f"{SJJ_USCC}4330101{suffix:05d}000", item_type="01", exercise_level="4",
        legal_limit=legal, legal_limit_unit=unit, promised_limit=promised,
        promised_limit_unit=promised_unit or unit, is_immediate=immediate, visits=0,
        handling_forms=["1", "2", "3"], online_depth="4", allows_commitment=commitment,
        cross_region_scope=scope, result_name="食品经营许可证", **{"status": "published", "published_version": 1, **extra},
    )
    for index, (mname, missing) in enumerate(materials or (("申请书", False), ("营业执照", False),
                                                            ("食品安全管理制度", True))):
        Material.objects.create(item=item, name=mname, required=True, may_be_missing=missing,
                                missing_max_workdays=5 if missing else None, sort=index)
    return item


def personas():
    p = make_personas()
    grant_case_permissions({k: v for k, v in vars(p).items() if hasattr(v, "username")})
    return p


def applicant(seq: int = 1) -> dict:
    return {"applicant_name": "张三", "applicant_id_number": resident_id("330481", "19800101", seq),
            "contact_phone": "13900000000"}


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

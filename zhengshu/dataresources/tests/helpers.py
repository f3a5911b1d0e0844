"""Shared set-up of the catalogue tests: personas with their catalogue roles, departments, resources."""

from __future__ import annotations

from django.core.management import call_command
from django.test import LiveServerTestCase

from zhengshu.core.testing import make_personas
from zhengshu.core.testing.browser import changelog_triggers
from zhengshu.dataresources import choices as c
from zhengshu.dataresources.demo import ensure_catalogue_permissions

PERSONA_NAMES = ("clerk_a", "colleague_a", "outsider_b", "auditor", "sysadmin", "secadmin", "auditadmin", "town_clerk",
                 "dataofficer", "supervisor", "citizen", "enterprise")

ENTERPRISE_ITEMS = [
    {"name": "uscc", "label": "统一社会信用代码", "data_type": "string", "max_length": 18, "required": True,
     "is_key": True, "id_check": "uscc", "link": "uscc"},
    {"name": "ent_name", "label": "企业名称", "data_type": "string", "max_length": 200, "required": True,
     "link": "enterprise_name"},
    {"name": "legal_rep", "label": "法定代表人", "data_type": "string", "max_length": 50, "grade": "L2",
     "mask_kind": "name"},
    {"name": "legal_rep_id", "label": "法定代表人身份证号", "data_type": "string", "max_length": 18, "grade": "L3",
     "mask_kind": "id_number", "id_check": "idcard"},
    {"name": "reg_capital", "label": "注册资本", "data_type": "decimal", "unit": "万元", "grade": "L3"},
    {"name": "status", "label": "登记状态", "data_type": "string", "max_length": 10, "enum_values": ["存续", "注销"]},
]
SAMPLE_ROWS = [
    {"uscc": "91330481MA2B00000Y", "ent_name": "海宁市示范皮革有限公司", "legal_rep": "钱芳",
     "legal_rep_id": "33048119850620002X", "reg_capital": 500, "status": "存续"},
    {"uscc": "91110000600037341L", "ent_name": "海宁市长安经编有限公司", "legal_rep": "欧阳娜娜",
     "legal_rep_id": "330481199003150037", "reg_capital": 1200.5, "status": "存续"},
]


def world():
    p = make_personas()
    ensure_catalogue_permissions({n: getattr(p, n) for n in PERSONA_NAMES})
    return p


def resource_data(**overrides) -> dict:
    data = {
        "category_code": "301001", "sequence": "000001", "name": "海宁市企业登记信息", "resource_class": "3",
        "theme": "market", "summary": "市场监管局登记的企业基本信息，含统一社会信用代码、企业名称、法定代表人。",
        "keywords": "企业 登记 市场主体", "format_class": "database", "format_type": "PostgreSQL",
        "share_type": c.ShareType.CONDITIONAL, "share_condition": "用于履行法定职责", "share_method": "api",
        "open_type": c.OpenType.UNCONDITIONAL, "open_condition": "", "grade": "L3", "update_cycle": "daily",
        "related_codes": "", "origin": "local", "origin_note": "", "region_code": "330481", "record_count": 2,
    }
    data.update(overrides)
    return data


def published_resource(p, **overrides):
    """A resource of department A drafted by clerk_a and published by the data office, with sample rows."""
    from zhengshu.dataresources.models import DataResource
    from zhengshu.dataresources.services import create_resource, review_resource, submit_resource

    resource = create_resource(actor=p.clerk_a, department=p.dept_a, data=resource_data(**overrides),
                               items=[dict(i) for i in ENTERPRISE_ITEMS])
    DataResource.objects.filter(pk=resource.pk).update(data_rows=SAMPLE_ROWS)
    resource.refresh_from_db()
    submit_resource(actor=p.clerk_a, resource=resource)
    review_resource(actor=p.dataofficer, resource=resource, approve=True, comment="同意发布")
    resource.refresh_from_db()
    return resource


def demo_departments(p) -> None:
    """The Haining departments the demo catalogue needs, beside the test world's four."""
    from zhengshu.orgs.demo import CITY_DEPARTMENTS
    from zhengshu.orgs.models import Department

    for code, name, short in CITY_DEPARTMENTS:
        if not Department.objects.filter(code=code).exists():
            Department.objects.create(code=code, name=name, short_name=short, division=p.divisions.haining,
                                      parent=p.gov)


class SeededCatalogueTestCase(LiveServerTestCase):
    """The demo-sized catalogue (1,800 entries), seeded ONCE for the whole class and served by a live server.

    The class's tests only read it: the tables are emptied when the class ends, not after each test
    (seeding takes several seconds; doing it once per class keeps the suite fast)."""

    host = "127.0.0.1"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            cls.p = world()
            demo_departments(cls.p)
            cls.seeded = seed_demo()
        except BaseException:
            cls._empty_database()
            super().tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls._empty_database()
        super().tearDownClass()

    def _fixture_teardown(self):
        pass  # kept for the next test of the class; emptied in tearDownClass

    @classmethod
    def _empty_database(cls):
        changelog_triggers(create=False)
        try:
            for alias in cls._databases_names(include_mirrors=False):
                call_command("flush", verbosity=0, interactive=False, database=alias, reset_sequences=False)
        finally:
            changelog_triggers(create=True)


def seed_demo() -> str:
    from zhengshu.dataresources.demo_data import seed

    return seed()

"""A small real archive for page, API and command tests: a registration and a penalty resource ingested through
the pipeline into a temporary DATA_DIR, configured as sources and built."""

from __future__ import annotations

import shutil
import tempfile

from django.test import override_settings

from zhengshu.archive.fixtures import AUTHORITY, CATEGORY, SCHEMAS, ingest_rows, make_uscc
from zhengshu.archive.models import ArchiveSource
from zhengshu.archive.permissions import grant_archive
from zhengshu.core.testing import PersonaTestCase

A, B = make_uscc(31), make_uscc(32)
REGISTRATION = [
    {"uscc": A, "ent_name": "海宁恒达建设有限公司", "legal_rep": "张三丰", "capital": "500万元", "industry": "建筑业",
     "address": "浙江省海宁市文苑路1号", "status": "存续", "established": "2008-05-06"},
    {"uscc": B, "ent_name": "海宁华鼎股份有限公司", "legal_rep": "李四", "status": "存续"},
]
PENALTIES = [
    {"case_no": "海市监罚〔2024〕1号", "uscc": A, "party": "海宁恒达建设有限公司", "decided_on": "2024-03-01",
     "facts": "未按规定公示年度报告", "fine": "5000"},
    {"case_no": "海市监罚〔2024〕2号", "party": "海宁市恒达建设有限公司", "decided_on": "2024-04-01", "fine": "3000"},
    {"case_no": "海市监罚〔2024〕3号", "org_code": f"{B[8:16]}-{B[16]}", "party": "某单位", "decided_on": "2023-01-01"},
    {"case_no": "海综执罚〔2024〕9号", "party": "海宁恒大建设有限公司", "decided_on": "2024-06-01",
     "facts": "无证经营"},
]


def grant(p) -> None:
    grant_archive({k: v for k, v in vars(p).items() if hasattr(v, "username")})
    for v in vars(p).values():
        if hasattr(v, "clear_permission_cache"):
            v.clear_permission_cache()


def make_archive(p) -> dict:
    """Ingest, configure and build; returns the two ingest results by kind."""
    from zhengshu.archive import lake, services

    store = lake.get_store()
    results = {"registration": ingest_rows(store, "registration", REGISTRATION),
               "penalty": ingest_rows(store, "penalty", PENALTIES)}
    for kind in results:
        schema = SCHEMAS[kind]
        ArchiveSource.objects.create(resource_code=schema["resource"], name=schema["name"], category=CATEGORY[kind],
                                     authority=AUTHORITY.get(kind, 100), schema=schema)
    services.build_archive(actor=p.dataofficer)
    return results


class ArchiveTestCase(PersonaTestCase):
    """Each test gets its own DATA_DIR with the archive built."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        grant(cls.p)

    def setUp(self):
        self.data_dir = tempfile.mkdtemp(prefix="zhengshu-archive-test-")
        self.addCleanup(shutil.rmtree, self.data_dir, True)
        settings = override_settings(DATA_DIR=self.data_dir)
        settings.enable()
        self.addCleanup(settings.disable)
        self.batches = make_archive(self.p)

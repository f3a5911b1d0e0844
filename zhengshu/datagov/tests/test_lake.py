"""Batches of the pipeline's store become deliveries; their rejected rows can be read and downloaded."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
from django.test import override_settings
from openpyxl import load_workbook

from zhengshu.core.testing import PersonaTestCase
from zhengshu.datagov.choices import UpdateCycle
from zhengshu.datagov.lake import sync_deliveries
from zhengshu.datagov.models import Delivery, QualitySnapshot
from zhengshu.datagov.regime import inspect_day
from zhengshu.datagov.tests.helpers import grant, resource
from zhengshu.pipeline.store import BatchInfo, Store

REJECTS = [
    (2, "统一社会信用代码", "uscc", "第 2 行“统一社会信用代码”校验位错误：91330481MA2B00000X", "91330481MA2B00000X"),
    (5, "登记日期", "type", "第 5 行“登记日期”不是日期：2023-02-30", "2023-02-30"),
    (7, "", "duplicate", "第 7 行与第 3 行主键重复（统一社会信用代码）", "91330481MA2B00000Y"),
]


def commit_batch(store: Store, batch_id: str, when: datetime) -> BatchInfo:
    """Commit a batch through the store's own protocol (as the ingest engine does)."""
    work = store.work_dir(batch_id)
    accepted, quarantine = work / "a.parquet", work / "q.parquet"
    con = duckdb.connect()
    con.execute(f"COPY (SELECT range AS _row, 'x' AS v FROM range(10)) TO '{accepted}' (FORMAT parquet)")
    values = ", ".join(f"({r}, '{c}', '{rule}', '{reason}', MAP {{'原始值': '{raw}'}})"
                       for r, c, rule, reason, raw in REJECTS)
    con.execute(f"COPY (SELECT * FROM (VALUES {values}) t(_row, _column, _rule, _reason, _raw)) "
                f"TO '{quarantine}' (FORMAT parquet)")
    con.close()
    stats = {"items": {"统一社会信用代码": {"nulls": 0, "invalid": 1}, "登记日期": {"nulls": 2, "invalid": 1},
                       "企业名称": {"nulls": 1, "invalid": 0}},
             "rules": {"uscc": 1, "type": 1, "duplicate": 1}, "duplicates": 1, "ragged": 0, "new_versions": 4}
    info = BatchInfo(batch_id, "HN-SJJ-001", "企业登记.csv", f"fp-{batch_id}", when, 13, 10, 3, 0.2, stats)
    return store.commit(info, accepted, quarantine, new_records=6)


class LakeTests(PersonaTestCase):
    def setUp(self):
        self.root = Path(tempfile.mkdtemp(prefix="datagov-lake-"))
        grant(self.p)
        self.resource = resource("HN-SJJ-001", "企业登记信息", self.p.dept_a, UpdateCycle.DAILY)
        self.store = Store(self.root / "pipeline")
        commit_batch(self.store, "b20261012a", datetime(2026, 10, 12, 8, 0, tzinfo=UTC))

    def test_store_batches_become_deliveries_once(self):
        self.assertEqual(sync_deliveries(self.store), {"store": "present", "created": 1})
        self.assertEqual(sync_deliveries(self.store), {"store": "present", "created": 0})
        d = Delivery.objects.get()
        self.assertEqual((d.resource, d.department, d.read, d.accepted, d.rejected), (self.resource, self.p.dept_a,
                                                                                       13, 10, 3))
        self.assertEqual((d.duplicates, d.null_cells, d.item_count, d.new_versions, d.new_records), (1, 3, 3, 4, 6))
        inspect_day(date(2026, 10, 13), store=self.store)
        snap = QualitySnapshot.objects.get(day=date(2026, 10, 12))
        self.assertAlmostEqual(snap.completeness, 1 - 3 / (13 * 3))
        self.assertAlmostEqual(snap.validity, 1 - 2 / 13)
        self.assertAlmostEqual(snap.uniqueness, 1 - 1 / 13)
        self.assertEqual(snap.total_records, 6)

    def test_rejected_rows_are_shown_and_downloaded(self):
        sync_deliveries(self.store)
        d = Delivery.objects.get()
        with override_settings(DATA_DIR=self.root):
            self.as_user("outsider_b")
            self.assertEqual(self.client.get(f"/datagov/deliveries/{d.pk}/rejects/").status_code, 404)
            self.assertEqual(self.client.get(f"/datagov/deliveries/{d.pk}/rejects/?format=csv").status_code, 404)
            self.as_user("auditor")  # city-wide read
            self.assertContains(self.client.get(f"/datagov/deliveries/{d.pk}/rejects/"), "不是日期：2023-02-30")
            self.as_user("clerk_a")
            response = self.client.get(f"/datagov/deliveries/{d.pk}/rejects/")
            self.assertContains(response, "校验位错误：91330481MA2B00000X")
            self.assertContains(response, "不是日期：2023-02-30")
            response = self.client.get(f"/datagov/deliveries/{d.pk}/rejects/?format=csv")
            text = b"".join(response.streaming_content).decode("utf-8")
            self.assertTrue(text.startswith("\ufeff行号,列,规则,原因,原始值"))
            rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
            self.assertEqual([r[0] for r in rows[1:]], ["2", "5", "7"])
            self.assertEqual(rows[2][4], "2023-02-30")  # the source column 原始值, one cell per column
            response = self.client.get(f"/datagov/deliveries/{d.pk}/rejects/?format=xlsx")
            sheet = load_workbook(io.BytesIO(response.content)).active
            self.assertEqual(sheet.max_row, 1 + len(REJECTS))
            self.assertEqual(sheet.cell(row=4, column=3).value, "duplicate")

    def test_a_reported_batch_says_its_rejects_are_elsewhere(self):
        from zhengshu.datagov import services
        from zhengshu.datagov.tests.helpers import delivery_row

        services.record_deliveries(actor=self.p.dataofficer, rows=[delivery_row("HN-SJJ-001", date(2026, 10, 1))])
        d = Delivery.objects.get(in_lake=False)
        self.as_user("clerk_a")
        self.assertContains(self.client.get(f"/datagov/deliveries/{d.pk}/rejects/"), "不在本机数据湖中")


class RealIngestTests(PersonaTestCase):
    """A messy small file through ``zhengshu.pipeline.ingest``: its figures and rejects arrive here."""

    def test_an_ingested_file_is_measured_and_its_rejects_drilled_into(self):
        from zhengshu.pipeline import ingest

        grant(self.p)
        code = "301001/000001"
        resource(code, "企业登记信息", self.p.dept_a, UpdateCycle.DAILY)
        root = Path(tempfile.mkdtemp(prefix="datagov-ingest-"))
        store = Store(root / "pipeline")
        schema = {"resource": code, "name": "企业登记信息", "provider": "HN-SJJ", "key": ["uscc"], "items": [
            {"name": "uscc", "label": "统一社会信用代码", "type": "string", "required": True, "check": "uscc"},
            {"name": "name", "label": "企业名称", "type": "string", "required": True},
            {"name": "status", "label": "登记状态", "type": "string", "enum": ["存续", "在业", "注销"]},
        ]}
        path = root / "企业登记.csv"
        path.write_text("统一社会信用代码,企业名称,登记状态\n"
                        "91330481MA2B00000Y,海宁市示范皮革有限公司,存续\n"
                        "91330481MA2B00000X,海宁市错码经编有限公司,存续\n"
                        "91330481MA2B00000Y,海宁市示范皮革有限公司,存续\n"
                        ",海宁市无码家纺有限公司,在业\n"
                        "91110000600037341L,=1+2北京示例有限公司,歇业\n", encoding="gb18030")
        result = ingest(path, code, schema, store)
        self.assertEqual((result["read"], result["accepted"], result["rejected"]), (5, 1, 4))
        self.assertEqual(sync_deliveries(store)["created"], 1)
        d = Delivery.objects.get()
        self.assertEqual((d.batch_id, d.read, d.accepted, d.rejected, d.duplicates), (result["batch_id"], 5, 1, 4, 1))
        inspect_day(timezone_today_plus_one(), store=store)
        snap = QualitySnapshot.objects.get(resource__code=code)
        self.assertAlmostEqual(snap.validity, 1 - 3 / 5)
        self.assertAlmostEqual(snap.uniqueness, 1 - 1 / 5)
        self.assertEqual(snap.total_records, 1)
        with override_settings(DATA_DIR=root):
            self.as_user("clerk_a")
            response = self.client.get(f"/datagov/deliveries/{d.pk}/rejects/?format=csv")
            rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff"))))
            self.assertEqual(len(rows), 1 + 4)
            self.assertEqual(rows[0], ["行号", "列", "规则", "原因", "统一社会信用代码", "企业名称", "登记状态"])
            self.assertEqual(sorted(r[2] for r in rows[1:])[0], "check:uscc")
            closed = next(r for r in rows[1:] if "歇业" in r[3])
            # the source values one per column, a formula-looking value made inert for Excel
            self.assertEqual(closed[4:], ["91110000600037341L", "'=1+2北京示例有限公司", "歇业"])
            response = self.client.get(f"/datagov/deliveries/{d.pk}/rejects/?format=xlsx")  # "/" in the code
            self.assertEqual(response.status_code, 200)
            sheet = load_workbook(io.BytesIO(response.content)).active
            self.assertEqual(sheet.title, "301001_000001")
            cells = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
            closed = next(c for c in cells if c[6] == "歇业")
            self.assertEqual(closed[5], "=1+2北京示例有限公司")
            self.assertEqual(next(c for c in sheet[1 + cells.index(closed) + 1] if c.column == 6).data_type, "s")


def timezone_today_plus_one():
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() + timedelta(days=1)


def test_the_csv_download_streams_in_chunks_and_keeps_every_row():
    from zhengshu.datagov.documents import rejects_csv_chunks

    rows = ({"row": i, "column": "企业名称", "rule": "required", "reason": "必填项为空",
             "values": {"统一社会信用代码": f"9133048100000{i:05d}", "企业名称": "", "备注": "-" * (i % 3)}}
            for i in range(2, 3002))
    chunks = list(rejects_csv_chunks(rows))
    assert len(chunks) > 1
    lines = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8"))))
    assert lines[0] == ["\ufeff行号", "列", "规则", "原因", "统一社会信用代码", "企业名称", "备注"]
    assert len(lines) == 1 + 3000
    assert lines[1] == ["2", "企业名称", "required", "必填项为空", "913304810000000002", "", "'--"]
    assert lines[2][6] == ""

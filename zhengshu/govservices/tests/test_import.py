"""S1 import/export acceptance: a 2,000-item catalogue in every encoding, a broken file, re-import."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from zhengshu.core.testing import make_personas
from zhengshu.govservices.catalogue_io import detect_encoding, import_catalogue, parse_limit, parse_visits
from zhengshu.govservices.models import ItemFinding, Material, ServiceItem
from zhengshu.govservices.tests.helpers import catalogue_rows, give_uscc, write_csv, write_xlsx

COUNT = 2000
ENCODINGS = ("utf-8", "utf-8-sig", "gbk", "gb18030")


def catalogue_state() -> str:
    """A digest of every item and material value, to prove a refused import changed nothing."""
    digest = hashlib.sha256()
    for row in ServiceItem.objects.order_by("implementation_code").values_list(
            "implementation_code", "name", "promised_limit", "visits", "status", "updated"):
        digest.update(repr(row).encode())
    for row in Material.objects.order_by("item__implementation_code", "sort").values_list(
            "item__implementation_code", "name", "may_be_missing", "missing_max_workdays"):
        digest.update(repr(row).encode())
    return digest.hexdigest()


class CatalogueImportTests(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="zs-govservices-"))
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        super().tearDownClass()

    @classmethod
    def setUpTestData(cls):
        cls.p = make_personas()
        give_uscc(cls.p)
        items, materials = catalogue_rows(cls.p, COUNT)
        cls.items, cls.materials = items, materials
        cls.files = {enc: write_csv(cls.tmp, f"catalogue-{enc}", items, materials, enc) for enc in ENCODINGS}
        cls.files["xlsx"] = write_xlsx(cls.tmp, "catalogue", items, materials)
        cls.expected_materials = len(materials)

    def test_it_detects_each_csv_encoding(self):
        for encoding in ENCODINGS:
            data = self.files[encoding].read_bytes()
            expected = {"utf-8-sig": "utf-8-sig", "utf-8": "utf-8"}.get(encoding, "gbk")
            self.assertEqual(detect_encoding(data), expected, encoding)
        self.assertEqual(detect_encoding("事项名称,𠀀".encode("gb18030")), "gb18030")

    def test_it_imports_the_2000_item_catalogue_from_every_encoding_and_xlsx(self):
        # A fresh import from one file, checked value by value ...
        result = import_catalogue([self.files["utf-8-sig"]])
        self.assertEqual(result["errors"][:5], [])
        self.assertEqual(result, {"read": COUNT, "created": COUNT, "updated": 0, "rejected": 0, "errors": []})
        self.assertEqual(ServiceItem.objects.count(), COUNT)
        self.assertEqual(Material.objects.count(), self.expected_materials)
        item = ServiceItem.objects.get(implementation_code=self.items[7][2])
        self.assertEqual(item.name, self.items[7][0])
        self.assertEqual((item.item_type, item.exercise_level), ("01", "4"))  # "01", "县级"
        self.assertEqual((item.legal_limit, item.legal_limit_unit), (30, "calendar_day"))  # 30个自然日
        self.assertEqual((item.promised_limit, item.promised_limit_unit), (3, "workday"))
        self.assertEqual(item.visits, 0)
        self.assertEqual(item.handling_forms, ["1", "2", "3"])
        self.assertEqual(item.service_objects, ["2", "1"])
        self.assertEqual(item.extra, {"数据来源": "省库7"})  # an unknown column is kept
        self.assertEqual(item.department, self.p.dept_b)
        immediate = ServiceItem.objects.get(implementation_code=self.items[3][2])
        self.assertTrue(immediate.is_immediate)
        self.assertIsNone(immediate.promised_limit)
        missing = Material.objects.get(item=item, name="场所证明")
        self.assertEqual((missing.may_be_missing, missing.missing_max_workdays, missing.required), (True, 3, False))
        self.assertTrue(ItemFinding.objects.exists())  # the quality rules ran on the import
        # ... then every other encoding and the workbook: each reads to exactly the same catalogue (no value differs,
        # so nothing is written), which a wrongly decoded name or limit would break.
        state = catalogue_state()
        for kind in ("utf-8", "gbk", "gb18030", "xlsx"):
            with self.subTest(kind=kind):
                result = import_catalogue([self.files[kind]])
                self.assertEqual(result["errors"][:5], [], kind)
                self.assertEqual((result["read"], result["created"], result["updated"], result["rejected"]),
                                 (COUNT, 0, COUNT, 0), kind)
                self.assertEqual(catalogue_state(), state, kind)

    def test_a_fresh_import_from_gb18030_gives_the_same_catalogue(self):
        result = import_catalogue([self.files["gb18030"]])
        self.assertEqual((result["created"], result["rejected"]), (COUNT, 0), result["errors"][:5])
        self.assertEqual(ServiceItem.objects.get(implementation_code=self.items[11][2]).name, self.items[11][0])

    def test_reimport_updates_by_code_and_creates_nothing(self):
        first = import_catalogue([self.files["utf-8"]])
        self.assertEqual(first["created"], COUNT, first["errors"][:5])
        ids = set(ServiceItem.objects.values_list("pk", flat=True))
        again = import_catalogue([self.files["gbk"]])
        self.assertEqual((again["created"], again["updated"], again["rejected"]), (0, COUNT, 0))
        self.assertEqual(set(ServiceItem.objects.values_list("pk", flat=True)), ids)
        self.assertEqual(Material.objects.count(), self.expected_materials)
        # A changed value is written to the matched item, not to a new one.
        rows = [list(r) for r in self.items]
        rows[5][0] = "不动产转移登记（改名）"
        path = write_csv(self.tmp, "changed", rows, self.materials, "gb18030")
        third = import_catalogue([path])
        self.assertEqual((third["created"], third["updated"]), (0, COUNT))
        self.assertEqual(ServiceItem.objects.get(implementation_code=rows[5][2]).name, "不动产转移登记（改名）")
        self.assertEqual(ServiceItem.objects.count(), COUNT)
        # Materials are updated in place by name: an unchanged material keeps its id (cases refer to it).
        code = rows[5][2]
        kept = Material.objects.get(item__implementation_code=code, name="申请表").pk
        materials = [list(m) for m in self.materials if m[0] != code] + [
            [code, "申请表", "2", "0", "是", "否", ""], [code, "委托书", "1", "0", "否", "否", ""]]
        path = write_csv(self.tmp, "materials-changed", rows, materials, "utf-8")
        self.assertEqual(import_catalogue([path])["created"], 0)
        after = {m.name: m for m in Material.objects.filter(item__implementation_code=code)}
        self.assertEqual(set(after), {"申请表", "委托书"})
        self.assertEqual((after["申请表"].pk, after["申请表"].originals), (kept, 2))

    def test_a_broken_file_reports_every_bad_row_and_changes_nothing(self):
        self.assertEqual(import_catalogue([self.files["utf-8"]])["created"], COUNT)
        before = catalogue_state()
        rows = [list(r) for r in self.items]
        code = rows[0][2]
        rows[0][2] = code[:17] + ("0" if code[17] != "0" else "1") + code[18:]  # row 2: USCC check character
        rows[10][3] = "行政许可证"  # row 12: unknown type
        rows[20][8] = "三个月"  # row 22: unreadable limit
        rows[30][1], rows[30][2] = "", rows[31][2]  # row 32 takes row 33's code: reported on the later row
        rows[40][4], rows[40][5] = "海宁市不存在局", ""  # row 42: no such department (code of dept A/B though)
        rows[41][2] = rows[41][2][:-1]  # row 43: 30 characters
        rows[50][12] = "两趟"  # row 52: visits
        rows[60][0] = "新事项（本应新建）"
        materials = [list(m) for m in self.materials] + [["11330481MA2B00000Y433019999900", "申请表", "1", "0",
                                                          "是", "否", ""]]
        materials[0][4] = "也许"  # materials row 2: 是否必备
        path = write_csv(self.tmp, "broken", rows, materials, "gbk")
        result = import_catalogue([path])
        self.assertEqual(result["read"], COUNT)
        self.assertEqual((result["created"], result["updated"]), (0, 0))
        by_row = {(e["row"], e["column"]) for e in result["errors"]}
        self.assertIn((12, "事项类型"), by_row)
        self.assertIn((22, "承诺办结时限"), by_row)
        self.assertIn((33, "实施编码"), by_row)
        self.assertIn((43, "实施编码"), by_row)
        self.assertIn((52, "到办事现场次数"), by_row)
        self.assertIn((2, "是否必备"), by_row)
        self.assertTrue(all(e["message"] and "第" in e["message"] for e in result["errors"]))
        self.assertTrue(any("三个月" in e["message"] for e in result["errors"]))
        self.assertTrue(any("不在“事项”表中" in e["message"] or "不是已有事项" in e["message"]
                            for e in result["errors"]))
        self.assertIn((32, "实施主体代码"), by_row)  # row 32 names dept A's USCC but now carries dept B's code
        # rows 2, 12, 22, 32, 33, 43, 52; row 42 resolves its body by the code's USCC, so it is fine
        self.assertEqual(result["rejected"], 7, result["errors"][:12])
        self.assertNotIn(42, {e["row"] for e in result["errors"] if not e["message"].startswith("【申请材料】")})
        self.assertEqual(catalogue_state(), before)
        self.assertFalse(ServiceItem.objects.filter(name="新事项（本应新建）").exists())

    def test_dry_run_writes_nothing_and_the_command_prints_the_exact_json(self):
        out = io.StringIO()
        call_command("services", "import-items", str(self.files["utf-8-sig"]), "--dry-run", "--json", stdout=out)
        result = json.loads(out.getvalue())
        self.assertEqual(list(result), ["read", "created", "updated", "rejected", "errors"])
        self.assertEqual((result["read"], result["created"], result["rejected"]), (COUNT, COUNT, 0))
        self.assertEqual(ServiceItem.objects.count(), 0)

    def test_the_command_exits_1_on_a_rejected_file_with_chinese_errors(self):
        path = self.tmp / "one-bad.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["事项名称", "实施编码", "事项类型", "实施主体", "承诺办结时限"])
            writer.writerow(["食品经营许可", self.items[0][2], "许可", self.p.dept_a.name, "即办"])
            writer.writerow(["", self.items[2][2], "行政许可", self.p.dept_a.name, "5个工作日"])
        out = io.StringIO()
        with self.assertRaises(SystemExit) as exit_:
            call_command("services", "import-items", str(path), "--json", stdout=out)
        self.assertEqual(exit_.exception.code, 1)
        result = json.loads(out.getvalue())
        self.assertEqual((result["read"], result["rejected"]), (2, 1))
        self.assertEqual(result["errors"][0]["row"], 3)
        self.assertEqual(result["errors"][0]["column"], "事项名称")
        self.assertEqual(ServiceItem.objects.count(), 0)

    def test_export_round_trips_through_import(self):
        small = 300  # the export path is the same for any size; keep the run fast
        source = write_xlsx(self.tmp, "small", self.items[:small],
                            [m for m in self.materials if m[0] in {r[2] for r in self.items[:small]}])
        self.assertEqual(import_catalogue([source], publish=True)["created"], small)
        self.assertEqual(ServiceItem.objects.filter(status="published", published_version=1).count(), small)
        expected_materials = Material.objects.count()
        for suffix in ("xlsx", "csv"):
            target = self.tmp / f"export.{suffix}"
            out = io.StringIO()
            call_command("services", "export-items", str(target), "--json", "--encoding", "gbk", stdout=out)
            summary = json.loads(out.getvalue())
            self.assertEqual((summary["items"], summary["materials"]), (small, expected_materials))
            before = catalogue_state()
            result = import_catalogue([target])
            self.assertEqual((result["created"], result["updated"], result["rejected"]), (0, small, 0), suffix)
            self.assertEqual(catalogue_state(), before, suffix)  # nothing changed: identical values


class ValueParsingTests(TestCase):
    def test_time_limits_as_offices_write_them(self):
        cases = {"30个工作日": (30, "workday", False), "20个自然日": (20, "calendar_day", False),
                 "即办": (None, "workday", True), "15": (15, "workday", False), "10 工作日": (10, "workday", False),
                 "": (None, "workday", False), "当场办结": (None, "workday", True)}
        for text, expected in cases.items():
            self.assertEqual(parse_limit(text), expected, text)
        more = {"二十个工作日": (20, "workday", False), "20个工作日内": (20, "workday", False),
                "十五日": (15, "workday", False), "３０个自然日": (30, "calendar_day", False),
                "0个工作日": (None, "workday", True)}
        for text, expected in more.items():
            self.assertEqual(parse_limit(text), expected, text)
        with self.assertRaisesRegex(ValueError, "换算为天数"):
            parse_limit("一个月")
        for bad in ("三个月", "30个月", "约5天", "30日（不含公告时间）"):
            with self.assertRaises(ValueError):
                parse_limit(bad)

    def test_visits(self):
        self.assertEqual([parse_visits(t) for t in ("0", "0次", "1次", "最多跑一次", "2", "2.0", "两次", "１次")],
                         [0, 0, 1, 1, 2, 2, 2, 1])
        with self.assertRaises(ValueError):
            parse_visits("两趟")


class CommandTests(TestCase):
    def test_check_items_reruns_the_rules(self):
        from zhengshu.govservices.tests.helpers import catalogue_rows

        p = make_personas()
        give_uscc(p)
        items, materials = catalogue_rows(p, 30)
        tmp = Path(tempfile.mkdtemp(prefix="zs-govservices-"))
        try:
            import_catalogue([write_csv(tmp, "small", items, materials, "utf-8")])
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        ItemFinding.objects.all().delete()
        out = io.StringIO()
        call_command("services", "check-items", "--json", stdout=out)
        result = json.loads(out.getvalue())
        self.assertEqual(result["items"], 30)
        self.assertEqual(result["findings"], ItemFinding.objects.count())
        self.assertGreater(result["findings"], 0)

    def test_publish_on_import_versions_changed_items_only(self):
        import datetime as dt

        from django.utils import timezone

        from zhengshu.govservices import selectors
        from zhengshu.govservices.models import ItemVersion
        from zhengshu.govservices.tests.helpers import catalogue_rows

        p = make_personas()
        give_uscc(p)
        items, materials = catalogue_rows(p, 20)
        tmp = Path(tempfile.mkdtemp(prefix="zs-govservices-"))
        try:
            import_catalogue([write_csv(tmp, "v1", items, materials, "utf-8")], publish=True)
            self.assertEqual(selectors.published_items().count(), 20)
            items[4][0] = "居住证申领（新版）"
            import_catalogue([write_csv(tmp, "v2", items, materials, "utf-8")], publish=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        item = ServiceItem.objects.get(implementation_code=items[4][2])
        self.assertEqual((item.status, item.published_version), ("published", 2))
        old = ItemVersion.objects.get(item=item, version=1)
        self.assertEqual(old.effective_to, timezone.localdate() - dt.timedelta(days=1))
        self.assertEqual(selectors.current_version(item).data["name"], "居住证申领（新版）")
        self.assertEqual(ItemVersion.objects.count(), 21)  # the 19 unchanged items were not re-published

    def test_metrics_is_dispatched_to_the_cases_app(self):
        import sys
        import types
        from unittest import mock

        seen = {}

        def run_metrics_command(options):
            seen.update(options)
            return {"year": options["year"], "one_network_rate": 0.9948}

        fake = types.ModuleType("zhengshu.cases.metrics")
        fake.run_metrics_command = run_metrics_command
        out = io.StringIO()
        with mock.patch.dict(sys.modules, {"zhengshu.cases.metrics": fake}):
            call_command("services", "metrics", "--year", "2023", "--department", "HN-SJJ", "--json", stdout=out)
        self.assertEqual(json.loads(out.getvalue()), {"year": 2023, "one_network_rate": 0.9948})
        self.assertEqual((seen["year"], seen["department"]), (2023, "HN-SJJ"))


class RealWorldFileTests(TestCase):
    """Files as offices and Excel really produce them."""

    @classmethod
    def setUpTestData(cls):
        cls.p = make_personas()
        give_uscc(cls.p)

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="zs-govservices-"))
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def test_a_short_gbk_file_is_not_taken_for_utf8(self):
        self.assertEqual(detect_encoding("食品".encode("gbk")), "gbk")  # also valid UTF-8: "ʳƷ"
        self.assertEqual(detect_encoding("食品经营许可".encode("gb18030")), "gbk")
        self.assertEqual(detect_encoding("中文".encode("utf-8")), "utf-8")  # also valid GBK: "涓枃"
        self.assertEqual(detect_encoding("材料名称\n申请表".encode("utf-8")), "utf-8")
        self.assertEqual(detect_encoding(b"a,b\n1,2\n"), "utf-8")

    def test_an_excel_workbook_with_a_title_row_numbers_and_full_width_text(self):
        from openpyxl import Workbook

        dept = self.p.dept_a
        basic = "000100001000"  # a national-catalogue code: Excel drops its leading zeros
        code = dept.uscc + "4" + basic
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "事项"
        sheet.append(["海宁市政务服务事项实施清单（2026年版）"])
        sheet.merge_cells("A1:H1")
        sheet.append([])
        sheet.append(["*事项名称", "基本\n编码", "实施编码 ", "事项类型", "实施主体", "法定办结时限", "承诺办结时限",
                      "到办事现场次数", "办理形式"])
        sheet.append([" 食品经营许可 ", int(basic), " " + code.lower() + " ", 1, dept.name, "二十个工作日内",
                      "３个工作日", 0.0, "窗口办理、移动端网上申请"])
        sheet.append([])  # a blank row inside the table
        sheet.append(["取水许可", None, 1.1330481000000001e30, "行政许可", dept.name, "一个月", "即办", 1, "窗口"])
        materials = workbook.create_sheet("申请材料")
        materials.append(["实施编码", "材料名称", "原件份数", "复印件份数", "是否必备"])
        materials.append([code, "申请书", 1.0, 0, "是"])
        path = self.tmp / "catalogue.xlsx"
        workbook.save(path)

        result = import_catalogue([path])
        self.assertEqual((result["read"], result["rejected"], result["created"]), (2, 1, 0))
        errors = {(e["row"], e["column"]): e["message"] for e in result["errors"]}
        self.assertIn("Excel 存成了数字", errors[(6, "实施编码")])  # sheet row 6: the title rows count
        self.assertIn("换算为天数", errors[(6, "法定办结时限")])
        self.assertTrue(all(m.startswith("【事项】第6行") for m in errors.values()), errors)

        sheet.delete_rows(6)
        workbook.save(path)
        result = import_catalogue([path])
        self.assertEqual(result, {"read": 1, "created": 1, "updated": 0, "rejected": 0, "errors": []})
        item = ServiceItem.objects.get()
        self.assertEqual((item.name, item.implementation_code, item.basic_code), ("食品经营许可", code, basic))
        self.assertEqual((item.item_type, item.legal_limit, item.promised_limit, item.visits), ("01", 20, 3, 0))
        self.assertEqual(item.handling_forms, ["1", "3"])
        self.assertEqual(list(item.materials.values_list("name", "originals")), [("申请书", 1)])

    def test_a_csv_written_through_floats_and_an_orphan_material_row(self):
        dept = self.p.dept_a
        code = dept.uscc + "4" + "330100001000"
        items = [["食品经营许可", "", code, "01", dept.name, "20", "5个工作日", "1.0", "窗口", "", "自然人",
                  "", "问答", "须现场核验", ""]]
        header = ["事项名称", "基本编码", "实施编码", "事项类型", "实施主体", "法定办结时限", "承诺办结时限",
                  "到办事现场次数", "办理形式", "通办范围", "服务对象", "咨询电话", "常见问题", "必须现场办理原因说明",
                  "备注"]
        path = self.tmp / "items.csv"
        with open(path, "w", encoding="gbk", newline="") as handle:
            csv.writer(handle).writerows([header, *items])
        with open(self.tmp / "items_申请材料.csv", "w", encoding="gbk", newline="") as handle:
            csv.writer(handle).writerows([["实施编码", "材料名称", "原件份数", "复印件份数"],
                                          [code, "申请表", "1.0", "0.0"],
                                          [dept.uscc + "4330100009000", "无主材料", "1", "0"]])
        out = io.StringIO()
        with self.assertRaises(SystemExit) as exit_:  # the orphan material row refuses the file: exit 1
            call_command("services", "import-items", str(path), "--json", stdout=out)
        self.assertEqual(exit_.exception.code, 1)
        result = json.loads(out.getvalue())
        self.assertEqual([(e["row"], e["column"]) for e in result["errors"]], [(3, "实施编码")])
        self.assertTrue(result["errors"][0]["message"].startswith("【申请材料】第3行"))
        self.assertFalse(ServiceItem.objects.exists())
        with open(self.tmp / "items_申请材料.csv", "w", encoding="gbk", newline="") as handle:
            csv.writer(handle).writerows([["实施编码", "材料名称", "原件份数", "复印件份数"], [code, "申请表", "1.0", "0.0"]])
        call_command("services", "import-items", str(path), "--json", stdout=io.StringIO())
        item = ServiceItem.objects.get()
        self.assertEqual((item.visits, item.extra), (1, {}))  # 备注 was empty: nothing to keep
        self.assertEqual(list(item.materials.values_list("originals", "copies")), [(1, 0)])

    def test_export_keeps_formula_like_text_as_text_and_refuses_characters_gbk_lacks(self):
        from django.core.management.base import CommandError
        from openpyxl import load_workbook

        dept = self.p.dept_a
        ServiceItem.objects.create(name="𠀀字号登记", implementation_code=dept.uscc + "4330100001000",
                                   basic_code="330100001000", item_type="01", exercise_level="4", department=dept,
                                   faq='=HYPERLINK("http://example.invalid","点此")')
        target = self.tmp / "export.xlsx"
        call_command("services", "export-items", str(target), stdout=io.StringIO())
        cell = load_workbook(target)["事项"]["R2"]
        self.assertEqual((cell.value, cell.data_type), ('=HYPERLINK("http://example.invalid","点此")', "s"))
        with self.assertRaises(CommandError) as ctx:
            call_command("services", "export-items", str(self.tmp / "export.csv"), "--encoding", "gbk",
                         stdout=io.StringIO())
        self.assertIn("第2行“事项名称”含 GBK 无法表示的字符“𠀀”", str(ctx.exception))
        call_command("services", "export-items", str(self.tmp / "export.csv"), "--encoding", "gb18030",
                     stdout=io.StringIO())
        self.assertIn("𠀀字号登记", (self.tmp / "export.csv").read_text(encoding="gb18030"))

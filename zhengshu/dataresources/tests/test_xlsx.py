"""XLSX exchange of catalogues with their data items: export → import round trip, all-or-nothing
imports whose counts add up, and Chinese errors that name sheet, row and column."""

import io

from django.core.exceptions import PermissionDenied
from django.test import TestCase
from openpyxl import Workbook, load_workbook

from zhengshu.core.services import ServiceError
from zhengshu.core.testing import login
from zhengshu.dataresources import choices as c
from zhengshu.dataresources.models import DataItem, DataResource
from zhengshu.dataresources.services import import_catalogue
from zhengshu.dataresources.tests.helpers import published_resource, world
from zhengshu.dataresources.xlsx import export_workbook


def rewrite(content: bytes, edits: dict) -> bytes:
    """Change cells of an exported workbook: {(sheet, row, column letter): value}."""
    book = load_workbook(io.BytesIO(content))
    for (sheet, row, col), value in edits.items():
        book[sheet][f"{col}{row}"] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class XlsxTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = world()
        published_resource(cls.p)
        published_resource(cls.p, sequence="000002", name="海宁市企业年报信息", open_type=c.OpenType.RESTRICTED,
                           open_condition="经审核后使用")

    def exported(self) -> bytes:
        return export_workbook(DataResource.objects.all())

    def renumbered(self, base: int):
        """The exported workbook with its two entries (…/000001, …/000002) moved to 301001/{base+2}, …/{base+3}."""
        book = load_workbook(io.BytesIO(self.exported()))
        for row in (2, 3):
            book["目录"][f"B{row}"] = f"{base + row:06d}"
        for row in range(2, book["信息项"].max_row + 1):
            old = book["信息项"][f"A{row}"].value
            book["信息项"][f"A{row}"] = f"301001/{base + (2 if old.endswith('000001') else 3):06d}"
        return book

    def test_export_has_both_sheets_with_chinese_headers_and_labels(self):
        book = load_workbook(io.BytesIO(self.exported()))
        self.assertEqual(book.sheetnames, ["目录", "信息项"])
        resources, items = book["目录"], book["信息项"]
        self.assertEqual([c.value for c in resources[1]][:3], ["分类码", "顺序码", "信息资源名称"])
        self.assertEqual(resources.max_row, 3)
        self.assertEqual(items.max_row, 1 + 2 * 6)
        header = [c.value for c in resources[1]]
        self.assertEqual(resources.cell(2, header.index("共享类型") + 1).value, "有条件共享")
        self.assertEqual(resources.cell(2, header.index("分级") + 1).value, "L3 较敏感")

    def test_round_trip_into_new_drafts(self):
        book = self.renumbered(100)
        out = io.BytesIO()
        book.save(out)
        result = import_catalogue(actor=self.p.clerk_a, content=out.getvalue())
        self.assertEqual(result["errors"], [])
        self.assertTrue(result["written"])
        self.assertEqual(result["resources"], {"total": 2, "accepted": 2, "rejected": 0})
        self.assertEqual(result["items"], {"total": 12, "accepted": 12, "rejected": 0})
        new = DataResource.objects.get(code="301001/000102")
        self.assertEqual((new.status, new.name, new.items.count()), (c.Status.DRAFT, "海宁市企业登记信息", 6))
        self.assertEqual(new.items.get(name="status").enum_values, ["存续", "注销"])
        self.assertEqual(new.items.get(name="legal_rep_id").mask_kind, "id_number")
        # importing the same file again replaces the drafts, it does not duplicate them
        again = import_catalogue(actor=self.p.clerk_a, content=out.getvalue())
        self.assertTrue(again["written"])
        self.assertEqual(DataResource.objects.count(), 4)
        self.assertEqual(DataItem.objects.filter(resource=new).count(), 6)

    def test_one_bad_row_writes_nothing_and_every_error_names_its_place(self):
        book = self.renumbered(200)
        book["目录"]["K3"] = "随便共享"  # 共享类型 of the second entry
        book["信息项"]["D9"] = "文本"  # 数据类型 of an item of the second entry
        book["信息项"].append(["301001/999999", "orphan", "孤立信息项", "字符型", 10, "否", "否", "", "", "", "L1", "", "",
                              ""])
        out = io.BytesIO()
        book.save(out)
        before = DataResource.objects.count()
        result = import_catalogue(actor=self.p.clerk_a, content=out.getvalue())
        self.assertFalse(result["written"])
        self.assertEqual(DataResource.objects.count(), before)
        self.assertEqual(result["resources"], {"total": 2, "accepted": 1, "rejected": 1})
        self.assertEqual(result["items"]["total"], 13)
        self.assertEqual(result["items"]["accepted"] + result["items"]["rejected"], 13)
        self.assertEqual(result["items"]["rejected"], 2)
        text = "\n".join(result["errors"])
        self.assertIn("工作表“目录”第3行K列“共享类型”：“随便共享”不是有效值", text)
        self.assertIn("工作表“信息项”第9行D列“数据类型”：“文本”不是有效值", text)
        self.assertIn("工作表“信息项”第14行A列“信息资源代码”：301001/999999 不在“目录”工作表中", text)

    def test_scope_and_state_rules(self):
        content = self.exported()  # the same codes, already published
        result = import_catalogue(actor=self.p.clerk_a, content=content)
        self.assertFalse(result["written"])
        self.assertIn("已发布，导入只能新建或替换草稿", "\n".join(result["errors"]))
        moved = rewrite(content, {("目录", 2, "B"): "000301", ("目录", 3, "B"): "000302"})
        result = import_catalogue(actor=self.p.outsider_b, content=moved)  # department A's entries
        self.assertIn("超出您的数据范围", "\n".join(result["errors"]))
        with self.assertRaises(PermissionDenied):
            import_catalogue(actor=self.p.citizen, content=content)
        with self.assertRaisesMessage(ServiceError, "不是有效的 XLSX"):
            import_catalogue(actor=self.p.clerk_a, content=b"not a workbook")
        empty = Workbook()
        empty.active.title = "目录"
        empty.active.append(["分类码"])
        out = io.BytesIO()
        empty.save(out)
        with self.assertRaisesMessage(ServiceError, "缺少"):
            import_catalogue(actor=self.p.clerk_a, content=out.getvalue())

    def test_the_import_and_export_pages(self):
        login(self.client, self.p.clerk_a)
        response = self.client.get("/catalog/export/")
        self.assertEqual(response.status_code, 200)
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book["目录"].max_row, 3)
        bad = rewrite(response.content, {("目录", 2, "C"): None})
        upload = io.BytesIO(bad)
        upload.name = "catalogue.xlsx"
        response = self.client.post("/catalog/import/", {"file": upload})
        self.assertContains(response, "整个文件未写入", status_code=400)
        self.assertContains(response, "第2行C列“信息资源名称”：不能为空", status_code=400)

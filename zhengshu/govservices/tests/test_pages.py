"""S1 pages and API: staff editing with review, findings, code tables, public guides, restrictions."""

from __future__ import annotations

from zhengshu.core.testing import ModelViewTestCase, PersonaTestCase
from zhengshu.govservices import services
from zhengshu.govservices.models import CodeValue, ItemStatus, ServiceItem
from zhengshu.govservices.tests.helpers import give_uscc, grant
from zhengshu.govservices.tests.test_catalogue import MATERIALS, item_data
from zhengshu.govservices.views import CODE_VALUE, FINDING


def published(p, dept, basic="330100001000", **overrides) -> ServiceItem:
    item = services.save_item(actor=p.clerk_a if dept == p.dept_a else p.outsider_b,
                              data=item_data(dept, implementation_code=dept.uscc + "4" + basic, **overrides),
                              materials=MATERIALS)
    services.submit_item(actor=p.clerk_a if dept == p.dept_a else p.outsider_b, item=item)
    services.approve_item(actor=p.dataofficer, item=item)
    return item


class CatalogueCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        give_uscc(cls.p)
        grant(cls.p)


class StaffPageTests(CatalogueCase):
    def form(self, dept, **overrides) -> dict:
        data = {k: v for k, v in item_data(dept, **overrides).items() if k != "department"}
        data["department"] = dept.pk
        data["legal_limit_unit"] = data["promised_limit_unit"] = "workday"
        data.update({"m-TOTAL_FORMS": "2", "m-INITIAL_FORMS": "0", "m-0-name": "营业执照", "m-0-originals": "0",
                     "m-0-copies": "1", "m-0-required": "on", "m-1-name": "场所证明", "m-1-originals": "0",
                     "m-1-copies": "1", "m-1-may_be_missing": "on", "m-1-missing_max_workdays": "3"})
        return data

    def test_a_clerk_drafts_and_submits_and_the_office_publishes(self):
        self.as_user("clerk_a")
        response = self.client.post("/services/items/add/", self.form(self.p.dept_a))
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        item = ServiceItem.objects.get()
        self.assertEqual((item.status, item.materials.count(), item.basic_code), ("draft", 2, "330100001000"))
        page = self.client.get(f"/services/items/{item.pk}/")
        self.assertContains(page, "提交审核")
        self.assertContains(page, "场所证明")
        self.assertNotContains(page, "审核发布")
        self.client.post(f"/services/items/{item.pk}/submit/")
        item.refresh_from_db()
        self.assertEqual(item.status, ItemStatus.REVIEW)
        self.client.post(f"/services/items/{item.pk}/approve/")  # a clerk cannot approve
        item.refresh_from_db()
        self.assertEqual(item.status, ItemStatus.REVIEW)
        self.as_user("dataofficer")
        queue = self.client.get("/services/review/")
        self.assertContains(queue, item.name)
        response = self.client.post(f"/services/items/{item.pk}/approve/", {"reason": "同意"})
        self.assertEqual(response.status_code, 302)
        item.refresh_from_db()
        self.assertEqual((item.status, item.published_version), ("published", 1))
        guide = self.client.get(f"/services/guide/{item.implementation_code}/")
        self.assertContains(guide, "场所证明")

    def test_the_forms_render_with_code_tables_and_existing_materials(self):
        item = services.save_item(actor=self.p.clerk_a, data=item_data(self.p.dept_a), materials=MATERIALS)
        self.as_user("clerk_a")
        listing = self.client.get("/services/items/")
        self.assertContains(listing, "/services/items/add/")
        page = self.client.get("/services/items/add/")
        self.assertContains(page, "01 行政许可")
        self.assertContains(page, "移动端网上申请")
        self.assertNotContains(page, self.p.dept_b.name)  # a clerk adds items for its own department only
        page = self.client.get(f"/services/items/{item.pk}/edit/")
        self.assertContains(page, 'value="经营场所使用证明"')
        self.as_user("outsider_b")
        self.assertEqual(self.client.get(f"/services/items/{item.pk}/edit/").status_code, 404)
        self.as_user("citizen")
        self.assertEqual(self.client.get("/services/items/add/").status_code, 403)

    def test_bad_input_is_shown_on_the_form(self):
        self.as_user("clerk_a")
        response = self.client.post("/services/items/add/", self.form(self.p.dept_a, implementation_code="123"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "31位", status_code=400)
        self.assertFalse(ServiceItem.objects.exists())

    def test_outsiders_cannot_see_drafts_nor_edit_published_items_of_another_department(self):
        draft = services.save_item(actor=self.p.clerk_a, data=item_data(self.p.dept_a), materials=MATERIALS)
        other = published(self.p, self.p.dept_a, basic="330100002000", name="个体工商户设立登记", item_type="07")
        self.as_user("outsider_b")
        self.assertEqual(self.client.get(f"/services/items/{draft.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/services/items/{other.pk}/").status_code, 200)  # published: readable
        self.assertEqual(self.client.get(f"/services/items/{other.pk}/edit/").status_code, 403)
        self.assertEqual(self.client.post(f"/services/items/{other.pk}/edit/", self.form(self.p.dept_a)).status_code,
                         403)
        listing = self.client.get("/services/items/")
        self.assertNotContains(listing, f"/services/items/{draft.pk}/")
        self.assertContains(listing, f"/services/items/{other.pk}/")
        response = self.client.get(f"/api/v1/services/items/{draft.pk}/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.client.patch(f"/api/v1/services/items/{other.pk}/", {"name": "x"},
                                           content_type="application/json").status_code, 403)

    def test_a_revision_of_a_published_item_is_a_draft_no_outsider_reads_by_any_path(self):
        """Editing a published item makes the working copy a draft: other departments see it by no page, no API,
        no export, while the version in force stays in the public guide."""
        item = published(self.p, self.p.dept_a, name="食品经营许可（新办）")
        services.save_item(actor=self.p.clerk_a, item=item, data={"name": "食品经营许可（拟修订稿）"},
                           materials=[*MATERIALS, {"name": "拟新增的秘密材料", "copies": 1}])
        secret = "拟修订稿"
        self.as_user("outsider_b")
        self.assertEqual(self.client.get(f"/services/items/{item.pk}/").status_code, 404)
        self.assertNotContains(self.client.get("/services/items/", {"q": "食品"}), secret)
        export = self.client.get("/services/items/", {"export": "xlsx"})
        self.assertEqual(export.status_code, 200)
        from io import BytesIO

        from openpyxl import load_workbook

        cells = [str(c) for row in load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True)
                 for c in row]
        self.assertFalse(any(secret in c for c in cells), cells[:20])
        self.assertEqual(self.client.get(f"/api/v1/services/items/{item.pk}/").status_code, 404)
        names = [i["name"] for i in self.client.get("/api/v1/services/items/").json()["results"]]
        self.assertNotIn("食品经营许可（拟修订稿）", names)
        materials = self.client.get("/api/v1/services/materials/", {"item": item.pk}).json()["results"]
        self.assertNotIn("拟新增的秘密材料", [m["name"] for m in materials])
        versions = self.client.get("/api/v1/services/versions/", {"item": item.pk}).json()["results"]
        self.assertEqual([v["data"]["name"] for v in versions], ["食品经营许可（新办）"])  # published: readable
        guide = self.client.get(f"/services/guide/{item.implementation_code}/")
        self.assertContains(guide, "食品经营许可（新办）")
        self.assertNotContains(guide, secret)
        self.assertNotContains(guide, "拟新增的秘密材料")
        index = self.client.get("/services/guide/", {"q": "食品"})
        self.assertContains(index, "食品经营许可（新办）")
        self.assertNotContains(index, secret)
        self.assertNotContains(self.client.get("/services/guide/", {"q": "拟修订稿"}), "食品经营许可")
        # its own department still works on it; once approved, everybody reads the new version
        self.as_user("colleague_a")
        self.assertContains(self.client.get(f"/services/items/{item.pk}/"), secret)
        services.submit_item(actor=self.p.clerk_a, item=item)
        services.approve_item(actor=self.p.dataofficer, item=item)
        self.as_user("outsider_b")
        self.assertContains(self.client.get(f"/services/items/{item.pk}/"), secret)

    def test_findings_are_shown_on_the_item_and_listed(self):
        item = services.save_item(actor=self.p.clerk_a, data=item_data(self.p.dept_a, visits=2),
                                  materials=MATERIALS)
        self.as_user("clerk_a")
        self.assertContains(self.client.get(f"/services/items/{item.pk}/"), "须填写必须现场办理原因说明")
        self.assertContains(self.client.get("/services/findings/?severity=error"), "须填写必须现场办理原因说明")


class GuideTests(CatalogueCase):
    def test_public_search_and_guide_need_no_login(self):
        food = published(self.p, self.p.dept_a, name="食品经营许可（新办）")
        build = published(self.p, self.p.dept_b, basic="330100003000", name="建筑工程施工许可证核发",
                          keywords="施工许可")
        draft = services.save_item(actor=self.p.clerk_a, data=item_data(
            self.p.dept_a, implementation_code=self.p.dept_a.uscc + "4330700004000", name="个体工商户设立登记",
            item_type="07"))
        self.client.logout()
        page = self.client.get("/services/guide/", {"q": "经营"})
        self.assertContains(page, food.name)
        self.assertNotContains(page, build.name)
        self.assertContains(self.client.get("/services/guide/", {"q": "住房和城乡"}), build.name)  # by department
        self.assertContains(self.client.get("/services/guide/", {"q": "施工许可"}), build.name)
        self.assertNotContains(self.client.get("/services/guide/", {"q": "个体"}), draft.name)  # drafts stay hidden
        page = self.client.get("/services/guide/", {"department": self.p.dept_b.pk, "type": "01"})
        self.assertContains(page, build.name)
        self.assertNotContains(page, food.name)
        guide = self.client.get(f"/services/guide/{food.implementation_code}/")
        self.assertContains(guide, "营业执照")
        self.assertContains(guide, "可容缺，3个工作日内补齐")
        self.assertContains(guide, "全程网办")
        self.assertEqual(self.client.get(f"/services/guide/{draft.implementation_code}/").status_code, 404)

    def test_citizens_find_items_by_colloquial_and_partial_names(self):
        names = {"个体工商户设立登记": "07", "社会保障卡申领": "20", "住房公积金提取（购房）": "20",
                 "内地居民婚姻登记": "07", "食品经营许可（新办）": "01"}
        for n, (name, kind) in enumerate(names.items()):
            published(self.p, self.p.dept_a, basic=f"33{kind}0000{n}000", name=name, item_type=kind)

        def found(query):
            page = self.client.get("/services/guide/", {"q": query}).content.decode()
            return [name for name in names if name in page]

        self.client.logout()
        self.assertEqual(found("开个体户"), ["个体工商户设立登记"])
        self.assertEqual(found("社保卡怎么补办？"), ["社会保障卡申领"])
        self.assertEqual(found("公积金提取"), ["住房公积金提取（购房）"])
        self.assertEqual(found("我想结婚"), ["内地居民婚姻登记"])
        self.assertEqual(found("食品许可"), ["食品经营许可（新办）"])  # by shared character pairs
        self.assertEqual(found("火箭发射"), [])

    def test_the_apply_button_appears_only_when_the_cases_app_provides_it(self):
        from django.urls import NoReverseMatch, reverse

        food = published(self.p, self.p.dept_a)
        page = self.client.get(f"/services/guide/{food.implementation_code}/").content.decode()
        try:
            url = reverse("cases:apply", args=[food.implementation_code])
        except NoReverseMatch:
            self.assertNotIn("在线申请", page)
        else:
            self.assertIn(url, page)


class CodeValuePageTests(ModelViewTestCase):
    config = CODE_VALUE
    api_url = "/api/v1/services/codes/"
    reader = "clerk_a"
    writer = "dataofficer"
    outsider = None

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        grant(cls.p)

    def make_object(self):
        return CodeValue.objects.get(table="item_type", code="01")

    def form_data(self):
        return {"table": "item_type", "code": "30", "name": "政府内部审批（本地）", "sort": "300", "active": "on"}

    def api_data(self):
        return {"table": "item_type", "code": "31", "name": "依申请便民服务", "sort": 310, "active": True}

    def edit_changes(self):
        return {"table": "item_type", "code": "01", "name": "行政许可事项"}


class FindingPageTests(ModelViewTestCase):
    config = FINDING
    api_url = "/api/v1/services/items/"
    reader = "clerk_a"
    outsider = "outsider_b"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        give_uscc(cls.p)
        grant(cls.p)

    def make_object(self):
        item = services.save_item(actor=self.p.clerk_a, data=item_data(self.p.dept_a, visits=2),
                                  materials=MATERIALS)
        return item.findings.first()

    def api_detail(self, obj):
        return f"/api/v1/services/items/{obj.item_id}/"

    def test_it_lists_and_shows_the_object_to_its_reader(self):
        self.as_user(self.reader)
        response = self.client.get(self.url("list"))
        self.assertContains(response, self.url("detail", self.obj))
        self.assertEqual(self.client.get(self.url("detail", self.obj)).status_code, 200)
        data = self.client.get(self.api_detail(self.obj)).json()
        self.assertIn(self.obj.message, [f["message"] for f in data["findings"]])


class ItemApiTests(CatalogueCase):
    def test_create_submit_approve_through_the_api(self):
        self.as_user("clerk_a")
        payload = {k: v for k, v in item_data(self.p.dept_a).items() if k != "department"}
        payload.update(department=self.p.dept_a.pk, materials=MATERIALS)
        response = self.client.post("/api/v1/services/items/", payload, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual((body["status"], len(body["materials"]), body["full_online"]), ("draft", 2, True))
        pk = body["id"]
        self.assertEqual(self.client.post(f"/api/v1/services/items/{pk}/submit/").json()["status"], "review")
        refused = self.client.post(f"/api/v1/services/items/{pk}/approve/")
        self.assertEqual(refused.status_code, 403)
        self.assertEqual(set(refused.json()), {"detail", "errors"})
        self.as_user("dataofficer")
        bad = self.client.post(f"/api/v1/services/items/{pk}/return/", {"reason": ""}, content_type="application/json")
        self.assertEqual(bad.status_code, 409)
        self.assertIn("理由", bad.json()["detail"])
        done = self.client.post(f"/api/v1/services/items/{pk}/approve/", {"note": "同意"},
                                content_type="application/json")
        self.assertEqual(done.status_code, 200, done.content)
        self.assertEqual((done.json()["status"], done.json()["published_version"]), ("published", 1))
        versions = self.client.get("/api/v1/services/versions/", {"item": pk}).json()["results"]
        self.assertEqual([v["version"] for v in versions], [1])
        self.assertEqual(self.client.delete(f"/api/v1/services/items/{pk}/").status_code, 403)  # reviewer: no delete
        self.as_user("clerk_a")
        gone = self.client.delete(f"/api/v1/services/items/{pk}/")
        self.assertEqual(gone.status_code, 409)  # published items are withdrawn, never deleted
        materials = self.client.get("/api/v1/services/materials/", {"item": pk}).json()["results"]
        self.assertEqual({m["name"] for m in materials}, {"营业执照", "经营场所使用证明"})


class ImportPageTests(CatalogueCase):
    def test_the_office_checks_then_imports_a_file_and_clerks_cannot(self):
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["事项名称", "实施编码", "事项类型", "实施主体", "承诺办结时限", "常见问题", "办理流程"])
        writer.writerow(["食品经营许可", self.p.dept_a.uscc + "4330100001000", "许可", self.p.dept_a.name, "5个工作日",
                         "问：？答：。", "申请→受理"])
        data = buffer.getvalue().encode("gbk")

        def upload(name="事项.csv", content=data):
            from django.core.files.uploadedfile import SimpleUploadedFile

            return SimpleUploadedFile(name, content, content_type="application/octet-stream")

        self.as_user("clerk_a")
        self.assertEqual(self.client.get("/services/import/").status_code, 403)
        self.as_user("dataofficer")
        page = self.client.post("/services/import/", {"files": upload(), "dry_run": "on"})
        self.assertContains(page, "新建 1")
        self.assertFalse(ServiceItem.objects.exists())
        page = self.client.post("/services/import/", {"files": upload()})
        self.assertContains(page, "新建 1")
        self.assertEqual(ServiceItem.objects.get().department, self.p.dept_a)
        bad = self.client.post("/services/import/", {"files": upload("x.pdf", b"%PDF-1.4")})
        self.assertEqual(bad.status_code, 400)
        self.assertContains(bad, "不支持的文件类型", status_code=400)



class QueryCountTests(CatalogueCase):
    """Lists and guides cost the same number of queries for 4 items as for 16 (no query per row)."""

    def test_no_query_per_row_on_lists_guides_and_the_api(self):
        import shutil
        import tempfile
        from pathlib import Path

        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from zhengshu.govservices.catalogue_io import import_catalogue
        from zhengshu.govservices.tests.helpers import catalogue_rows, write_csv

        items, materials = catalogue_rows(self.p, 16)
        tmp = Path(tempfile.mkdtemp(prefix="zs-govservices-"))
        self.addCleanup(shutil.rmtree, tmp, True)
        urls = ("/services/items/", "/services/guide/", "/services/findings/", "/api/v1/services/items/",
                "/api/v1/services/materials/", f"/services/guide/{items[0][2]}/")
        counts = {}
        for size in (4, 16):
            chosen = {r[2] for r in items[:size]}
            import_catalogue([write_csv(tmp, f"c{size}", items[:size], [m for m in materials if m[0] in chosen],
                                        "utf-8")], publish=True)
            self.as_user("auditor")
            for url in urls:
                with CaptureQueriesContext(connection) as queries:
                    self.assertEqual(self.client.get(url).status_code, 200, url)
                counts[(url, size)] = len(queries)
        for url in urls:
            self.assertEqual(counts[(url, 4)], counts[(url, 16)], (url, counts[(url, 4)], counts[(url, 16)]))

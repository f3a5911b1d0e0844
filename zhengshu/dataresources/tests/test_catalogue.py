"""Catalogue workflow (D1): a department drafts, the data office reviews and publishes, versions,
withdrawal; data scope (an outsider never sees another department's drafts); the pipeline schema
and the live counts the cockpit reads."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from zhengshu.core.services import ServiceError
from zhengshu.core.testing import login
from zhengshu.dataresources import choices as c
from zhengshu.dataresources import services
from zhengshu.dataresources.models import DataItem, DataResource, ResourceVersion
from zhengshu.dataresources.selectors import catalogue_counts, pipeline_schema, search
from zhengshu.dataresources.tests.helpers import ENTERPRISE_ITEMS, published_resource, resource_data, world


class CatalogueWorkflowTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = world()

    def draft(self, **overrides):
        return services.create_resource(actor=self.p.clerk_a, department=self.p.dept_a,
                                        data=resource_data(**overrides), items=[dict(i) for i in ENTERPRISE_ITEMS])

    def test_draft_review_publish_and_labels_carried_to_items(self):
        resource = self.draft()
        self.assertEqual((resource.code, resource.status), ("301001/000001", c.Status.DRAFT))
        item = resource.items.get(name="uscc")
        self.assertEqual(item.labels["open_type"], c.OpenType.UNCONDITIONAL)
        self.assertEqual(item.labels["resource_grade"], "L3")
        services.submit_resource(actor=self.p.clerk_a, resource=resource)
        with self.assertRaises(PermissionDenied):
            services.review_resource(actor=self.p.clerk_a, resource=resource, approve=True)
        with self.assertRaises(ServiceError):
            services.review_resource(actor=self.p.dataofficer, resource=resource, approve=False, comment="")
        services.review_resource(actor=self.p.dataofficer, resource=resource, approve=True, comment="同意")
        resource.refresh_from_db()
        self.assertEqual(resource.status, c.Status.PUBLISHED)
        self.assertIsNotNone(resource.published_at)
        self.assertEqual(ResourceVersion.objects.get(resource=resource).snapshot["items"][0]["name"], "uscc")

    def test_revisions_are_versioned_and_exposure_changes_go_back_to_review(self):
        resource = published_resource(self.p)
        with self.assertRaises(ServiceError):  # a published entry needs a change note
            services.update_resource(actor=self.p.clerk_a, resource=resource, data={"summary": "新的摘要内容"})
        services.update_resource(actor=self.p.clerk_a, resource=resource, data={"summary": "新的摘要内容"},
                                 note="补充摘要")
        resource.refresh_from_db()
        self.assertEqual((resource.version, resource.status), (2, c.Status.PUBLISHED))
        services.update_resource(actor=self.p.clerk_a, resource=resource,
                                 data={"open_type": c.OpenType.PROHIBITED}, note="改为禁止开放")
        resource.refresh_from_db()
        self.assertEqual((resource.version, resource.status), (3, c.Status.SUBMITTED))
        self.assertEqual(list(resource.versions.values_list("version", flat=True)), [3, 2, 1])
        self.assertEqual(resource.items.get(name="uscc").labels["open_type"], c.OpenType.PROHIBITED)

    def test_rules_of_the_guide_and_the_grading(self):
        with self.assertRaises(ValidationError) as ctx:
            self.draft(grade="L4")
        self.assertIn("open_type", ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:
            self.draft(share_condition="")
        self.assertIn("share_condition", ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:
            self.draft(category_code="201001")  # 类 2 is 主题, the class says 部门 (3)
        self.assertIn("category_code", ctx.exception.message_dict)
        with self.assertRaises(ValidationError) as ctx:
            self.draft(origin="national")
        self.assertIn("origin_note", ctx.exception.message_dict)
        with self.assertRaises(ValidationError):  # an item graded above its resource
            services.create_resource(actor=self.p.clerk_a, department=self.p.dept_a,
                                     data=resource_data(grade="L1"), items=[dict(i) for i in ENTERPRISE_ITEMS])
        self.assertFalse(DataResource.objects.exists())

    def test_outsider_cannot_draft_for_another_department(self):
        with self.assertRaises(PermissionDenied):
            services.create_resource(actor=self.p.outsider_b, department=self.p.dept_a, data=resource_data(),
                                     items=[dict(i) for i in ENTERPRISE_ITEMS])
        self.assertFalse(DataResource.objects.exists())

    def test_outsider_does_not_see_drafts_of_another_department_in_pages_and_api(self):
        draft = self.draft()
        login(self.client, self.p.outsider_b)
        self.assertNotContains(self.client.get("/catalog/resources/"), draft.name)
        self.assertContains(self.client.get("/catalog/resources/", {"q": draft.code}), "共 0 条")
        import io

        from openpyxl import load_workbook

        for url in ("/catalog/resources/?export=xlsx", "/catalog/export/"):  # both XLSX exports
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            cells = {str(v) for ws in load_workbook(io.BytesIO(response.content)).worksheets
                     for row in ws.iter_rows(values_only=True) for v in row if v is not None}
            self.assertNotIn(draft.name, cells, url)
        for path in ("/open/datasets/?q=企业登记", f"/open/dataset/{draft.slug}/", f"/open/dataset/{draft.slug}.jsonld",
                     f"/open/dataset/{draft.slug}/download/csv", f"/api/3/action/package_show?id={draft.slug}",
                     "/api/3/action/package_search?q=企业登记", "/catalog.jsonld"):
            response = self.client.get(path)
            self.assertNotIn(draft.name, response.content.decode(), path)
        self.assertEqual(self.client.get(f"/catalog/resources/{draft.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/api/v1/catalog/resources/{draft.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/catalog/resources/{draft.pk}/edit/").status_code, 404)
        self.assertEqual(self.client.post(f"/catalog/resources/{draft.pk}/submit/").status_code, 404)
        login(self.client, self.p.colleague_a)  # the same department sees it
        self.assertContains(self.client.get(f"/catalog/resources/{draft.pk}/"), draft.name)
        services.submit_resource(actor=self.p.clerk_a, resource=draft)
        services.review_resource(actor=self.p.dataofficer, resource=draft, approve=True)
        login(self.client, self.p.outsider_b)  # once published, every department sees it
        response = self.client.get(f"/catalog/resources/{draft.pk}/")
        self.assertContains(response, draft.name)
        self.assertContains(response, "申请共享")
        self.assertNotContains(response, "/edit/")

    def test_items_and_versions_follow_the_scope_of_their_resource(self):
        draft = self.draft()
        published = published_resource(self.p, sequence="000002")
        for model in (DataItem, ResourceVersion):
            seen = set(model.objects.restrict(self.p.outsider_b, "view").values_list("resource_id", flat=True))
            self.assertEqual(seen, {published.pk}, model)
        self.assertFalse(self.p.outsider_b.has_perm("dataresources.view_dataitem", draft.items.first()))
        self.assertTrue(self.p.colleague_a.has_perm("dataresources.view_dataitem", draft.items.first()))

    def test_pages_create_submit_review_and_withdraw(self):
        login(self.client, self.p.clerk_a)
        form = {k: v for k, v in resource_data().items() if v is not None}
        form["department"] = self.p.dept_a.pk
        form.update({"items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0",
                     "items-MAX_NUM_FORMS": "1000",
                     "items-0-name": "uscc", "items-0-label": "统一社会信用代码", "items-0-data_type": "string",
                     "items-0-max_length": "18", "items-0-grade": "L1", "items-0-required": "on",
                     "items-1-name": "ent_name", "items-1-label": "企业名称", "items-1-data_type": "string",
                     "items-1-grade": "L1", "items-1-enum_text": ""})
        response = self.client.post("/catalog/resources/add/", form)
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        resource = DataResource.objects.get()
        self.assertEqual(list(resource.items.values_list("name", flat=True)), ["uscc", "ent_name"])
        self.client.post(f"/catalog/resources/{resource.pk}/submit/")
        login(self.client, self.p.dataofficer)
        self.assertContains(self.client.get("/catalog/review/"), resource.code)
        self.client.post(f"/catalog/resources/{resource.pk}/approve/", {"comment": "同意"})
        resource.refresh_from_db()
        self.assertEqual(resource.status, c.Status.PUBLISHED)
        self.client.post(f"/catalog/resources/{resource.pk}/withdraw/", {"comment": "数据已停止采集"})
        resource.refresh_from_db()
        self.assertEqual(resource.status, c.Status.WITHDRAWN)

    def test_pipeline_schema_shape(self):
        resource = published_resource(self.p)
        schema = pipeline_schema(resource.code)
        self.assertEqual(set(schema), {"resource", "name", "provider", "key", "items"})
        self.assertEqual((schema["resource"], schema["provider"], schema["key"]), (resource.code, "HN-SJJ", ["uscc"]))
        items = {i["name"]: i for i in schema["items"]}
        self.assertEqual(set(items["uscc"]), {"name", "label", "type", "required", "max_length", "enum", "unit",
                                              "sensitive", "check", "link"})
        self.assertEqual((items["uscc"]["check"], items["uscc"]["link"], items["uscc"]["required"]),
                         ("uscc", "uscc", True))
        self.assertEqual((items["legal_rep_id"]["check"], items["legal_rep_id"]["sensitive"]), ("idcard", True))
        self.assertEqual(items["status"]["enum"], ["存续", "注销"])
        self.assertEqual((items["reg_capital"]["type"], items["reg_capital"]["unit"]), ("decimal", "万元"))
        self.assertIsNone(items["ent_name"]["check"])
        self.assertIsNone(pipeline_schema("999999/000000"))

    def test_catalogue_counts_are_live(self):
        published_resource(self.p)
        published_resource(self.p, sequence="000002", share_type=c.ShareType.NONE, share_condition="涉及国家安全",
                           open_type=c.OpenType.PROHIBITED)
        self.draft(sequence="000003")  # drafts are not counted
        counts = catalogue_counts()
        self.assertEqual((counts["total"], counts["shareable"], counts["openable"]), (2, 1, 1))
        self.assertEqual(counts["by_department"], [{"code": "HN-SJJ", "name": "海宁市市场监督管理局", "total": 2,
                                                    "shareable": 1, "openable": 1}])
        self.assertEqual(catalogue_counts(department="HN-ZJJ")["total"], 0)

    def test_chinese_search_on_bigrams(self):
        published_resource(self.p)
        published_resource(self.p, sequence="000002", name="海宁市食品经营许可信息", summary="食品经营许可证",
                           keywords="食品 许可")
        names = lambda q: list(search(DataResource.objects.all(), q).values_list("name", flat=True))  # noqa: E731
        self.assertEqual(names("企业登记")[0], "海宁市企业登记信息")  # all 3 keys; the other has 企业 and 登记 in items
        self.assertEqual(names("食品许可"), ["海宁市食品经营许可信息"])  # bigram 品许 missing, 2 of 3 keys match
        self.assertEqual(len(names("法定代表人")), 2)  # found through an item label
        self.assertEqual(names("公交线路"), [])
        self.assertEqual(names("301001/000002"), ["海宁市食品经营许可信息"])

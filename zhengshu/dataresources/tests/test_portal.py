"""The public portal (D6): anonymous browsing and Chinese search, a dataset page whose preview masks
personal fields by grading, downloads as CSV/XLSX/JSON, and 受限开放 data after an approved application."""

import csv
import io
import json

from django.test import TestCase
from openpyxl import load_workbook

from zhengshu.core.services import ServiceError
from zhengshu.core.testing import login
from zhengshu.dataresources import choices as c
from zhengshu.dataresources import services
from zhengshu.dataresources.models import DataResource, OpenApplication, Showcase
from zhengshu.dataresources.tests.helpers import ENTERPRISE_ITEMS, published_resource, resource_data, world


class PortalTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = world()
        cls.open = published_resource(cls.p)
        cls.restricted = published_resource(cls.p, sequence="000002", name="海宁市企业年度报告信息",
                                            open_type=c.OpenType.RESTRICTED, open_condition="经数据办审核后使用",
                                            keywords="年报")
        cls.closed = published_resource(cls.p, sequence="000003", name="海宁市企业内部监管信息",
                                        open_type=c.OpenType.PROHIBITED)

    def test_anonymous_browse_and_search(self):
        home = self.client.get("/open/")
        self.assertContains(home, "已开放 <strong>2</strong> 个数据集")
        response = self.client.get("/open/datasets/", {"q": "企业登记"})
        self.assertContains(response, self.open.name)
        self.assertNotContains(response, self.closed.name)  # 禁止开放 never appears
        response = self.client.get("/open/datasets/", {"open_type": "restricted"})
        self.assertContains(response, self.restricted.name)
        self.assertNotContains(response, "海宁市企业登记信息</a>")
        response = self.client.get("/open/datasets/", {"org": "HN-SJJ", "theme": "market"})
        self.assertContains(response, "共找到 <strong>2</strong>")
        self.assertContains(self.client.get("/open/datasets/", {"q": "公交线路"}), "共找到 <strong>0</strong>")
        self.assertEqual(self.client.get(f"/open/dataset/{self.closed.slug}/").status_code, 404)

    def test_preview_masks_personal_fields_and_l3_values(self):
        page = self.client.get(f"/open/dataset/{self.open.slug}/")
        self.assertContains(page, "海宁市示范皮革有限公司")  # L1 in full
        self.assertNotContains(page, "33048119850620002X")
        self.assertContains(page, "330481********002X")  # core.masking of an ID number
        self.assertNotContains(page, "钱芳")
        self.assertContains(page, "钱*")
        self.assertContains(page, "欧***")
        self.assertNotContains(page, "1200.5")  # L3 value masked in the preview
        self.assertContains(page, "1***")

    def test_downloads_in_three_formats_are_masked_too(self):
        response = self.client.get(f"/open/dataset/{self.open.slug}/download/csv")
        self.assertEqual(response.status_code, 200)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:2], ["统一社会信用代码", "企业名称"])
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[1][3], "330481********002X")
        self.assertIn("filename*=UTF-8''", response["Content-Disposition"])
        body = json.loads(self.client.get(f"/open/dataset/{self.open.slug}/download/json").content)
        self.assertEqual(body["rows"][1]["legal_rep"], "欧***")
        response = self.client.get(f"/open/dataset/{self.open.slug}/download/xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet.cell(2, 2).value, "海宁市示范皮革有限公司")
        self.assertEqual(sheet.max_row, 3)
        self.open.refresh_from_db()
        self.assertEqual(self.open.download_count, 3)

    def test_restricted_data_needs_an_approved_application(self):
        url = f"/open/dataset/{self.restricted.slug}/download/csv"
        self.assertEqual(self.client.get(url).status_code, 302)  # anonymous: to the login page
        login(self.client, self.p.citizen)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertContains(self.client.get(f"/open/dataset/{self.restricted.slug}/"), "申请使用")
        response = self.client.post(f"/open/dataset/{self.restricted.slug}/apply/", {"kind": "user", "purpose": "看"})
        self.assertContains(response, "用途", status_code=400)
        response = self.client.post(f"/open/dataset/{self.restricted.slug}/apply/",
                                    {"kind": "user", "purpose": "研究海宁市企业经营状况"})
        self.assertEqual(response.status_code, 302)
        application = OpenApplication.objects.get()
        self.assertEqual(self.client.get(url).status_code, 403)  # not yet approved
        with self.assertRaises(ServiceError):
            services.apply_open_data(actor=self.p.citizen, resource=self.restricted, purpose="再次申请相同数据")
        services.review_open_application(actor=self.p.dataofficer, application=application, approve=True)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[2][4], "1200.5")  # L3 in full for the approved applicant
        self.assertEqual(rows[2][3], "330481********0037")  # personal data still masked
        from zhengshu.core.models.changelog import ChangeLogEntry

        logged = ChangeLogEntry.objects.filter(action="export", object_id=str(self.restricted.pk)).get()
        self.assertEqual(logged.actor_id, self.p.citizen.pk)
        self.assertIn(f"开放数据申请 #{application.pk}", logged.message)
        self.client.get(f"/open/dataset/{self.open.slug}/download/csv")  # 无条件开放: counted, not logged per user
        self.assertEqual(ChangeLogEntry.objects.filter(action="export").count(), 1)
        login(self.client, self.p.enterprise)  # another user's approval does not carry over
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_operator_application_checks_the_uscc_and_staff_cannot_apply(self):
        with self.assertRaisesMessage(ServiceError, "统一社会信用代码"):
            services.apply_open_data(actor=self.p.enterprise, resource=self.restricted, purpose="授权运营开发应用",
                                     kind=c.ApplicantKind.OPERATOR, organisation="海宁数据运营有限公司",
                                     uscc="91330481MA2B00000X")
        services.apply_open_data(actor=self.p.enterprise, resource=self.restricted, purpose="授权运营开发应用",
                                 kind=c.ApplicantKind.OPERATOR, organisation="海宁数据运营有限公司",
                                 uscc="91330481MA2B00000Y")
        login(self.client, self.p.outsider_b)
        response = self.client.post(f"/open/dataset/{self.restricted.slug}/apply/", {"purpose": "部门人员试图申请"})
        self.assertContains(response, "不能申请", status_code=400)
        self.assertEqual(OpenApplication.objects.count(), 1)

    def test_the_data_office_reviews_on_its_page_and_applicants_see_only_their_own(self):
        application = services.apply_open_data(actor=self.p.citizen, resource=self.restricted, purpose="研究企业经营")
        login(self.client, self.p.enterprise)
        self.assertEqual(self.client.get(f"/catalog/openapplications/{application.pk}/").status_code, 404)
        login(self.client, self.p.dataofficer)
        self.client.post(f"/catalog/openapplications/{application.pk}/", {"approve": "0", "opinion": "用途不明确"})
        application.refresh_from_db()
        self.assertEqual((application.status, application.opinion), (c.OpenApplicationStatus.REJECTED, "用途不明确"))

    def test_the_showcase_names_only_open_datasets(self):
        draft = services.create_resource(actor=self.p.clerk_a, department=self.p.dept_a,
                                         data=resource_data(sequence="000004", name="海宁市企业草稿目录"),
                                         items=[dict(i) for i in ENTERPRISE_ITEMS])
        showcase = Showcase.objects.create(title="皮革城商户信用地图", team="海宁某科技有限公司", summary="基于开放数据的应用")
        showcase.resources.set([self.open, self.closed, draft])
        page = self.client.get("/open/showcase/")
        self.assertContains(page, "皮革城商户信用地图")
        self.assertContains(page, self.open.name)
        self.assertNotContains(page, self.closed.name)  # 禁止开放
        self.assertNotContains(page, draft.name)  # a draft never reaches the public

    def test_withdrawn_datasets_leave_the_portal(self):
        services.withdraw_resource(actor=self.p.dataofficer, resource=self.open, reason="停止更新")
        self.assertEqual(self.client.get(f"/open/dataset/{self.open.slug}/").status_code, 404)
        self.assertEqual(self.client.get(f"/open/dataset/{self.open.slug}/download/csv").status_code, 404)
        self.assertEqual(DataResource.objects.get(pk=self.open.pk).status, c.Status.WITHDRAWN)

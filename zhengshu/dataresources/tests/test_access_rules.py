"""Every custom page refuses those it is not for: anonymous users go to the login page, staff without the
grant get 403, objects outside a user's scope answer 404 (DESIGN §3.9)."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from zhengshu.core.testing import login
from zhengshu.dataresources import services
from zhengshu.dataresources.tests.helpers import ENTERPRISE_ITEMS, published_resource, resource_data, world


class AccessRuleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = world()
        cls.resource = published_resource(cls.p)
        cls.draft = services.create_resource(actor=cls.p.clerk_a, department=cls.p.dept_a,
                                             data=resource_data(sequence="000002"),
                                             items=[dict(i) for i in ENTERPRISE_ITEMS])
        today = timezone.localdate()
        cls.share = services.request_share(actor=cls.p.outsider_b, resource=cls.resource, purpose="核验企业信息",
                                           item_names=["uscc"], period_start=today,
                                           period_end=today + timedelta(days=10))
        services.provider_review_share(actor=cls.p.clerk_a, request=cls.share, approve=True)
        services.office_review_share(actor=cls.p.dataofficer, request=cls.share, approve=True)
        cls.grant = cls.share.grant

    def test_anonymous_users_go_to_login(self):
        for url in ("/catalog/resources/", f"/catalog/resources/{self.resource.pk}/", "/catalog/review/",
                    "/catalog/import/", "/catalog/export/", f"/catalog/sharerequests/{self.share.pk}/",
                    f"/catalog/sharegrants/{self.grant.pk}/", f"/open/dataset/{self.resource.slug}/apply/"):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn("/accounts/login/", response["Location"])
        self.assertIn(self.client.get("/api/v1/catalog/resources/").status_code, (401, 403))

    def test_staff_without_the_grant_get_403(self):
        login(self.client, self.p.clerk_a)
        self.assertEqual(self.client.get("/catalog/review/").status_code, 403)
        self.assertEqual(self.client.post(f"/catalog/resources/{self.draft.pk}/approve/").status_code, 403)
        self.assertEqual(self.client.post(f"/catalog/resources/{self.resource.pk}/withdraw/",
                                          {"comment": "不要了"}).status_code, 403)
        self.assertEqual(self.client.post(f"/catalog/sharegrants/{self.grant.pk}/", {"reason": "撤销"}).status_code, 403)
        login(self.client, self.p.citizen)
        for url in ("/catalog/import/", "/catalog/export/", "/catalog/resources/add/", "/catalog/review/"):
            self.assertEqual(self.client.get(url).status_code, 403, url)
        login(self.client, self.p.auditadmin)
        self.assertEqual(self.client.post(f"/catalog/resources/{self.resource.pk}/share/", {}).status_code, 403)

    def test_objects_outside_the_scope_answer_404(self):
        login(self.client, self.p.town_clerk)
        for url in (f"/catalog/resources/{self.draft.pk}/", f"/catalog/resources/{self.draft.pk}/edit/",
                    f"/catalog/sharerequests/{self.share.pk}/", f"/catalog/sharegrants/{self.grant.pk}/",
                    f"/api/v1/catalog/resources/{self.draft.pk}/", f"/api/v1/catalog/grants/{self.grant.pk}/",
                    f"/api/v1/catalog/share-requests/{self.share.pk}/"):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        ids = [r["id"] for r in self.client.get("/api/v1/catalog/resources/").json()["results"]]
        self.assertEqual(ids, [self.resource.pk])
        login(self.client, self.p.auditor)  # reads the whole city, drafts included
        self.assertEqual(self.client.get(f"/catalog/resources/{self.draft.pk}/").status_code, 200)
        ids = {r["id"] for r in self.client.get("/api/v1/catalog/resources/").json()["results"]}
        self.assertEqual(ids, {self.resource.pk, self.draft.pk})

    def test_the_export_holds_only_what_the_user_may_see(self):
        import io

        from openpyxl import load_workbook

        login(self.client, self.p.outsider_b)
        book = load_workbook(io.BytesIO(self.client.get("/catalog/export/").content))
        self.assertEqual([r[0].value for r in book["目录"].iter_rows(min_row=2)], ["301001"])
        self.assertEqual(book["目录"]["B2"].value, "000001")

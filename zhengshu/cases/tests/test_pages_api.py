"""Pages and API: queues, case page actions, online application with an upload, 我的办件, metrics drill-down;
the outsider gets 404 everywhere; the API runs transitions through the services with the one error shape."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from zhengshu.cases import services
from zhengshu.cases.choices import CaseStatus
from zhengshu.cases.models import Case
from zhengshu.cases.tests.factories import PDF, applicant, make_item, personas
from zhengshu.core.testing import login


class PageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = personas()
        cls.item = make_item(cls.p.dept_a)
        cls.case = services.submit_application(actor=cls.p.clerk_a, item=cls.item, **applicant(1))

    def as_user(self, name):
        user = getattr(self.p, name)
        user.clear_permission_cache()
        self.client.logout()
        login(self.client, user)
        return user

    def test_the_clerk_works_a_case_from_the_queue(self):
        self.as_user("clerk_a")
        response = self.client.get("/cases/?queue=intake")
        self.assertContains(response, self.case.number)
        page = self.client.get(f"/cases/{self.case.pk}/")
        self.assertContains(page, "受理")
        self.assertContains(page, "330481********")  # the ID number is masked
        response = self.client.post(f"/cases/{self.case.pk}/do/accept/")
        self.assertEqual(response.status_code, 302)
        self.case.refresh_from_db()
        self.assertEqual(self.case.status, CaseStatus.ACCEPTED)
        response = self.client.post(f"/cases/{self.case.pk}/do/conclude/", follow=True)
        self.assertContains(response, "不能办结")  # illegal transition shown as a message
        self.assertContains(self.client.get("/cases/?queue=open"), self.case.number)
        self.assertEqual(self.client.get("/cases/?queue=open&level=town").context["rows"], [])

    def test_the_outsider_gets_404_and_the_town_clerk_sees_nothing_of_the_city(self):
        self.as_user("outsider_b")
        self.assertEqual(self.client.get(f"/cases/{self.case.pk}/").status_code, 404)
        self.assertEqual(self.client.post(f"/cases/{self.case.pk}/do/accept/").status_code, 404)
        self.assertNotContains(self.client.get("/cases/?queue=intake"), self.case.number)
        self.as_user("town_clerk")
        self.assertNotContains(self.client.get("/cases/all/"), self.case.number)

    def test_a_citizen_applies_online_with_an_upload_and_follows_the_case(self):
        citizen = self.as_user("citizen")
        url = f"/cases/apply/{self.item.implementation_code}/"
        page = self.client.get(url)
        self.assertContains(page, citizen.id_number)
        self.assertContains(page, "单个文件不超过 20 MB")
        material = self.item.materials.get(name="申请书")
        response = self.client.post(url, {
            "applicant_kind": "person", "applicant_name": "张伟", "applicant_id_number": citizen.id_number,
            "contact_name": "张伟", "contact_phone": "13905730001", "purpose": "开小餐馆",
            f"material_{material.pk}": SimpleUploadedFile("申请书.pdf", PDF, content_type="application/pdf"),
        })
        self.assertEqual(response.status_code, 302)
        case = Case.objects.get(applicant_user=citizen)
        self.assertEqual((case.channel, case.attachments.get().material), ("2", material))
        self.assertContains(self.client.get("/cases/mine/"), case.number)
        download = self.client.get(f"/cases/attachments/{case.attachments.get().pk}/")
        self.assertEqual(b"".join(download.streaming_content), PDF)
        self.assertEqual(self.client.get(f"/cases/{self.case.pk}/").status_code, 404)  # not the citizen's
        bad = self.client.post(url, {"applicant_kind": "person", "applicant_name": "张伟",
                                     "applicant_id_number": citizen.id_number,
                                     f"material_{material.pk}": SimpleUploadedFile("x.exe", b"MZ")})
        self.assertContains(bad, "不是允许的类型", status_code=400)

    def test_guessing_case_and_upload_ids_shows_another_applicant_nothing(self):
        citizen = self.p.citizen
        case = services.submit_application(actor=citizen, item=self.item, applicant_name="张伟",
                                           applicant_id_number=citizen.id_number, channel="2",
                                           files=[("申请书", "申请书.pdf", PDF)])
        attachment = case.attachments.get()
        self.as_user("enterprise")  # another applicant, trying the neighbouring ids
        for url in (f"/cases/{case.pk}/", f"/cases/{case.pk + 1}/", f"/cases/attachments/{attachment.pk}/",
                    f"/cases/attachments/{attachment.pk + 1}/", f"/api/v1/cases/cases/{case.pk}/"):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(f"/cases/{case.pk}/do/withdraw/").status_code, 404)
        self.assertNotContains(self.client.get("/cases/mine/"), case.number)
        self.assertEqual(self.client.get("/media/" + attachment.file.name).status_code, 404)  # never served
        self.as_user("outsider_b")  # staff of another department
        self.assertEqual(self.client.get(f"/cases/attachments/{attachment.pk}/").status_code, 404)
        case.refresh_from_db()
        self.assertEqual(case.status, CaseStatus.SUBMITTED)

    def test_the_metrics_page_and_its_drill_down(self):
        services.accept(actor=self.p.clerk_a, case=self.case)
        self.as_user("auditor")
        year = self.case.submitted_at.year
        page = self.client.get(f"/cases/metrics/?year={year}")
        self.assertContains(page, "依申请政务服务事项办件“一网通办”率")
        self.assertContains(page, "100.0%")
        drill = self.client.get(f"/cases/metrics/one_network_rate/?year={year}&part=numerator")
        self.assertContains(drill, self.case.number)
        items = self.client.get(f"/cases/metrics/zero_visit_rate/?year={year}&part=denominator")
        self.assertContains(items, self.item.implementation_code)
        self.as_user("citizen")
        self.assertEqual(self.client.get("/cases/metrics/").status_code, 403)


class ApiTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = personas()
        cls.item = make_item(cls.p.dept_a)

    def test_apply_and_transitions_through_the_api(self):
        login(self.client, self.p.citizen)
        response = self.client.post("/api/v1/cases/cases/", {
            "item_code": self.item.implementation_code, "applicant_name": "张伟",
            "applicant_id_number": self.p.citizen.id_number, "channel": "3"}, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        self.assertEqual(response.json()["applicant_id_number"], "330481********0037")
        self.client.logout()
        login(self.client, self.p.clerk_a)
        url = f"/api/v1/cases/cases/{pk}/transition/"
        self.assertEqual(self.client.post(url, {"action": "accept"}, content_type="application/json").status_code, 200)
        response = self.client.post(url, {"action": "deliver", "method": "electronic"}, content_type="application/json")
        self.assertEqual(response.status_code, 409)
        self.assertEqual(set(response.json()), {"detail", "errors"})
        self.assertIn("不能送达", response.json()["detail"])
        self.client.post(url, {"action": "decide", "decision": "granted"}, content_type="application/json")
        done = self.client.post(url, {"action": "conclude"}, content_type="application/json").json()
        self.assertEqual(done["status"], "concluded")
        self.assertEqual([e["action"] for e in done["events"]], ["submit", "accept", "decide", "conclude"])
        self.assertEqual(self.client.get("/api/v1/cases/metrics/?year=2023").json()["counts"]["cases_submitted"], 0)
        self.client.logout()
        login(self.client, self.p.citizen)
        self.assertEqual(self.client.get("/api/v1/cases/metrics/?year=2023").status_code, 404)  # no grant

    def test_the_outsider_gets_404_in_the_api(self):
        case = services.submit_application(actor=self.p.clerk_a, item=self.item, **applicant(5))
        login(self.client, self.p.outsider_b)
        response = self.client.get(f"/api/v1/cases/cases/{case.pk}/")
        self.assertEqual(response.status_code, 404)
        response = self.client.post(f"/api/v1/cases/cases/{case.pk}/transition/", {"action": "accept"},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.client.get("/api/v1/cases/cases/").json()["results"], [])


class MorePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        from datetime import date

        from zhengshu.cases.models import Agreement, AgreementItem, Bundle, BundleItem, PartnerRegion
        from zhengshu.orgs.models import Division

        cls.p = personas()
        cls.item = make_item(cls.p.dept_a, 1, name="食品经营许可", materials=(("营业执照", False),))
        cls.other = make_item(cls.p.dept_a, 2, name="户外招牌设置", materials=(("营业执照", False), ("效果图", False)))
        cls.bundle = Bundle.objects.create(code="YJS-T", name="开餐馆一件事", department=cls.p.dept_a)
        BundleItem.objects.create(bundle=cls.bundle, item=cls.item, sort=1, fields=["经营场所"])
        BundleItem.objects.create(bundle=cls.bundle, item=cls.other, sort=2, fields=["经营场所", "招牌尺寸"])
        Division.objects.create(code="520000", name="贵州省", level="province")
        Division.objects.create(code="520102", name="南明区", level="county")
        region = PartnerRegion.objects.create(division_id="520102", province_code="520000", province_name="贵州省")
        agreement = Agreement.objects.create(region=region, title="协议", signed_on=date(2023, 1, 1))
        AgreementItem.objects.create(agreement=agreement, item=cls.item, modes=["proxy"])

    def test_a_citizen_submits_a_bundle_from_my_cases(self):
        login(self.client, self.p.citizen)
        mine = self.client.get("/cases/mine/")
        self.assertContains(mine, "/cases/bundles/YJS-T/apply/", count=1)  # once, not in the title too
        self.assertContains(mine, "<title>我的办件")
        page = self.client.get("/cases/bundles/YJS-T/apply/")
        self.assertContains(page, "招牌尺寸")
        self.assertContains(page, "营业执照", count=1)  # one material input for both items
        response = self.client.post("/cases/bundles/YJS-T/apply/", {
            "applicant_name": "张伟", "applicant_id_number": self.p.citizen.id_number, "field_0": "海洲街道",
            "field_1": "3×1米", "material_0": SimpleUploadedFile("yyzz.pdf", PDF)})
        self.assertEqual(response.status_code, 302)
        cases = Case.objects.filter(applicant_user=self.p.citizen)
        self.assertEqual(cases.count(), 2)
        self.assertEqual({c.attachments.count() for c in cases}, {1})

    def test_cross_region_figures_need_the_grant(self):
        login(self.client, self.p.clerk_a)
        page = self.client.get("/cases/cross-region/?year=2023")
        self.assertContains(page, "1 省 1 县市 · 1 个通办事项")
        self.client.logout()
        login(self.client, self.p.citizen)
        self.assertEqual(self.client.get("/cases/cross-region/").status_code, 403)
        self.assertRedirects(self.client.get("/cases/"), "/cases/mine/")

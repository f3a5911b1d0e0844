"""Pages and API: the registry's generic pages, the figures, bulletins, reminders, shutdown orders."""

from __future__ import annotations

import io
from datetime import date

import docx
from django.core.management import call_command

from zhengshu.core.testing import ModelViewTestCase, PersonaTestCase
from zhengshu.datagov import services
from zhengshu.datagov.choices import ShutdownStatus, UpdateCycle
from zhengshu.datagov.models import AggregationResource, Bulletin, Reminder, ShutdownOrder
from zhengshu.datagov.regime import inspect_day
from zhengshu.datagov.tests.helpers import days, delivery_row, grant, resource
from zhengshu.datagov.views import RESOURCE


class AggregationResourcePageTests(ModelViewTestCase):
    config = RESOURCE
    api_url = "/api/v1/datagov/resources/"
    reader = "clerk_a"
    writer = "dataofficer"
    outsider = "outsider_b"

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        grant(cls.p)

    def make_object(self):
        return resource("HN-SJJ-900", "个体工商户登记", self.p.dept_a, UpdateCycle.DAILY)

    def form_data(self):
        return {"code": "HN-SJJ-901", "name": "广告经营登记", "department": self.p.dept_a.pk,
                "update_cycle": UpdateCycle.MONTHLY, "delivery_workdays": 5, "application": "",
                "due_since": "2026-01-01", "is_active": True, "description": ""}

    def edit_changes(self):
        return {"code": "HN-SJJ-900", "name": "个体工商户登记（更新）"}


class FlowPageTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        grant(cls.p)
        cls.good = resource("HN-SJJ-001", "企业登记信息", cls.p.dept_a, UpdateCycle.DAILY)
        cls.bad = resource("HN-ZJJ-007", "施工许可信息", cls.p.dept_b, UpdateCycle.DAILY)
        services.record_deliveries(actor=cls.p.dataofficer, rows=[
            delivery_row(cls.good.code, d) for d in days(date(2026, 9, 1), date(2026, 10, 31))])
        for d in days(date(2026, 10, 2), date(2026, 11, 1)):
            inspect_day(d)

    def test_the_overview_shows_figures_trends_and_only_the_users_departments(self):
        self.as_user("dataofficer")
        response = self.client.get("/datagov/?days=30")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "50.0%")  # one of two due resources on time
        self.assertContains(response, "施工许可信息")
        self.assertContains(response, 'id="trend-data"')
        self.assertContains(response, "vendor/echarts/echarts.min.js")
        response = self.client.get(f"/datagov/?department={self.p.dept_b.pk}")
        self.assertContains(response, "归集与质量 · 海宁市住房和城乡建设局")
        self.assertContains(response, f"/datagov/resources/{self.bad.pk}/quality/")
        self.assertContains(response, "未交付")
        self.assertNotContains(response, f"/datagov/resources/{self.good.pk}/quality/")
        self.as_user("clerk_a")
        response = self.client.get("/datagov/")
        self.assertContains(response, "100.0%")
        self.assertNotContains(response, "施工许可信息")
        self.as_user("citizen")
        self.assertEqual(self.client.get("/datagov/").status_code, 403)

    def test_a_resource_page_shows_its_trend_and_batches(self):
        self.as_user("clerk_a")
        response = self.client.get(f"/datagov/resources/{self.good.pk}/quality/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "HN-SJJ-001-20261031-0")
        self.assertContains(response, 'id="resource-data"')
        self.assertEqual(self.client.get(f"/datagov/resources/{self.bad.pk}/quality/").status_code, 404)

    def test_the_bulletin_page_and_its_word_download(self):
        bulletin = Bulletin.objects.get(period_start=date(2026, 10, 11))
        self.as_user("town_clerk")
        response = self.client.get(f"/datagov/bulletins/{bulletin.pk}/")
        self.assertContains(response, "海宁市公共数据归集治理2026年10月中旬通报")
        self.assertContains(response, "海政数办旬通〔2026〕29号 · 2026年10月21日")
        self.assertContains(response, "海宁市住房和城乡建设局")
        response = self.client.get(f"/datagov/bulletins/{bulletin.pk}/?format=docx")
        self.assertEqual(response["Content-Type"],
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        document = docx.Document(io.BytesIO(response.content))
        self.assertEqual([c.text for c in document.tables[0].rows[1].cells][:2], ["1", "海宁市市场监督管理局"])
        out = io.StringIO()
        path = self.tmp_path("bulletin.docx")
        call_command("datagov", "bulletin", "2026-10-11", "--output", str(path), stdout=out)
        self.assertEqual(docx.Document(str(path)).tables[0].rows[2].cells[1].text, "海宁市住房和城乡建设局")

    def tmp_path(self, name):
        import tempfile
        from pathlib import Path

        folder = Path(tempfile.mkdtemp(prefix="datagov-"))
        return folder / name

    def test_the_department_signs_its_reminder_and_others_cannot_see_it(self):
        reminder = Reminder.objects.filter(department=self.p.dept_b).first()
        self.assertIsNotNone(reminder)
        self.as_user("clerk_a")
        self.assertEqual(self.client.get(f"/datagov/reminders/{reminder.pk}/").status_code, 404)
        self.assertEqual(self.client.post(f"/datagov/reminders/{reminder.pk}/").status_code, 404)
        self.as_user("outsider_b")
        response = self.client.get("/datagov/reminders/")
        self.assertContains(response, reminder.title)
        self.assertContains(self.client.get("/datagov/"), "查看并签收")
        response = self.client.get(f"/datagov/reminders/{reminder.pk}/")
        self.assertContains(response, "签收")
        # from the reminder to the resource's batches and their rejected rows
        self.assertContains(response, f'href="/datagov/resources/{self.bad.pk}/quality/"')
        self.client.post(f"/datagov/reminders/{reminder.pk}/")
        reminder.refresh_from_db()
        self.assertEqual(reminder.acknowledged_by, self.p.outsider_b)
        self.assertNotContains(self.client.get("/datagov/"), f"/datagov/reminders/{reminder.pk}/")
        response = self.client.post(f"/api/v1/datagov/reminders/{reminder.pk}/acknowledge/")
        self.assertEqual(response.status_code, 409)
        self.assertIn("已于", response.json()["detail"])

    def test_the_shutdown_order_is_decided_on_its_page_and_by_the_api(self):
        order = ShutdownOrder.objects.get()
        url = f"/datagov/shutdowns/{order.pk}/"
        self.as_user("clerk_a")
        self.assertEqual(self.client.get(url).status_code, 404)
        self.as_user("outsider_b")
        response = self.client.get(url)
        self.assertContains(response, "待审批")
        self.assertNotContains(response, "批准停机")
        response = self.client.post(f"/api/v1/datagov/shutdowns/{order.pk}/approve/", {},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 403)
        self.as_user("dataofficer")
        self.assertContains(self.client.get(url), "批准停机")
        self.client.post(url, {"action": "approve", "note": "同意"})
        order.refresh_from_db()
        self.assertEqual(order.status, ShutdownStatus.APPROVED)
        self.as_user("outsider_b")
        response = self.client.post(f"/api/v1/datagov/shutdowns/{order.pk}/rectify/",
                                    {"note": "正在修复接口", "kind": "note"}, content_type="application/json")
        self.assertEqual(response.status_code, 200, response.content)
        self.as_user("dataofficer")
        response = self.client.post(f"/api/v1/datagov/shutdowns/{order.pk}/reinstate/", {"note": "复核"},
                                    content_type="application/json")
        self.assertEqual(response.status_code, 409)
        self.assertIn("整改尚未到位", response.json()["detail"])

    def test_the_summary_api(self):
        self.client.logout()
        self.assertIn(self.client.get("/api/v1/datagov/summary/").status_code, (401, 403))
        self.as_user("clerk_a")
        data = self.client.get("/api/v1/datagov/summary/?year=2026").json()
        self.assertEqual(data["as_of"], "2026-10-31")
        self.assertEqual((data["resources_due"], data["resources_on_time"], data["aggregation_rate"]), (2, 1, 0.5))
        self.assertEqual(data["total_records"], 61 * 995)
        self.assertEqual([r["department_code"] for r in data["by_department"]], ["HN-SJJ", "HN-ZJJ"])
        self.as_user("citizen")
        self.assertEqual(self.client.get("/api/v1/datagov/summary/").status_code, 403)

    def test_the_inspection_can_be_run_from_the_page_by_the_data_office_only(self):
        self.as_user("clerk_a")
        self.assertEqual(self.client.post("/datagov/inspect/", {"date": "2026-11-02"}).status_code, 403)
        self.as_user("dataofficer")
        response = self.client.post("/datagov/inspect/", {"date": "2026-11-02"}, follow=True)
        self.assertContains(response, "已巡查 2026-11-02")
        self.assertTrue(AggregationResource.objects.exists())

    def test_services_refuse_people_outside_their_scope(self):
        from django.core.exceptions import PermissionDenied

        reminder = Reminder.objects.filter(department=self.p.dept_b).first()
        with self.assertRaises(PermissionDenied):
            services.acknowledge_reminder(actor=self.p.clerk_a, reminder=reminder)
        with self.assertRaises(PermissionDenied):
            services.record_deliveries(actor=self.p.clerk_a, rows=[delivery_row(self.good.code, date(2026, 11, 1))])
        with self.assertRaises(PermissionDenied):
            services.run_inspection(actor=self.p.outsider_b, day=date(2026, 11, 2))
        order = ShutdownOrder.objects.get()
        with self.assertRaises(PermissionDenied):
            services.reject_shutdown(actor=self.p.auditor, order=order, note="只读账号不能决定")
        self.as_user("citizen")
        bulletin = Bulletin.objects.first()
        self.assertEqual(self.client.get(f"/datagov/bulletins/{bulletin.pk}/").status_code, 403)
        self.assertEqual(self.client.get(f"/datagov/shutdowns/{order.pk}/").status_code, 403)


class QueryCountTests(PersonaTestCase):
    """The pages cost the same number of queries for 3 resources as for 9 (no query per row)."""

    def test_pages_do_not_query_per_resource_or_batch(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from zhengshu.datagov.regime import inspect_days

        grant(self.p)
        departments = [self.p.dept_a, self.p.dept_b, self.p.town]

        def add(first: int, n: int) -> None:
            rows = []
            for i in range(first, first + n):
                r = resource(f"HN-Q-{i:03d}", f"测试资源{i}", departments[i % 3], UpdateCycle.DAILY)
                if i % 3 != 1:  # 住建局's resources deliver nothing: failing, reminded, listed
                    rows += [delivery_row(r.code, d) for d in days(date(2026, 10, 8), date(2026, 10, 12))]
            services.record_deliveries(actor=self.p.dataofficer, rows=rows)
            inspect_days(date(2026, 10, 9), date(2026, 10, 13))

        urls = ["/datagov/", "/datagov/?days=30", f"/datagov/?department={self.p.dept_b.pk}", "/datagov/resources/",
                "/datagov/deliveries/", "/datagov/reminders/", "/datagov/bulletins/", "/datagov/shutdowns/"]

        def counts(user: str) -> dict:
            self.as_user(user)
            self.client.get("/datagov/")
            result = {}
            for url in urls:
                with CaptureQueriesContext(connection) as ctx:
                    response = self.client.get(url)
                self.assertEqual(response.status_code, 200, url)
                result[url] = len(ctx)
            return result

        add(0, 3)
        before = {user: counts(user) for user in ("dataofficer", "outsider_b")}
        self.assertTrue(Reminder.objects.exists())
        add(3, 6)
        self.assertEqual(AggregationResource.objects.count(), 9)
        after = {user: counts(user) for user in ("dataofficer", "outsider_b")}
        self.assertEqual(before, after)

"""In a real browser: the data office opens the figures (the ECharts trend draws), a bulletin, and
approves a shutdown order. Screenshots go to ``test-artifacts/screenshots/``."""

from datetime import date
from pathlib import Path

import pytest

from zhengshu.core.testing import make_personas
from zhengshu.core.testing.browser import ARTIFACTS, BrowserTestCase
from zhengshu.datagov import services
from zhengshu.datagov.choices import UpdateCycle
from zhengshu.datagov.models import Bulletin, ShutdownOrder
from zhengshu.datagov.regime import inspect_days
from zhengshu.datagov.tests.helpers import days, delivery_row, grant, resource

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.browser
class DatagovBrowserTests(BrowserTestCase):
    def setUp(self):
        self.p = make_personas()
        grant(self.p)
        self.good = good = resource("HN-SJJ-001", "企业登记信息", self.p.dept_a, UpdateCycle.DAILY)
        resource("HN-ZJJ-007", "施工许可信息", self.p.dept_b, UpdateCycle.DAILY)
        services.record_deliveries(actor=self.p.dataofficer, rows=[
            delivery_row(good.code, d) for d in days(date(2026, 9, 1), date(2026, 10, 31))])
        inspect_days(date(2026, 10, 2), date(2026, 11, 2))

    def test_the_data_office_reads_the_figures_and_approves_a_shutdown(self):
        from django.contrib.staticfiles import finders

        if not finders.find("vendor/echarts/echarts.min.js"):
            self.skipTest("前端依赖未安装（zhengshu/static/vendor/echarts）：先运行 ./run 安装")
        context = self.browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page = context.new_page()
        self.login(page, "dataofficer")
        page.goto(f"{self.live_server_url}/datagov/?days=30")
        page.wait_for_selector("#trend-chart canvas")
        self.assertEqual(page.inner_text("[data-figure=rate]"), "50.0%")
        self.assertEqual(page.inner_text("[data-figure=total_records]"), "60,695")
        drawn = page.evaluate("echarts.getInstanceByDom(document.getElementById('trend-chart')).getOption()")
        self.assertEqual(len(drawn["xAxis"][0]["data"]), 30)
        self.assertEqual(drawn["series"][0]["data"][-1], 50)
        page.screenshot(path=str(ARTIFACTS / "datagov-overview.png"), full_page=True)
        bulletin = Bulletin.objects.get(period_start=date(2026, 10, 21))
        page.goto(f"{self.live_server_url}/datagov/bulletins/{bulletin.pk}/")
        self.assertIn("海宁市住房和城乡建设局", page.inner_text("#ranking"))
        page.screenshot(path=str(ARTIFACTS / "datagov-bulletin.png"), full_page=True)
        order = ShutdownOrder.objects.get()
        page.goto(f"{self.live_server_url}/datagov/shutdowns/{order.pk}/")
        page.fill("#decide-note", "全月未归集，同意停机")
        page.click("button[value=approve]")
        page.wait_for_selector("text=已批准停机")
        self.assertEqual(page.inner_text("#order-status"), "停机中")
        page.screenshot(path=str(ARTIFACTS / "datagov-shutdown.png"), full_page=True)

        # On a phone: the charts fit the screen and the page does not scroll sideways.
        phone = self.browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                                         storage_state=context.storage_state())
        context.close()
        page = phone.new_page()
        resource_pk = self.good.pk
        for url, chart, shot in (("/datagov/?days=30", "#trend-chart", "datagov-phone-overview.png"),
                                 (f"/datagov/resources/{resource_pk}/quality/", "#resource-chart",
                                  "datagov-phone-resource.png")):
            page.goto(f"{self.live_server_url}{url}")
            page.wait_for_selector(f"{chart} canvas")
            width = page.evaluate(f"document.querySelector('{chart} canvas').getBoundingClientRect().right")
            self.assertLessEqual(width, 390, url)
            self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390, url)
            page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
        phone.close()

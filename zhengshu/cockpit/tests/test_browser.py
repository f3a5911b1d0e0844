"""In a real browser at 1920×1080 on the demo data: every chart of the cockpit draws (each ECharts instance has
series with data and its canvas is not blank), a KPI and a chart drill down to their lists, and the page fits a
1366 laptop. Screenshots go to ``test-artifacts/screenshots/``."""

from pathlib import Path

import pytest
from django.core.cache import cache

from zhengshu.cockpit.tests.data import seed_demo_data
from zhengshu.core.testing.browser import ARTIFACTS, BrowserTestCase

REPO = Path(__file__).resolve().parents[3]
CHARTS = ("chart-gov-month", "chart-gov-town", "chart-gov-dept", "chart-data-month", "chart-data-dept",
          "chart-data-inspect", "chart-trading-month", "chart-trading-town", "chart-trading-dept")

# For each chart: how many series, how many of them hold a non-zero number, and whether the canvas has
# coloured (non-background) pixels.
PROBE = """(id) => {
  const el = document.getElementById(id);
  const chart = echarts.getInstanceByDom(el);
  if (!chart) { return null; }
  const series = chart.getOption().series || [];
  const filled = series.filter(s => (s.data || []).some(v => typeof v === "number" && v !== 0)).length;
  const canvas = el.querySelector("canvas");
  const ctx = canvas.getContext("2d");
  const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < px.length; i += 4) { if (px[i] > 0) { painted++; } }
  return {series: series.length, filled: filled, painted: painted, width: canvas.width};
}"""


@pytest.mark.browser
class CockpitBrowserTests(BrowserTestCase):
    def setUp(self):
        cache.clear()
        seed_demo_data()  # the demo's cases, tenders and inspection regime cover 2023, the office's report year

    def _login(self, context):
        page = context.new_page()
        self.login(page, "supervisor")
        return page

    def _probe_all(self, page, url):
        page.goto(url)
        for chart in CHARTS:
            page.wait_for_selector(f"#{chart} canvas")
        page.wait_for_timeout(300)
        return {chart: page.evaluate(PROBE, chart) for chart in CHARTS}

    def test_every_chart_draws_and_drills_down(self):
        from django.contrib.staticfiles import finders

        if not finders.find("vendor/echarts/echarts.min.js"):
            self.skipTest("前端依赖未安装（zhengshu/static/vendor/echarts）：先运行 ./run 安装")
        from django.utils import timezone

        context = self.browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
        page = self._login(context)
        results = self._probe_all(page, f"{self.live_server_url}/cockpit/?year=2023")
        page.screenshot(path=str(ARTIFACTS / "cockpit-1920-2023.png"))
        current = self._probe_all(page, f"{self.live_server_url}/cockpit/?year={timezone.localdate().year}")
        page.screenshot(path=str(ARTIFACTS / "cockpit-1920-current.png"))
        for chart in CHARTS:
            probe = results[chart]
            with self.subTest(chart=chart):
                self.assertIsNotNone(probe, "没有 ECharts 实例")
                self.assertGreater(probe["series"], 0)
                self.assertGreater(probe["filled"], 0, "系列全为空")
                self.assertGreater(probe["painted"], 1000, "画布空白")
        # This year's data charts draw too (the regime's last year); services and trading have no demo cases now.
        for chart in ("chart-data-month", "chart-data-inspect"):
            with self.subTest(chart=chart, year="current"):
                self.assertGreater(current[chart]["filled"], 0, "系列全为空")
        self.assertEqual(page.inner_text('[data-figure="catalogue_shareable"]'), "1715个")

        # A KPI drills down to its list: 评定分离 → the tender list filtered by separated.
        page.goto(f"{self.live_server_url}/cockpit/?year=2023")
        self.assertEqual(page.inner_text('[data-figure="separated_tenders"]'), "196个")
        page.click('a[data-key="separated_tenders"]')
        page.wait_for_url("**/trading/projects/?separated=true&year=2023")
        self.assertIn("招标项目", page.title())
        self.assertGreater(page.locator("table tbody tr").count(), 0)
        page.screenshot(path=str(ARTIFACTS / "cockpit-drill-separated.png"))

        # A chart drills down too: a town's bar → that town's village projects.
        page.goto(f"{self.live_server_url}/cockpit/?year=2023")
        page.wait_for_selector("#chart-trading-town canvas")
        page.evaluate("""() => {
          const chart = echarts.getInstanceByDom(document.getElementById('chart-trading-town'));
          chart.trigger('click', {componentType: 'series', seriesIndex: 0, dataIndex: 0});
        }""")
        page.wait_for_url("**/trading/villages/?town=*")
        self.assertGreater(page.locator("table tbody tr").count(), 0)
        page.screenshot(path=str(ARTIFACTS / "cockpit-drill-village.png"))

        # On a 1366 laptop the three columns still fit without sideways scrolling.
        laptop = self.browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN",
                                          storage_state=context.storage_state())
        context.close()
        page = laptop.new_page()
        page.goto(f"{self.live_server_url}/cockpit/?year=2023")
        page.wait_for_selector("#chart-trading-dept canvas")
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 1366)
        page.screenshot(path=str(ARTIFACTS / "cockpit-1366.png"), full_page=True)
        laptop.close()

"""In headless Chromium: a clerk searches an enterprise by a name variant, opens its archive, filters the timeline
by a facet and follows a registration fact to its source record (resource, batch, record key)."""

import shutil
import tempfile

import pytest
from django.test import override_settings

from zhengshu.archive.tests.base import A, grant, make_archive
from zhengshu.core.testing import make_personas
from zhengshu.core.testing.browser import ARTIFACTS, BrowserTestCase


@pytest.mark.browser
class ArchiveInTheBrowser(BrowserTestCase):
    def setUp(self):
        data_dir = tempfile.mkdtemp(prefix="zhengshu-archive-browser-")
        self.addCleanup(shutil.rmtree, data_dir, True)
        settings = override_settings(DATA_DIR=data_dir)
        settings.enable()
        self.addCleanup(settings.disable)
        self.p = make_personas()
        grant(self.p)
        self.batches = make_archive(self.p)

    def test_search_open_the_archive_and_follow_a_fact_to_its_source(self):
        context = self.browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page = context.new_page()
        self.login(page, "clerk_a")
        page.goto(f"{self.live_server_url}/archive/")
        page.fill("input[name=q]", "海宁市 恒达建设")
        page.click("#archive-search")
        page.click("text=海宁恒达建设有限公司")
        page.wait_for_url(f"{self.live_server_url}/archive/enterprises/{A}/")
        timeline = page.inner_text("#timeline")
        self.assertIn("海市监罚〔2024〕2号", timeline)
        self.assertIn("名称（规范化后一致）", timeline)
        self.assertNotIn("张三丰", page.content())
        page.screenshot(path=str(ARTIFACTS / "archive-enterprise.png"), full_page=True)
        page.click("#facets >> text=行政处罚")
        page.wait_for_url("**cat=penalty")
        self.assertEqual(page.locator("#timeline li").count(), 2)
        page.click("tr:has-text('注册资本') a.zs-fact-source")
        page.wait_for_selector("#lineage")
        self.assertEqual(page.inner_text("#lineage-batch"), self.batches["registration"]["batch_id"])
        self.assertEqual(page.inner_text("#lineage-key"), A)
        self.assertIn("330481-SJJ/ENT-REG", page.inner_text("#lineage"))
        page.screenshot(path=str(ARTIFACTS / "archive-source-record.png"), full_page=True)
        page.click(f"#lineage a:has-text('{A}')")
        page.wait_for_url(f"{self.live_server_url}/archive/enterprises/{A}/")
        context.close()

    def test_the_data_office_confirms_a_near_match_from_the_review_queue(self):
        context = self.browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page = context.new_page()
        self.login(page, "dataofficer")
        page.goto(f"{self.live_server_url}/archive/review/")
        row = page.locator("#review-queue tbody tr", has_text="海宁恒大建设有限公司")
        self.assertIn("名称相差一个字", row.inner_text())
        self.assertIn("海宁恒达建设有限公司", row.inner_text())
        page.screenshot(path=str(ARTIFACTS / "archive-review-queue.png"), full_page=True)
        row.locator("input[name=note]").fill("核对执法文书，系笔误")
        row.locator("button[value=confirmed]").click()
        page.wait_for_selector(".alert-success")
        self.assertIn("没有待复核的候选关联", page.inner_text("#review-queue"))
        page.goto(f"{self.live_server_url}/archive/enterprises/{A}/")
        self.assertIn("海综执罚〔2024〕9号", page.inner_text("#timeline"))
        self.assertIn("人工确认", page.inner_text("#timeline"))
        context.close()

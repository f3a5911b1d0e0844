"""办事指南 in headless Chromium: a citizen searches on a phone without logging in; the office reviews an item.

Screenshots go to ``test-artifacts/screenshots/`` (govservices-*.png).
"""

from __future__ import annotations

import pytest

from zhengshu.core.testing import make_personas
from zhengshu.core.testing.browser import ARTIFACTS, BrowserTestCase
from zhengshu.govservices import services
from zhengshu.govservices.tests.helpers import give_uscc, grant
from zhengshu.govservices.tests.test_catalogue import MATERIALS, item_data


@pytest.mark.browser
class GuideBrowserTests(BrowserTestCase):
    def setUp(self):
        from zhengshu.govservices.demo import seed_code_tables

        seed_code_tables()  # a TransactionTestCase run before this one may have flushed the migrated code tables
        self.p = make_personas()
        give_uscc(self.p)
        grant(self.p)
        p = self.p
        self.item = services.save_item(actor=p.clerk_a, data=item_data(p.dept_a, name="个体工商户设立登记",
                                                                        item_type="07", keywords="开个体户"),
                                       materials=MATERIALS)
        services.submit_item(actor=p.clerk_a, item=self.item)
        services.approve_item(actor=p.dataofficer, item=self.item)
        self.draft = services.save_item(actor=p.clerk_a, data=item_data(
            p.dept_a, implementation_code=p.dept_a.uscc + "4330100002000", name="食品经营许可（新办）", visits=1),
            materials=MATERIALS)

    def test_a_citizen_finds_a_guide_on_a_phone_and_a_clerk_sees_findings(self):
        context = self.browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        page = context.new_page()
        page.goto(f"{self.live_server_url}/services/guide/")
        page.fill("#gs-q", "个体户")
        page.click("form[role=search] button[type=submit]")
        page.wait_for_selector("#gs-results a")
        self.assertIn("共找到 1 个事项", page.inner_text("#gs-count"))
        page.screenshot(path=str(ARTIFACTS / "govservices-guide-search-phone.png"), full_page=True)
        page.click("#gs-results a")
        page.wait_for_selector("#gs-materials")
        self.assertIn("经营场所使用证明", page.inner_text("#gs-materials"))
        width = page.evaluate("document.documentElement.scrollWidth")
        self.assertLessEqual(width, 390, "办事指南在手机上出现横向滚动")
        page.screenshot(path=str(ARTIFACTS / "govservices-guide-detail-phone.png"), full_page=True)
        context.close()

        context = self.browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page = context.new_page()
        self.login(page, "clerk_a")
        page.goto(f"{self.live_server_url}/services/items/{self.draft.pk}/")
        self.assertIn("须填写必须现场办理原因说明", page.inner_text("#item-findings"))
        page.screenshot(path=str(ARTIFACTS / "govservices-item-findings.png"), full_page=True)
        page.click("text=提交审核")
        page.wait_for_load_state()
        self.assertIn("质量错误", page.content())
        context.close()

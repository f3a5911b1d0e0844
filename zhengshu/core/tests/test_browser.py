"""A person in a real browser: headless Chromium (Debian's) logs in, opens the home page and a list.

Screenshots are kept in ``test-artifacts/screenshots/`` for a human to look at.
"""


import pytest

from zhengshu.accounts.demo import DEMO_PASSWORD
from zhengshu.core.testing import make_personas
from zhengshu.core.testing.browser import ARTIFACTS, BrowserTestCase


@pytest.mark.browser
class BrowserTests(BrowserTestCase):
    def setUp(self):
        self.p = make_personas()

    def test_it_logs_in_and_opens_the_home_page_and_a_list(self):
        for name, size in (("desktop", {"width": 1366, "height": 900}), ("phone", {"width": 390, "height": 844})):
            context = self.browser.new_context(viewport=size, locale="zh-CN")
            page = context.new_page()
            page.goto(f"{self.live_server_url}/accounts/login/")
            page.screenshot(path=str(ARTIFACTS / f"login-{name}.png"), full_page=True)
            page.fill("input[name=username]", "clerk_a")
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{self.live_server_url}/")
            self.assertIn("王丽", page.content())
            page.screenshot(path=str(ARTIFACTS / f"home-{name}.png"), full_page=True)
            page.goto(f"{self.live_server_url}/calendar/")
            self.assertIn("工作日调整", page.content())
            page.goto(f"{self.live_server_url}/orgs/departments/")
            self.assertIn("海宁市市场监督管理局", page.content())
            page.screenshot(path=str(ARTIFACTS / f"departments-{name}.png"), full_page=True)
            context.close()
        self.assertTrue((ARTIFACTS / "home-desktop.png").stat().st_size > 10_000)

"""A person in a real browser: headless Chromium (Debian's) logs in, opens the home page and a list.

Screenshots are kept in ``test-artifacts/screenshots/`` for a human to look at.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.db import connection

from zhengshu.accounts.demo import DEMO_PASSWORD
from zhengshu.core.testing import make_personas

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def _triggers(create: bool) -> None:
    from importlib import import_module

    migration = import_module("zhengshu.core.migrations.0002_changelog_append_only")
    with connection.cursor() as cursor:
        for sql in migration.statements(connection.vendor, create=create):
            cursor.execute(sql)


@pytest.mark.browser
class BrowserTests(StaticLiveServerTestCase):
    host = "127.0.0.1"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Playwright's sync API runs an event loop in this thread; the ORM calls here are still synchronous.
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        super().tearDownClass()

    def setUp(self):
        self.p = make_personas()

    def _fixture_teardown(self):
        # The change log refuses DELETE/TRUNCATE; the test database is emptied with its triggers off.
        _triggers(create=False)
        try:
            super()._fixture_teardown()
        finally:
            _triggers(create=True)

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

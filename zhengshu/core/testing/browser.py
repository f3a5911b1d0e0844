"""Page tests in a real browser: Debian's Chromium, headless, driven by Playwright against a live server.

    @pytest.mark.browser
    class MyPageTests(BrowserTestCase):
        def test_something(self):
            context, page = self.open_page()
            self.login(page, "clerk_a")
            ...
            self.screenshot(page, "my-page")

The live server runs in a thread of the test process; the test database is emptied after each test with the
change log's append-only triggers off (they refuse DELETE/TRUNCATE). A test that needs data a migration
put in (code tables) seeds it again in ``setUp``: a live-server class flushes the tables.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.db import connection

from zhengshu.accounts.demo import DEMO_PASSWORD

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Headless Chromium in this sandbox: no setuid sandbox, no GPU, and no background network calls.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def changelog_triggers(create: bool) -> None:
    """Drop (or re-create) the change log's append-only triggers, so a live-server test can empty the tables."""
    from importlib import import_module

    migration = import_module("zhengshu.core.migrations.0002_changelog_append_only")
    with connection.cursor() as cursor:
        for sql in migration.statements(connection.vendor, create=create):
            cursor.execute(sql)


class ChangelogFlushMixin:
    """For TransactionTestCase classes: the tables are emptied after each test with the change log's triggers
    off."""

    def _fixture_teardown(self):
        changelog_triggers(create=False)
        try:
            super()._fixture_teardown()
        finally:
            changelog_triggers(create=True)


class BrowserTestCase(ChangelogFlushMixin, StaticLiveServerTestCase):
    """One Chromium for the class; a fresh browser context (cookies, viewport) per ``open_page``."""

    host = "127.0.0.1"
    timeout_ms = 90_000  # CI machines are shared; a slow page is not a failure here

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread with a
        # running loop unless told that this is intended (the live server's own threads are unaffected).
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

    def open_page(self, *, phone: bool = False, **options):
        """(context, page) in Chinese, desktop 1366×900 or a 390×844 phone; ``options`` go to ``new_context``
        (e.g. ``viewport``, ``accept_downloads``)."""
        context = self.browser.new_context(**{**(PHONE if phone else DESKTOP), "locale": "zh-CN", **options})
        context.set_default_timeout(self.timeout_ms)
        return context, context.new_page()

    def login(self, page, username: str, next_url: str = "/") -> None:
        """Log in through the login page with the demo password and wait for ``next_url``."""
        suffix = "" if next_url == "/" else f"?next={next_url}"
        page.goto(f"{self.live_server_url}/accounts/login/{suffix}")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.live_server_url}{next_url}" + ("" if next_url == "/" else "*"))

    def screenshot(self, page, name: str, *, full_page: bool = True) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    def assertFits(self, page):
        """Nothing on the page is wider than the window (no sideways scrolling)."""
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        self.assertLessEqual(width[0], width[1], f"页面宽 {width[0]}px，超出窗口 {width[1]}px：{page.url}")

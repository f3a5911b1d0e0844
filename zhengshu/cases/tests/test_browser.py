"""In headless Chromium: a citizen searches the guide, applies online with an upload; a clerk accepts,
decides, concludes and delivers; the citizen rates. Screenshots go to test-artifacts/screenshots/."""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.db import connection

from zhengshu.accounts.demo import DEMO_PASSWORD
from zhengshu.cases.models import Case
from zhengshu.cases.tests.factories import PDF, make_item, personas

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
class CaseBrowserTests(StaticLiveServerTestCase):
    host = "127.0.0.1"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
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
        from zhengshu.govservices.demo import seed_code_tables
        from zhengshu.govservices.permissions import grant_catalogue_permissions

        seed_code_tables()  # a TransactionTestCase run before this one may have flushed the migrated code tables
        from zhengshu.govservices.services import approve_item

        self.p = personas()
        grant_catalogue_permissions({k: v for k, v in vars(self.p).items() if hasattr(v, "username")})
        self.item = make_item(self.p.dept_a, name="食品经营许可（新办）", status="review", published_version=0)
        approve_item(actor=self.p.dataofficer, item=self.item)  # published through the catalogue's own service

    def _fixture_teardown(self):
        _triggers(create=False)
        try:
            super()._fixture_teardown()
        finally:
            _triggers(create=True)

    PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

    def login(self, username, phone=False):
        size = self.PHONE if phone else {"viewport": {"width": 1366, "height": 900}}
        context = self.browser.new_context(**size, locale="zh-CN")
        context.set_default_timeout(90_000)  # CI machines are shared; a slow page is not a failure here
        page = context.new_page()
        page.goto(f"{self.live_server_url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.live_server_url}/")
        return context, page

    def assertFits(self, page):
        """Nothing on the page is wider than the phone's screen (no sideways scrolling)."""
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        self.assertLessEqual(width[0], width[1], f"页面宽 {width[0]}px，超出屏幕 {width[1]}px：{page.url}")

    def act(self, page, action, **selects):
        form = page.locator(f"form[data-action={action}]")
        for name, value in selects.items():
            form.locator(f"[name={name}]").select_option(value)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        page.wait_for_load_state("load")

    def test_citizen_applies_clerk_concludes_citizen_rates(self):
        import tempfile

        upload = Path(tempfile.mkdtemp(prefix="zhengshu-cases-")) / "申请书.pdf"
        upload.write_bytes(PDF)
        citizen_ctx, page = self.login("citizen", phone=True)  # the citizen is on a phone
        page.goto(f"{self.live_server_url}/services/guide/")
        page.fill("#gs-q", "食品经营")
        page.keyboard.press("Enter")
        page.wait_for_load_state()
        page.click("text=食品经营许可（新办）")
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(ARTIFACTS / "cases-guide.png"), full_page=True)
        page.click("#gs-apply")
        page.wait_for_load_state()
        material = self.item.materials.get(name="申请书")
        page.set_input_files(f"input[name=material_{material.pk}]", str(upload))
        page.fill("#a-purpose", "开办小餐馆")
        self.assertFits(page)
        page.screenshot(path=str(ARTIFACTS / "cases-apply.png"), full_page=True)
        with page.expect_navigation():
            page.click("#apply-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        case = Case.objects.get(applicant_user=self.p.citizen)
        self.assertIn(case.number, page.content())
        self.assertEqual(case.attachments.get().sha256, __import__("hashlib").sha256(PDF).hexdigest())

        clerk_ctx, desk = self.login("clerk_a")
        desk.goto(f"{self.live_server_url}/cases/?queue=intake", wait_until="networkidle")
        desk.screenshot(path=str(ARTIFACTS / "cases-queue.png"), full_page=True)
        desk.click(f"text={case.number}")
        desk.wait_for_load_state()
        self.act(desk, "accept")
        self.act(desk, "decide", decision="granted")
        self.act(desk, "conclude")
        self.act(desk, "deliver", method="electronic")
        desk.screenshot(path=str(ARTIFACTS / "cases-concluded.png"), full_page=True)
        case.refresh_from_db()
        self.assertEqual(case.status, "delivered")
        self.assertTrue(case.full_online)
        clerk_ctx.close()

        page.goto(f"{self.live_server_url}/cases/mine/")
        self.assertFits(page)
        page.screenshot(path=str(ARTIFACTS / "cases-mine-phone.png"), full_page=True)
        page.click(f"text={case.number}")
        page.wait_for_load_state()
        self.act(page, "rate", level="1", channel="2")
        self.assertIn("非常满意", page.locator("[data-testid=rating]").inner_text())
        self.assertFits(page)
        page.screenshot(path=str(ARTIFACTS / "cases-rated.png"), full_page=True)
        citizen_ctx.close()
        case.refresh_from_db()
        self.assertEqual((case.status, case.rating.level), ("rated", 1))
        self.assertTrue((ARTIFACTS / "cases-rated.png").stat().st_size > 10_000)

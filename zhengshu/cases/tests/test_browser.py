"""In headless Chromium: a citizen searches the guide, applies online with an upload; a clerk accepts,
decides, concludes and delivers; the citizen rates. Screenshots go to test-artifacts/screenshots/."""

from pathlib import Path

import pytest

from zhengshu.cases.models import Case
from zhengshu.cases.tests.factories import PDF, make_item, personas
from zhengshu.core.testing.browser import ARTIFACTS, BrowserTestCase


@pytest.mark.browser
class CaseBrowserTests(BrowserTestCase):
    def setUp(self):
        from zhengshu.govservices.demo import seed_code_tables
        from zhengshu.govservices.permissions import grant_catalogue_permissions

        seed_code_tables()  # a TransactionTestCase run before this one may have flushed the migrated code tables
        from zhengshu.govservices.services import approve_item

        self.p = personas()
        grant_catalogue_permissions({k: v for k, v in vars(self.p).items() if hasattr(v, "username")})
        self.item = make_item(self.p.dept_a, name="食品经营许可（新办）", status="review", published_version=0)
        approve_item(actor=self.p.dataofficer, item=self.item)  # published through the catalogue's own service

    def sign_in(self, username, phone=False):
        context, page = self.open_page(phone=phone)
        self.login(page, username)
        return context, page

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
        citizen_ctx, page = self.sign_in("citizen", phone=True)  # the citizen is on a phone
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

        clerk_ctx, desk = self.sign_in("clerk_a")
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

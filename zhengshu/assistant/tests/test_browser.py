"""A citizen in a real browser (headless Debian Chromium) asks, sees the card, rates it and asks for assisted
handling; the 硖石街道 clerk takes and closes the request. Screenshots in ``test-artifacts/screenshots/``."""


import pytest

from zhengshu.core.testing.browser import ARTIFACTS, BrowserTestCase


@pytest.mark.browser
class AssistantBrowserTests(BrowserTestCase):
    def setUp(self):
        from zhengshu.assistant import engine
        from zhengshu.assistant.tests.helpers import make_assistant_world

        engine.reset()
        self.p = make_assistant_world()

    def test_ask_rate_request_help_and_a_clerk_closes_it(self):
        from zhengshu.assistant.models import AssistRequest, QuestionLog

        phone = self.browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
        page = phone.new_page()
        # anyone may ask: the card, then 有用
        page.goto(f"{self.live_server_url}/assistant/")
        page.fill("#as-question", "开个体户要带什么材料？")
        page.click("#as-submit")
        page.wait_for_selector("#as-card")
        self.assertIn("个体工商户设立登记", page.inner_text("#as-card"))
        self.assertIn("申请人有效身份证件", page.inner_text("#as-materials"))
        page.screenshot(path=str(ARTIFACTS / "assistant-card-phone.png"), full_page=True)
        page.click("#as-useful")
        page.wait_for_selector("text=谢谢您的评价")
        self.assertEqual(QuestionLog.objects.latest("id").feedback, "useful")
        # an emoji question is refused politely
        page.fill("#as-question", "😀😀")
        page.click("#as-submit")
        page.wait_for_selector("#as-answer[data-no-answer=true]")
        # signed in, a town item, then 转人工
        self.login(page, "citizen", "/assistant/")
        page.fill("#as-question", "残疾证怎么申请")
        page.click("#as-submit")
        page.wait_for_selector("#as-card")
        page.click("#as-human")
        page.wait_for_selector("#as-request-form")
        self.assertEqual(page.input_value("#as-item"), "残疾人证申领（镇街受理）")
        page.fill("#as-phone", "13905730001")
        page.select_option("#as-location", label="海宁市硖石街道")
        page.screenshot(path=str(ARTIFACTS / "assistant-request-phone.png"), full_page=True)
        page.click("#as-request-submit")
        page.wait_for_selector("#as-my-requests")
        request = AssistRequest.objects.get()
        self.assertIn(request.number, page.inner_text("#as-my-requests"))
        self.assertEqual((request.department, request.level), (self.p.town, "town"))
        phone.close()
        # the town clerk takes and closes it
        desk = self.browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page = desk.new_page()
        self.login(page, "town_clerk", "/assistant/requests/")
        self.assertIn(request.number, page.inner_text("#as-queue"))
        page.click(f"#as-row-{request.pk} .as-take")
        page.wait_for_selector(f"#as-outcome-{request.pk}")
        page.select_option(f"#as-outcome-{request.pk}", value="answered")
        page.fill(f"#as-note-{request.pk}", "已电话指导网上申请")
        page.screenshot(path=str(ARTIFACTS / "assistant-queue-desktop.png"), full_page=True)
        page.click(f"#as-row-{request.pk} .as-close")
        page.wait_for_selector("text=已办结")
        request.refresh_from_db()
        self.assertEqual((request.status, request.outcome, request.taken_by), ("closed", "answered", self.p.town_clerk))
        desk.close()
        self.assertTrue((ARTIFACTS / "assistant-card-phone.png").stat().st_size > 10_000)

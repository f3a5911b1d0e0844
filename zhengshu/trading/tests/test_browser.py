"""A supervisor in headless Chromium opens a warned project, sees the document with the findings marked at their
exact offsets, releases the high findings with a recorded reason, and the clerk's notice then goes through."""


import pytest

from zhengshu.core.testing import make_personas
from zhengshu.core.testing.browser import ARTIFACTS, BrowserTestCase
from zhengshu.trading import services
from zhengshu.trading.choices import FindingStatus, Stage
from zhengshu.trading.models import DocumentFinding, TenderProject
from zhengshu.trading.tests.factories import grant, project

DOC = ("第一章 招标公告\n1.1 本项目为文苑路改造工程。\n第二章 投标人须知\n2.1 投标人资格要求：\n"
       "（1）投标人须具备市政公用工程施工总承包三级及以上资质。\n"
       "（2）投标人须在海宁市设有常驻机构，并提供近6个月在海宁缴纳社保的人员证明。\n"
       "（3）投标人注册资本不低于5000万元。\n"
       "（4）近三年承担过嘉兴市范围内类似工程的，每项加1分，最高3分。\n")


@pytest.mark.browser
class WarnedProjectInTheBrowser(BrowserTestCase):
    def setUp(self):
        self.p = make_personas()
        grant(self.p)
        self.proj = project(self.p)
        self.doc = services.upload_document(actor=self.p.clerk_a, project=self.proj, filename="文苑路招标文件.txt",
                                            content=DOC.encode("utf-8"))

    def test_the_queue_reads_on_a_phone(self):
        context = self.browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                                           has_touch=True, device_scale_factor=2)
        page = context.new_page()
        self.login(page, "supervisor")
        page.goto(f"{self.live_server_url}/trading/queue/")
        link = page.locator(f"#zs-queue a:has-text('{self.proj.code}')")
        self.assertTrue(link.is_visible())
        box = link.bounding_box()
        self.assertLessEqual(box["x"] + box["width"], 390)  # the project name is on screen, not scrolled off
        badge = page.locator("#zs-queue tbody tr").first.locator(".badge")
        self.assertTrue(badge.is_visible())  # the high-risk count too
        self.assertLessEqual(badge.bounding_box()["x"] + badge.bounding_box()["width"], 390)
        # no sideways scrolling of the whole page on a phone
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)
        page.screenshot(path=str(ARTIFACTS / "trading-queue-phone.png"), full_page=True)
        link.click()
        page.wait_for_selector("#zs-blocking")
        context.close()

    def test_supervisor_sees_the_marked_document_and_releases_the_project(self):
        findings = list(DocumentFinding.objects.filter(document=self.doc).order_by("start"))
        high = [f for f in findings if f.severity == "high"]
        self.assertTrue(high, "the sample document must raise a high finding")
        context = self.browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page = context.new_page()
        self.login(page, "supervisor")
        page.goto(f"{self.live_server_url}/trading/queue/")
        page.click(f"text={self.proj.code}")
        self.assertIn("未处理的高风险问题", page.inner_text("#zs-blocking"))
        page.screenshot(path=str(ARTIFACTS / "trading-warned-project.png"), full_page=True)
        page.click("text=文苑路招标文件.txt")
        page.wait_for_selector("#zs-doc-text mark")
        # the document text as the browser shows it is the stored text, and each finding's marks cover its span
        self.assertEqual(page.inner_text("#zs-doc-text").replace("\r", ""), self.doc.text)
        for f in findings:
            marks = page.locator(f"#zs-doc-text mark.zs-f-{f.pk}")
            self.assertGreater(marks.count(), 0, f.rule)
            self.assertEqual("".join(marks.all_inner_texts()), self.doc.text[f.start:f.end], f.rule)
            self.assertEqual(int(marks.first.get_attribute("data-start")), f.start)
            self.assertEqual(int(marks.last.get_attribute("data-end")), f.end)
        page.screenshot(path=str(ARTIFACTS / "trading-document-findings.png"), full_page=True)
        for f in high:
            form = page.locator(f"#finding-{f.pk} form")
            form.locator("select[name=action]").select_option("override")
            form.locator("input[name=reason]").fill("经监管复核：法定资质要求或已改为履约承诺，同意放行")
            form.locator("button[type=submit]").click()
            page.wait_for_selector(f"#finding-{f.pk}[data-status=overridden]")
        self.assertFalse(DocumentFinding.objects.filter(project=self.proj, severity="high",
                                                        status=FindingStatus.OPEN).exists())
        page.screenshot(path=str(ARTIFACTS / "trading-findings-overridden.png"), full_page=True)
        context.close()

        context = self.browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
        page = context.new_page()
        self.login(page, "clerk_a")
        page.goto(f"{self.live_server_url}/trading/projects/{self.proj.pk}/")
        page.select_option("select[name=to]", "notice")
        page.fill("input[name=on]", "2023-03-01")
        page.click("#h-adv ~ .card-body button[type=submit]")
        page.wait_for_load_state()
        self.assertEqual(TenderProject.objects.get(pk=self.proj.pk).stage, Stage.NOTICE)
        page.screenshot(path=str(ARTIFACTS / "trading-project-published.png"), full_page=True)
        context.close()

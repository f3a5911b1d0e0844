"""A citizen in a real browser (headless Chromium): searches the open data portal, opens a dataset,
sees the masked preview and downloads the data. Screenshots go to ``test-artifacts/screenshots/``."""

from pathlib import Path

import pytest

from zhengshu.core.testing.browser import ARTIFACTS, BrowserTestCase
from zhengshu.dataresources import choices as c
from zhengshu.dataresources.tests.helpers import published_resource, world


@pytest.mark.browser
class PortalBrowserTests(BrowserTestCase):
    def test_a_citizen_searches_opens_and_downloads_a_dataset(self):
        p = world()
        resource = published_resource(p)
        published_resource(p, sequence="000002", name="海宁市公交站点信息", theme="transport", summary="公交站点位置",
                           keywords="公交 站点")
        published_resource(p, sequence="000003", name="海宁市企业内部监管信息", open_type=c.OpenType.PROHIBITED)
        context = self.browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN",
                                           accept_downloads=True)
        page = context.new_page()
        self.login(page, "citizen", "/open/")
        self.assertIn("张伟", page.content())
        page.screenshot(path=str(ARTIFACTS / "portal-home.png"), full_page=True)

        page.fill("#zs-portal-q", "企业登记")
        page.click("form[role=search] button[type=submit]")
        page.wait_for_url("**/open/datasets/?q=*")
        self.assertIn("企业登记", page.inner_text("#zs-result-count"))
        self.assertEqual(page.inner_text(".zs-dataset-card h3 >> nth=0"), resource.name)  # best match first
        self.assertNotIn("海宁市企业内部监管信息", page.content())
        page.screenshot(path=str(ARTIFACTS / "portal-search.png"), full_page=True)

        page.click(f"text={resource.name}")
        page.wait_for_url(f"**/open/dataset/{resource.slug}/")
        self.assertEqual(page.inner_text("#zs-dataset-title"), resource.name)
        preview = page.inner_text("#zs-preview")
        self.assertIn("330481********002X", preview)
        self.assertNotIn("33048119850620002X", preview)
        page.screenshot(path=str(ARTIFACTS / "portal-dataset.png"), full_page=True)

        with page.expect_download() as info:
            page.click("#zs-download-csv")
        download = info.value
        self.assertEqual(download.suggested_filename, f"{resource.name}.csv")
        text = Path(download.path()).read_text(encoding="utf-8-sig")
        self.assertIn("海宁市示范皮革有限公司", text)
        self.assertNotIn("33048119850620002X", text)
        context.close()
        self.assertGreater((ARTIFACTS / "portal-dataset.png").stat().st_size, 10_000)

        # on a phone: the results come first (filters fold behind one button), nothing scrolls sideways
        phone = self.browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True,
                                         has_touch=True, device_scale_factor=2)
        page = phone.new_page()
        page.goto(f"{self.live_server_url}/open/datasets/?q=%E4%BC%81%E4%B8%9A%E7%99%BB%E8%AE%B0")
        self.assertFalse(page.is_visible("#zs-facets"))
        card = page.locator(".zs-dataset-card >> nth=0").bounding_box()
        self.assertLess(card["y"], 844, "the first result is on the first screen")
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)
        page.screenshot(path=str(ARTIFACTS / "portal-phone-search.png"), full_page=False)
        page.click("#zs-facets-toggle")
        page.wait_for_selector("#zs-facets", state="visible")
        page.click(f"text={resource.name}")
        page.wait_for_url(f"**/open/dataset/{resource.slug}/")
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)
        self.assertTrue(page.is_visible("#zs-download-csv"))
        page.screenshot(path=str(ARTIFACTS / "portal-phone-dataset.png"), full_page=True)
        phone.close()

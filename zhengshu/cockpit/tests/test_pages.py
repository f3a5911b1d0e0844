"""Who sees the cockpit, the period filter, bad input in Chinese, the report records list — on a small world."""

from __future__ import annotations

from django.core.cache import cache

from zhengshu.cockpit.demo import LEADER_GROUP, ensure_cockpit_permissions
from zhengshu.cockpit.figures import in_range
from zhengshu.cockpit.views import parse_period
from zhengshu.core.testing import PersonaTestCase


class CockpitAccessTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ensure_cockpit_permissions(vars(cls.p))

    def setUp(self):
        cache.clear()

    def test_the_data_office_sees_the_cockpit_and_a_clerk_does_not(self):
        self.as_user("dataofficer")
        page = self.client.get("/cockpit/?year=2023")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "一屏掌控")
        self.assertContains(page, 'data-figure="one_network_rate"')
        self.assertContains(page, "vendor/echarts/echarts.min.js")
        self.assertNotContains(page, "cdn")
        self.assertContains(page, "下载 2023 年度报告")
        self.as_user("supervisor")
        page = self.client.get("/cockpit/?year=2023")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "下载 2023 年度报告")  # sees, may not generate
        self.assertEqual(self.client.post("/cockpit/report/", {"year": 2023}).status_code, 403)
        for name in ("clerk_a", "outsider_b", "sysadmin"):
            self.as_user(name)
            self.assertEqual(self.client.get("/cockpit/").status_code, 403, name)
            self.assertEqual(self.client.get("/api/v1/cockpit/figures?year=2023").status_code, 403, name)
            self.assertEqual(self.client.post("/cockpit/report/", {"year": 2023}).status_code, 403, name)
        self.client.logout()
        self.assertEqual(self.client.get("/cockpit/").status_code, 302)

    def test_a_leader_added_to_the_group_sees_it(self):
        from django.contrib.auth.models import Group

        self.as_user("colleague_a")
        self.assertEqual(self.client.get("/cockpit/").status_code, 403)
        self.p.colleague_a.groups.add(Group.objects.get(name=LEADER_GROUP))
        self.as_user("colleague_a")
        self.assertEqual(self.client.get("/cockpit/").status_code, 200)

    def test_the_menu_links_the_cockpit(self):
        self.as_user("dataofficer")
        self.assertContains(self.client.get("/"), 'href="/cockpit/"')

    def test_bad_periods_are_refused_in_chinese(self):
        self.as_user("dataofficer")
        response = self.client.get("/api/v1/cockpit/figures?year=abc")
        self.assertEqual(response.status_code, 400)
        self.assertIn("year", response.content.decode())
        self.assertIn("2000–2100", response.content.decode())
        self.assertEqual(self.client.get("/api/v1/cockpit/figures").status_code, 400)
        response = self.client.get("/cockpit/data/?year=2023&from=9&to=3")
        self.assertEqual(response.status_code, 400)
        self.assertIn("起始月份（9）晚于截止月份（3）", response.json()["detail"])
        page = self.client.get("/cockpit/?from=13")
        self.assertContains(page, "参数 from 应为 1–12 的月份")
        with self.assertRaises(ValueError):
            parse_period({"year": "1999"})

    def test_a_month_range_sums_counts_and_recomputes_ratios(self):
        data = {"year": 2023, "sections": [], "figures": [
            {"key": "n", "kind": "count", "value": 60, "as_of": "",
             "by_month": [{"month": m, "value": 5} for m in range(1, 13)]},
            {"key": "r", "kind": "ratio", "value": 0.5, "as_of": "",
             "by_month": [{"month": m, "value": 0.5, "numerator": m, "denominator": 2 * m} for m in range(1, 13)]},
            {"key": "s", "kind": "count", "value": 7, "as_of": "2023-12-31", "by_month": []},
        ]}
        out = {f["key"]: f for f in in_range(data, 3, 4)["figures"]}
        self.assertEqual(out["n"]["value"], 10)
        self.assertEqual(out["r"]["value"], round(7 / 14, 4))
        self.assertEqual((out["s"]["value"], out["s"]["period"]), (7, "全年"))
        self.assertIs(in_range(data, 1, 12), data)

    def test_the_refresh_data_follows_the_period(self):
        self.as_user("dataofficer")
        data = self.client.get("/cockpit/data/?year=2023&from=2&to=4").json()
        self.assertEqual(data["months"], [2, 4])
        fig = next(f for f in data["figures"] if f["key"] == "cases_submitted")
        self.assertEqual([m["month"] for m in fig["by_month"]], [2, 3, 4])

    def test_the_report_records_are_listed_to_cockpit_viewers_only(self):
        self.as_user("auditor")
        self.assertEqual(self.client.get("/cockpit/annualreports/").status_code, 200)
        self.as_user("clerk_a")
        self.assertEqual(self.client.get("/cockpit/annualreports/").status_code, 403)

    def test_the_figures_api_is_in_the_openapi_schema(self):
        import json

        self.as_user("dataofficer")
        response = self.client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
        paths = json.loads(response.content)["paths"]
        self.assertIn("/api/v1/cockpit/figures", paths)
        self.assertEqual(paths["/api/v1/cockpit/figures"]["get"]["parameters"][0]["name"], "year")


class CacheCommitTests(PersonaTestCase):
    def test_a_transaction_bumps_the_generation_at_commit_once(self):
        from django.db import transaction

        from zhengshu.cockpit import cache as ck
        from zhengshu.trading.models import VillageTier

        start = ck.generation()
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            with transaction.atomic():
                for n in range(3):
                    VillageTier.objects.create(name=f"档{n}", min_yuan=n * 1000, method="self",
                                               effective_from="2023-01-01")
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(ck.generation(), start + 3 + 1)

"""Pages and API of 一企一档: search, archive page with facets and timeline, source record, review queue with
remembered decisions, the generic pages of sources/decisions/builds, data scope and masking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django.utils import timezone

from zhengshu.archive import views
from zhengshu.archive.choices import Verdict
from zhengshu.archive.models import ArchiveBuild, ArchiveSource, MatchDecision
from zhengshu.archive.tests.base import A, B, ArchiveTestCase, grant
from zhengshu.core.testing import ModelViewTestCase

PEN = "330481-ZFJ/PENALTY"


class ArchiveSourcePages(ModelViewTestCase):
    config = views.source_config
    api_url = "/api/v1/archive/sources/"
    writer = "dataofficer"
    outsider = None  # city-wide grants: staff without one get 403 (SourceValidation tests it), never a 404

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        grant(cls.p)

    def make_object(self):
        return ArchiveSource.objects.create(resource_code="330481-T/SRC1", name="测试纳税来源", category="tax")

    def form_data(self):
        return {"resource_code": "330481-T/NEW", "name": "新档案来源", "category": "penalty", "authority": 100,
                "enabled": "on", "schema": ""}

    def edit_changes(self):
        return {"resource_code": "330481-T/SRC1", "name": "测试纳税来源（改）"}

    def api_data(self):
        return {"resource_code": "330481-T/API", "name": "接口来源", "category": "tax", "authority": 50,
                "enabled": True, "schema": {}}


class MatchDecisionPages(ModelViewTestCase):
    config = views.decision_config
    api_url = "/api/v1/archive/decisions/"
    outsider = None

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        grant(cls.p)

    def make_object(self):
        return MatchDecision.objects.create(name_key="恒大建设有限公司", name_example="海宁恒大建设有限公司", uscc=A,
                                            candidate_name="海宁恒达建设有限公司", verdict=Verdict.REJECTED)


class ArchiveBuildPages(ModelViewTestCase):
    config = views.build_config
    api_url = "/api/v1/archive/builds/"
    outsider = None

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        grant(cls.p)

    def make_object(self):
        return ArchiveBuild.objects.create(started_at=timezone.now(), generation="gen-000001", enterprises=3)


class SourceValidation(ArchiveTestCase):
    def test_staff_without_a_grant_get_403_on_the_generic_pages_and_api(self):
        source = ArchiveSource.objects.first()
        self.as_user("outsider_b")
        for url in ("/archive/archivesources/", f"/archive/archivesources/{source.pk}/", "/archive/matchdecisions/",
                    "/archive/archivebuilds/", "/archive/review/"):
            self.assertEqual(self.client.get(url).status_code, 403, url)
        self.assertEqual(self.client.get(f"/api/v1/archive/sources/{source.pk}/").status_code, 403)
        self.assertEqual(self.client.get("/api/v1/archive/sources/").status_code, 403)

    def test_a_schema_without_link_items_or_for_another_resource_is_refused_in_chinese(self):
        self.as_user("dataofficer")
        bad = {"resource": "330481-T/X", "items": [{"name": "a", "label": "甲"}]}
        response = self.client.post("/archive/archivesources/add/", {
            "resource_code": "330481-T/X", "name": "无关联键", "category": "tax", "authority": 1,
            "schema": '{"resource": "330481-T/X", "items": [{"name": "a", "label": "甲"}]}'})
        self.assertContains(response, "没有关联键", status_code=400)
        self.assertFalse(ArchiveSource.objects.filter(resource_code=bad["resource"]).exists())
        response = self.client.post("/archive/archivesources/add/", {
            "resource_code": "330481-T/Y", "name": "别的资源", "category": "tax", "authority": 1,
            "schema": '{"resource": "330481-T/Z", "items": [{"name": "u", "label": "代码", "link": "uscc"}]}'})
        self.assertContains(response, "与信息资源代码 330481-T/Y 不一致", status_code=400)


class SearchAndArchivePages(ArchiveTestCase):
    def test_search_by_name_variant_and_by_code(self):
        self.as_user("clerk_a")
        for q in ("海宁市恒达建设", "恒达", A, f"{A[8:16]}-{A[16]}"):
            response = self.client.get("/archive/", {"q": q})
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, f"/archive/enterprises/{A}/")
        response = self.client.get("/archive/", {"q": "不存在的企业ZZQX"})
        self.assertNotContains(response, f"/archive/enterprises/{A}/")
        self.assertContains(response, "没有找到")

    def test_the_archive_page_shows_facts_with_lineage_masked_legal_rep_facets_and_timeline(self):
        self.as_user("clerk_a")
        response = self.client.get(f"/archive/enterprises/{A}/")
        self.assertEqual(response.status_code, 200)
        p = response.context["p"]
        facts = {f["name"]: f for f in p["facts"]}
        self.assertEqual(facts["legal_rep"]["value"], "张**")
        self.assertNotContains(response, "张三丰")
        self.assertEqual(facts["capital"]["resource"], "330481-SJJ/ENT-REG")
        self.assertEqual(facts["capital"]["batch"], self.batches["registration"]["batch_id"])
        self.assertContains(response, facts["capital"]["url"].replace("&", "&amp;"))
        self.assertEqual({f["category"]: f["count"] for f in p["facets"]}, {"registration": 1, "penalty": 2})
        self.assertEqual([t["key"] for t in p["timeline"] if t["category"] == "penalty"],
                         ["海市监罚〔2024〕2号", "海市监罚〔2024〕1号"])
        self.assertEqual({t["method"] for t in p["timeline"] if t["category"] == "penalty"}, {"uscc", "name"})
        only = self.client.get(f"/archive/enterprises/{A}/", {"cat": "registration"}).context["p"]["timeline"]
        self.assertEqual([t["category"] for t in only], ["registration"])

    def test_following_a_fact_to_its_source_record(self):
        self.as_user("clerk_a")
        url = "/archive/record/?" + urlencode({"resource": PEN, "batch": self.batches["penalty"]["batch_id"],
                                               "ord": 3})
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "海市监罚〔2024〕3号")
        self.assertContains(response, self.batches["penalty"]["batch_id"])
        self.assertContains(response, "组织机构代码")
        self.assertContains(response, f"/archive/enterprises/{B}/")
        self.assertEqual(self.client.get(url.replace("ord=3", "ord=99")).status_code, 404)

    def test_staff_without_the_grant_get_403_and_unknown_enterprises_404(self):
        self.as_user("outsider_b")
        self.assertEqual(self.client.get("/archive/", {"q": "恒达"}).status_code, 403)
        self.assertEqual(self.client.get(f"/archive/enterprises/{A}/").status_code, 403)
        self.assertEqual(self.client.get("/api/v1/archive/enterprises/", {"q": "恒达"}).status_code, 403)
        self.as_user("clerk_a")
        self.assertEqual(self.client.get("/archive/enterprises/91330481MA9999999X/").status_code, 404)

    def test_bids_and_contracts_from_trading_appear_as_far_as_the_user_may_see_them(self):
        from zhengshu.trading.models import Bid
        from zhengshu.trading.tests.factories import enterprise, grant as grant_trading, project

        grant_trading(self.p)
        firm = enterprise(31, "海宁恒达建设有限公司")
        self.assertEqual(firm.uscc, A)
        proj = project(self.p, winner=firm, award_amount_yuan=Decimal("4800000"), contract_date=dt.date(2023, 6, 1))
        Bid.objects.create(project=proj, bidder=firm, price_yuan=Decimal("4800000"),
                           submitted_at=timezone.make_aware(dt.datetime(2023, 5, 1, 9)))
        self.as_user("auditor")
        trading = self.client.get(f"/archive/enterprises/{A}/").context["p"]["trading"]
        self.assertEqual((len(trading["bids"]), len(trading["contracts"])), (1, 1))
        self.assertTrue(trading["bids"][0]["won"])
        self.as_user("outsider_b")  # no archive grant at all
        self.assertEqual(self.client.get(f"/archive/enterprises/{A}/").status_code, 403)


class ReviewQueue(ArchiveTestCase):
    def test_the_decoy_waits_with_its_evidence_and_a_confirmation_links_it_for_good(self):
        self.as_user("clerk_a")
        response = self.client.get("/archive/review/")
        self.assertContains(response, "海宁恒大建设有限公司")
        self.assertContains(response, "名称相差一个字")
        self.assertContains(response, "仅数据资源处可复核")
        self.assertEqual(self.client.post("/archive/review/decide/", {
            "name_key": "恒大建设有限公司", "uscc": A, "verdict": "confirmed"}).status_code, 403)
        self.as_user("dataofficer")
        with self.captureOnCommitCallbacks(execute=True) as rebuilds:  # the archive is rebuilt after the commit
            response = self.client.post("/archive/review/decide/", {"name_key": "恒大建设有限公司", "uscc": A,
                                                                    "verdict": "confirmed", "note": "同一企业，笔误"})
        self.assertEqual(len(rebuilds), 1)
        self.assertEqual(response.status_code, 302)
        decision = MatchDecision.objects.get()
        self.assertEqual((decision.verdict, decision.name_example, decision.decided_by),
                         (Verdict.CONFIRMED, "海宁恒大建设有限公司", self.p.dataofficer))
        self.assertEqual(self.client.get("/archive/review/").context["rows"], [])
        timeline = self.client.get(f"/archive/enterprises/{A}/").context["p"]["timeline"]
        self.assertIn(("海综执罚〔2024〕9号", "review"), [(t["key"], t["method"]) for t in timeline])
        # A full rebuild remembers it.
        self.client.post("/archive/build/", {"full": "1"})
        timeline = self.client.get(f"/archive/enterprises/{A}/").context["p"]["timeline"]
        self.assertIn(("海综执罚〔2024〕9号", "review"), [(t["key"], t["method"]) for t in timeline])
        latest = ArchiveBuild.objects.first()  # newest first
        self.assertEqual((latest.full, latest.triggered_by, latest.review), (True, self.p.dataofficer, 0))

    def test_a_rejection_through_the_api_keeps_the_record_unlinked_and_out_of_the_queue(self):
        self.as_user("dataofficer")
        queue = self.client.get("/api/v1/archive/review/").json()
        self.assertEqual(queue["count"], 1)
        row = queue["results"][0]
        self.assertEqual((row["uscc"], row["distance"], row["records"]), (A, 1, 1))
        answer = {"name_key": row["name"], "uscc": A, "verdict": "rejected"}
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post("/api/v1/archive/review/", answer, content_type="application/json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(self.client.get("/api/v1/archive/review/").json()["count"], 0)
        self.assertEqual(self.client.get("/api/v1/archive/summary/").json()["unlinked"], 1)
        bad = self.client.post("/api/v1/archive/review/", {"name_key": "不存在", "uscc": A, "verdict": "rejected"},
                               content_type="application/json")
        self.assertEqual(bad.status_code, 400)
        self.assertIn("复核队列中没有", str(bad.json()))


class ArchiveApi(ArchiveTestCase):
    def test_search_profile_record_summary_and_build(self):
        self.as_user("clerk_a")
        found = self.client.get("/api/v1/archive/enterprises/", {"q": "海宁市恒达建设有限公司"}).json()["results"]
        self.assertEqual([e["uscc"] for e in found], [A])
        profile = self.client.get(f"/api/v1/archive/enterprises/{A}/").json()
        self.assertEqual(profile["name"], "海宁恒达建设有限公司")
        legal = next(f for f in profile["facts"] if f["name"] == "legal_rep")
        self.assertEqual(legal["value"], "张**")
        record = self.client.get("/api/v1/archive/record/", {"resource": PEN, "ord": 2,
                                                             "batch": self.batches["penalty"]["batch_id"]}).json()
        self.assertEqual((record["key"], record["uscc"], record["method"]), ("海市监罚〔2024〕2号", A, "name"))
        # The registration record: the legal representative only masked, nowhere in clear in the answer.
        reg = self.client.get("/api/v1/archive/record/", {"resource": "330481-SJJ/ENT-REG", "ord": 1,
                                                          "batch": self.batches["registration"]["batch_id"]})
        self.assertEqual(reg.status_code, 200)
        self.assertIn("张**", reg.content.decode())
        self.assertNotIn("张三丰", reg.content.decode())
        # Bad paging and odd digits are refused in Chinese, not a server error.
        for params in ({"limit": "abc"}, {"offset": "-1"}, {"limit": "0"}, {"limit": "²"}):
            bad = self.client.get("/api/v1/archive/review/", params)
            self.assertEqual(bad.status_code, 400, params)
            self.assertIn("应为整数", bad.content.decode())
        self.assertEqual(self.client.get("/api/v1/archive/record/", {"resource": PEN, "ord": "²",
                                                                     "batch": "x"}).status_code, 400)
        self.assertEqual(self.client.get("/archive/record/", {"resource": PEN, "ord": "²", "batch": "x"}).status_code,
                         404)
        self.assertEqual(self.client.get("/archive/review/", {"page": "²"}).status_code, 200)
        self.assertEqual(self.client.get("/api/v1/archive/summary/").json()["enterprises"], 2)
        self.assertEqual(self.client.post("/api/v1/archive/build/", {}, content_type="application/json").status_code,
                         403)
        self.as_user("dataofficer")
        built = self.client.post("/api/v1/archive/build/", {"full": True}, content_type="application/json")
        self.assertEqual(built.status_code, 201)
        self.assertEqual((built.json()["enterprises"], built.json()["review"]), (2, 1))

"""Pages and API: every generic page and endpoint from data, the project and document pages, the override."""

import datetime as dt
from decimal import Decimal as D

from zhengshu.core.testing import ModelViewTestCase, PersonaTestCase
from zhengshu.trading import views
from zhengshu.trading.choices import FindingStatus, Stage
from zhengshu.trading.models import CheckRule, DocumentFinding, TenderProject, VillageProject
from zhengshu.trading.tests.factories import enterprise, grant, project, uscc

DOC = ("第二章 投标人须知\n2.1 投标人资格要求：\n（1）投标人须在海宁市设有常驻机构，并提供近6个月在海宁缴纳社保的人员证明。\n"
       "（2）投标人注册资本不低于5000万元。\n")


class Granted:
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        grant(cls.p)


class TenderProjectPages(Granted, ModelViewTestCase):
    config = views.project_config
    api_url = "/api/v1/trading/projects/"
    reader = writer = "clerk_a"

    def make_object(self):
        return project(self.p)

    def form_data(self):
        return {"code": "HNGC2023-777", "name": "测试道路工程", "regime": "works", "kind": "construction",
                "method": "open", "department": self.p.dept_a.pk, "tenderer_name": "海宁市市场监督管理局",
                "location": "海宁市", "state_fund_share": "100", "estimated_price_yuan": "3000000",
                "max_candidates": 3}

    def edit_changes(self):
        return {"code": self.obj.code, "name": "改名后的道路工程"}


class EnterprisePages(Granted, ModelViewTestCase):
    config = views.enterprise_config
    api_url = "/api/v1/trading/enterprises/"
    reader, writer, outsider = "clerk_a", "supervisor", None

    def make_object(self):
        return enterprise(1)

    def form_data(self):
        return {"uscc": uscc(77), "name": "海宁测试新建设有限公司", "legal_rep": "", "region": "海宁市"}

    def edit_changes(self):
        return {"uscc": self.obj.uscc, "name": "改名建设有限公司"}


class VillageProjectPages(Granted, ModelViewTestCase):
    config = views.village_config
    api_url = "/api/v1/trading/villages/"
    reader = writer = "town_clerk"
    outsider = "clerk_a"

    def make_object(self):
        return VillageProject.objects.create(
            code="CJ-1", name="道路硬化", department=self.p.town, town=self.p.divisions.xiashi,
            village_code="330481001201", village_name="新塘村", category="road", amount_yuan=D(80000),
            proposed_on=dt.date(2023, 3, 1))

    def form_data(self):
        return {"code": "CJ-2", "name": "沟渠清淤", "department": self.p.town.pk, "town": "330481001",
                "village_code": "330481001202", "village_name": "联丰村", "category": "water",
                "amount_yuan": "60000", "funding": "村集体资金", "proposed_on": "2023-04-01"}

    def edit_changes(self):
        return {"code": self.obj.code, "village_code": self.obj.village_code}

    def test_the_town_choices_are_the_citys_towns_not_every_division(self):
        from zhengshu.orgs.choices import DivisionLevel
        from zhengshu.orgs.models import Division

        Division.objects.create(code="330102", name="杭州市上城区", level=DivisionLevel.COUNTY)
        Division.objects.create(code="330102001", name="清波街道", level=DivisionLevel.TOWNSHIP)
        self.as_user(self.reader)
        for url in (self.url("list"), self.config.url("edit", self.obj)):
            with self.subTest(url=url):
                html = self.client.get(url).content.decode()
                self.assertIn('value="330481001"', html)   # 硖石街道
                self.assertNotIn("330102001", html)        # another city's street
                self.assertNotIn('value="330481"', html)   # the city itself is no town
        listed = self.client.get(self.url("list") + "?town=330481001").content.decode()
        self.assertIn(self.obj.code, listed)


class ProjectAndDocumentPages(Granted, PersonaTestCase):
    def setUp(self):
        self.proj = project(self.p)

    def upload(self, user="clerk_a"):
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.as_user(user)
        f = SimpleUploadedFile("招标文件.txt", DOC.encode("utf-8"), content_type="text/plain")
        return self.client.post(f"/trading/projects/{self.proj.pk}/upload/", {"file": f})

    def test_upload_checks_the_document_and_the_page_marks_every_span(self):
        response = self.upload()
        self.assertEqual(response.status_code, 302, response.content[:500])
        doc = self.proj.documents.get()
        findings = list(doc.findings.all())
        self.assertTrue(findings)
        self.assertTrue(all(doc.text[f.start:f.end] == f.text for f in findings))
        self.assertIn("QX-07", {f.rule for f in findings})
        page = self.client.get(response["Location"])
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        for f in findings:
            self.assertIn(f'zs-f-{f.pk}', html)
            self.assertIn(f'data-start="{f.start}"', html)
        # the tenderer is told how a high finding is cleared, and the page offers no self-release for it
        high = next(f for f in findings if f.severity == "high")
        self.assertIn("高风险问题阻止发布公告", html)
        item = html[html.index(f'id="finding-{high.pk}"'):]
        item = item[:item.index("</li>")]
        self.assertNotIn('value="resolve"', item)
        r = self.client.post(f"/trading/findings/{high.pk}/handle/", {"action": "resolve", "reason": "已经改好了的"},
                             follow=True)
        self.assertContains(r, "请上传修改后的招标文件")
        self.assertEqual(DocumentFinding.objects.get(pk=high.pk).status, FindingStatus.OPEN)
        self.as_user("outsider_b")
        self.assertEqual(self.client.get(f"/trading/documents/{doc.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/trading/projects/{self.proj.pk}/").status_code, 404)

    def test_publish_blocked_then_released_by_override_through_the_pages(self):
        self.upload()
        self.as_user("clerk_a")
        response = self.client.post(f"/trading/projects/{self.proj.pk}/advance/", {"to": "notice", "on": "2023-03-01"},
                                    follow=True)
        self.assertContains(response, "未处理的高风险问题")
        self.assertEqual(TenderProject.objects.get(pk=self.proj.pk).stage, Stage.PLAN)
        high = list(DocumentFinding.objects.filter(project=self.proj, severity="high"))
        self.as_user("supervisor")
        queue = self.client.get("/trading/queue/")
        self.assertContains(queue, self.proj.code)
        for f in high:
            r = self.client.post(f"/trading/findings/{f.pk}/handle/", {"action": "override",
                                                                       "reason": "依法律规定确需，监管复核同意"})
            self.assertEqual(r.status_code, 302)
        self.assertFalse(DocumentFinding.objects.filter(project=self.proj, severity="high",
                                                        status=FindingStatus.OPEN).exists())
        self.as_user("clerk_a")
        self.client.post(f"/trading/projects/{self.proj.pk}/advance/", {"to": "notice", "on": "2023-03-01"})
        self.assertEqual(TenderProject.objects.get(pk=self.proj.pk).stage, Stage.NOTICE)

    def test_api_override_needs_the_supervisor_and_a_reason(self):
        self.upload()
        f = DocumentFinding.objects.filter(project=self.proj, severity="high").first()
        self.as_user("clerk_a")
        self.assertEqual(self.client.post(f"/api/v1/trading/findings/{f.pk}/override/", {"reason": "我想放行它"},
                                          content_type="application/json").status_code, 403)
        self.as_user("supervisor")
        r = self.client.post(f"/api/v1/trading/findings/{f.pk}/override/", {"reason": "短"},
                             content_type="application/json")
        self.assertEqual(r.status_code, 409)
        self.assertEqual(set(r.json()), {"detail", "errors"})
        r = self.client.post(f"/api/v1/trading/findings/{f.pk}/override/", {"reason": "法定资质要求，监管复核同意"},
                             content_type="application/json")
        self.assertEqual((r.status_code, r.json()["status"]), (200, "overridden"))
        r = self.client.get(f"/api/v1/trading/projects/{self.proj.pk}/checks/")
        self.assertEqual(r.status_code, 200)
        self.assertIn("findings", r.json())

    def test_dashboard_summary_and_credit_report(self):
        self.as_user("supervisor")
        self.assertEqual(self.client.get("/trading/").status_code, 200)
        s = self.client.get("/api/v1/trading/summary/?year=2023").json()
        self.assertEqual(set(s), {"year", "tenders", "separated", "separated_share", "savings", "open_findings"})
        firm = enterprise(5)
        self.assertEqual(self.client.get(f"/trading/credit/{firm.uscc}/").status_code, 200)
        r = self.client.get(f"/api/v1/trading/enterprises/credit/{firm.uscc}/")
        self.assertEqual((r.status_code, r.json()["status"]), (200, "clean"))
        self.assertEqual(self.client.get(f"/api/v1/trading/enterprises/credit/{uscc(999)}/").status_code, 404)


class CheckRuleEditing(Granted, PersonaTestCase):
    def test_a_new_pattern_rule_is_saved_only_when_its_own_tests_pass(self):
        self.as_user("supervisor")
        rule = {"rule_id": "ZJ-90", "enabled": True, "severity": "high", "group": "7N-2", "basis": "演示",
                "message": "要求本地纳税证明", "pattern": "海宁[^。；\\n]{0,6}纳税证明",
                "hit_examples": ["投标人须提供海宁市纳税证明。"], "miss_examples": ["投标人须提供依法纳税的证明。"]}
        bad = {**rule, "miss_examples": ["投标人须提供海宁地区纳税证明。"]}
        r = self.client.post("/api/v1/trading/rules/", bad, content_type="application/json")
        self.assertEqual(r.status_code, 400, r.content)
        self.assertIn("不应命中", str(r.json()["errors"]))
        self.assertFalse(CheckRule.objects.exists())
        r = self.client.post("/api/v1/trading/rules/", rule, content_type="application/json")
        self.assertEqual(r.status_code, 201, r.content)
        from zhengshu.trading.documents import overrides

        self.assertEqual(overrides()[0]["id"], "ZJ-90")
        r = self.client.post("/api/v1/trading/rules/", {**rule, "rule_id": "ZJ-91", "pattern": "(未闭合"},
                             content_type="application/json")
        self.assertEqual(r.status_code, 400)
        self.as_user("clerk_a")
        self.assertEqual(self.client.post("/api/v1/trading/rules/", {**rule, "rule_id": "ZJ-92"},
                                          content_type="application/json").status_code, 403)


class ApiWorkflow(Granted, PersonaTestCase):
    def test_separation_through_the_api(self):
        import datetime as dt

        from zhengshu.trading.tests.factories import at, to_stage

        proj = project(self.p, separated=True, separation_basis="建市规〔2022〕5号")
        to_stage(self.p, proj, Stage.NOTICE, dt.date(2023, 3, 1))
        to_stage(self.p, proj, Stage.DOCS, dt.date(2023, 3, 2))
        self.as_user("clerk_a")
        base = f"/api/v1/trading/projects/{proj.pk}"
        firms = [enterprise(i) for i in (1, 2, 3)]
        bids = []
        for firm, price in zip(firms, ("4500000", "4600000", "4700000"), strict=True):
            r = self.client.post(f"{base}/bids/", {"bidder": firm.pk, "price_yuan": price,
                                                   "submitted_at": at(dt.date(2023, 3, 20)).isoformat()},
                                 content_type="application/json")
            self.assertEqual(r.status_code, 201, r.content)
            bids.append(r.json()["id"])
        r = self.client.post(f"{base}/advance/", {"to": "opening", "on": "2023-03-22"}, content_type="application/json")
        self.assertEqual(r.json()["stage"], "opening")
        r = self.client.post(f"{base}/evaluation/", {"report_date": "2023-03-24", "committee_size": 5,
                                                     "candidates": [{"bid": b} for b in bids]},
                             content_type="application/json")
        self.assertEqual(r.status_code, 201, r.content)
        r = self.client.post(f"{base}/advance/", {"to": "candidates", "on": "2023-03-25"}, content_type="application/json")
        self.assertEqual(r.status_code, 200, r.content)
        r = self.client.post(f"{base}/award-committee/", {"formed_on": "2023-03-29", "method": "vote_direct",
                                                          "members": [{"name": n} for n in "甲乙丙丁戊"]},
                             content_type="application/json")
        self.assertEqual(r.status_code, 201, r.content)
        members = [m["id"] for m in r.json()["members"]]
        votes = [{"member": m, "vote_for": firms[1].pk if k < 3 else firms[0].pk, "reason": "方案最优"}
                 for k, m in enumerate(members)]
        r = self.client.post(f"{base}/award-decision/", {"decided_on": "2023-03-30", "rationale": "乙方案最优，3 票胜出",
                                                         "votes": votes}, content_type="application/json")
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(r.json()["winner"], firms[1].pk)
        self.assertEqual(TenderProject.objects.get(pk=proj.pk).award_amount_yuan, D("4600000"))
        self.as_user("outsider_b")
        self.assertEqual(self.client.post(f"{base}/advance/", {"to": "award_publicity", "on": "2023-03-31"},
                                          content_type="application/json").status_code, 404)

    def test_village_advance_through_the_api(self):
        proj = VillageProject.objects.create(
            code="CJ-9", name="道路硬化", department=self.p.town, town=self.p.divisions.xiashi,
            village_code="330481001201", village_name="新塘村", category="road", amount_yuan=D(80000),
            proposed_on=dt.date(2023, 3, 1))
        self.as_user("town_clerk")
        r = self.client.post(f"/api/v1/trading/villages/{proj.pk}/advance/",
                             {"on": "2023-03-25", "members_total": 30, "votes_for": 18,
                              "publicity_start": "2023-03-05", "publicity_end": "2023-03-22"},
                             content_type="application/json")
        self.assertEqual((r.status_code, r.json()["stage"]), (200, "decided"))
        risks = self.client.get(f"/api/v1/trading/villages/{proj.pk}/risks/").json()["findings"]
        self.assertEqual([f["code"] for f in risks], ["VL-02"])


class SeparationThroughThePages(Granted, PersonaTestCase):
    def test_bids_opening_evaluation_committee_and_decision_from_the_project_page(self):
        from zhengshu.trading.models import AwardCommittee, Bid, OpeningLogEntry
        from zhengshu.trading.tests.factories import to_stage

        proj = project(self.p, separated=True, separation_basis="建市规〔2022〕5号")
        to_stage(self.p, proj, Stage.NOTICE, dt.date(2023, 3, 1))
        to_stage(self.p, proj, Stage.DOCS, dt.date(2023, 3, 2))
        self.as_user("clerk_a")
        url = f"/trading/projects/{proj.pk}/"
        self.assertContains(self.client.get(url), "zs-bid-form")
        firms = [enterprise(i) for i in (1, 2, 3)]
        for firm, price in zip(firms, ("4500000", "4600000", "4700000"), strict=True):
            self.client.post(f"{url}step/bid/", {"bidder": firm.pk, "price_yuan": price,
                                                 "submitted_at": "2023-03-20T09:00"})
        self.assertEqual(Bid.objects.filter(project=proj).count(), 3)
        self.client.post(f"{url}advance/", {"to": "opening", "on": "2023-03-22"})
        self.client.post(f"{url}step/open/")
        self.assertEqual(OpeningLogEntry.objects.filter(project=proj, event="解密", ok=True).count(), 3)
        bids = list(Bid.objects.filter(project=proj).order_by("price_yuan"))
        data = {"report_date": "2023-03-24", "committee_size": 5, "remarks": "合格"}
        data.update({f"cand_{b.pk}": 1 for b in bids})
        self.client.post(f"{url}step/evaluation/", data)
        self.assertEqual(proj.__class__.objects.get(pk=proj.pk).stage, Stage.EVALUATION)
        self.client.post(f"{url}advance/", {"to": "candidates", "on": "2023-03-25"})
        members = "张建国，分管副局长\n李红，科长\n王海，科长\n赵敏，监察员\n钱伟，总工\n孙立，主任，配偶任投标人项目经理"
        self.client.post(f"{url}step/committee/", {"formed_on": "2023-03-29", "method": "vote_direct",
                                                   "members": members})
        committee = AwardCommittee.objects.get(project=proj)
        self.assertEqual(committee.members.filter(conflict=True).count(), 1)
        page = self.client.get(url)
        self.assertContains(page, "zs-decision-form")
        self.assertNotContains(page, "孙立 表决")  # the conflicted member has no ballot
        votes = {}
        for k, m in enumerate(committee.members.filter(conflict=False).order_by("id")):
            votes[f"vote_{m.pk}"] = bids[1].bidder_id if k < 3 else bids[0].bidder_id
            votes[f"reason_{m.pk}"] = "方案优"
        response = self.client.post(f"{url}step/decision/", {"decided_on": "2023-03-30",
                                                              "rationale": "乙方案最优，3 票胜出", **votes}, follow=True)
        self.assertContains(response, "已定标")
        proj.refresh_from_db()
        self.assertEqual((proj.winner_id, proj.stage), (bids[1].bidder_id, Stage.AWARD))


class KeywordSearch(Granted, PersonaTestCase):
    def test_the_keyword_filter_narrows_the_list(self):
        project(self.p, code="HNGC2023-101", name="文苑路改造工程")
        project(self.p, code="HNGC2023-102", name="学校校舍改造工程")
        self.as_user("clerk_a")
        response = self.client.get("/trading/projects/?q=文苑")
        self.assertContains(response, "HNGC2023-101")
        self.assertNotContains(response, "HNGC2023-102")


class YearFilter(Granted, PersonaTestCase):
    def test_the_tender_list_filters_by_year_as_the_figures_count_it(self):
        """The cockpit's drill-downs pass ?year=: a project counts in its notice year, or its planned year when it
        has not been announced (the rule of ``selectors.tender_breakdown``)."""
        project(self.p, code="HNGC2023-101", notice_date=dt.date(2023, 5, 1))
        project(self.p, code="HNGC2023-102", planned_date=dt.date(2023, 8, 1))
        project(self.p, code="HNGC2024-103", notice_date=dt.date(2024, 1, 5), planned_date=dt.date(2023, 12, 1))
        self.as_user("supervisor")

        def codes(**params):
            return {p.code for p in self.client.get("/trading/projects/", params).context["page_obj"].object_list}

        self.assertEqual(codes(year="2023"), {"HNGC2023-101", "HNGC2023-102"})
        self.assertEqual(codes(year="2024"), {"HNGC2024-103"})
        self.assertEqual(len(codes()), 3)

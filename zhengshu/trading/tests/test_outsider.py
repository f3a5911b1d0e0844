"""The outsider (住建局) is denied every custom page and service on the market-supervision bureau's records."""

import datetime as dt
from decimal import Decimal as D

from django.core.exceptions import PermissionDenied

from zhengshu.core.services import ServiceError
from zhengshu.core.testing import PersonaTestCase
from zhengshu.trading import services
from zhengshu.trading.choices import AwardMethod, Stage
from zhengshu.trading.models import Clue, DocumentFinding, TenderDocument, TenderProject, VillageProject
from zhengshu.trading.tests.factories import at, bid_ready, enterprise, grant, project, to_stage

d = dt.date


class OutsiderIsDenied(PersonaTestCase):
    def setUp(self):
        grant(self.p)
        self.proj = project(self.p, separated=True, separation_basis="建市规〔2022〕5号")
        self.doc = TenderDocument.objects.create(project=self.proj, filename="a.txt", content=b"x", sha256="0" * 64,
                                                 text="投标人须在海宁设立分公司")
        self.finding = DocumentFinding.objects.create(document=self.doc, project=self.proj, rule="QX-07",
                                                      severity="low", start=0, end=5, text="投标人须在",
                                                      message="m")
        self.village = VillageProject.objects.create(
            code="CJ-1", name="道路", department=self.p.town, town=self.p.divisions.xiashi,
            village_code="330481001201", village_name="新塘村", category="road", amount_yuan=D(80000),
            proposed_on=d(2023, 3, 1))

    def test_pages_answer_404_or_403(self):
        self.as_user("outsider_b")
        pk = self.proj.pk
        for url in (f"/trading/projects/{pk}/", f"/trading/documents/{self.doc.pk}/"):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        for url, data in ((f"/trading/projects/{pk}/advance/", {"to": "notice", "on": "2023-03-01"}),
                          (f"/trading/projects/{pk}/upload/", {}),
                          (f"/trading/projects/{pk}/step/bid/", {}),
                          (f"/trading/findings/{self.finding.pk}/handle/", {"action": "resolve", "reason": "我来处理一下"})):
            self.assertEqual(self.client.post(url, data).status_code, 404, url)
        self.assertEqual(self.client.get("/trading/queue/").status_code, 403)
        self.assertEqual(self.client.get(f"/trading/villages/{self.village.pk}/").status_code, 404)
        self.as_user("citizen")
        for url in ("/trading/", "/trading/queue/", f"/trading/credit/{enterprise(1).uscc}/"):
            self.assertEqual(self.client.get(url).status_code, 403, url)
        self.assertEqual(self.client.get("/api/v1/trading/summary/").status_code, 403)
        self.assertEqual(self.finding.__class__.objects.get(pk=self.finding.pk).status, "open")

    def test_services_refuse(self):
        outsider = self.p.outsider_b
        bids = bid_ready(self.p, self.proj)
        calls = [
            lambda: services.advance_tender(actor=outsider, project=self.proj, to=Stage.CLARIFY, on=d(2023, 3, 5)),
            lambda: services.record_bid(actor=outsider, project=self.proj, bidder=enterprise(8),
                                        price_yuan=D(1), submitted_at=at(d(2023, 3, 20))),
            lambda: services.open_bids_online(actor=outsider, project=self.proj, at=at(d(2023, 3, 22))),
            lambda: services.upload_document(actor=outsider, project=self.proj, filename="x.txt", content=b"x"),
            lambda: services.resolve_finding(actor=outsider, finding=self.finding, reason="不是我的项目"),
            lambda: services.override_finding(actor=outsider, finding=self.finding, reason="不是我的项目"),
            lambda: services.record_evaluation(actor=outsider, project=self.proj, report_date=d(2023, 3, 24),
                                               committee_size=5, candidates=[{"bid": bids[0]}]),
            lambda: services.form_award_committee(actor=outsider, project=self.proj, formed_on=d(2023, 3, 29),
                                                  method=AwardMethod.VOTE_DIRECT, members=[{"name": "甲"}]),
            lambda: services.decide_award(actor=outsider, project=self.proj, decided_on=d(2023, 3, 30),
                                          rationale="择优比劣理由"),
            lambda: services.award_first_ranked(actor=outsider, project=self.proj, decided_on=d(2023, 3, 30)),
            lambda: services.advance_village(actor=outsider, project=self.village, on=d(2023, 3, 20)),
        ]
        for i, call in enumerate(calls):
            with self.subTest(call=i):
                with self.assertRaises((PermissionDenied, ServiceError)) as ctx:
                    call()
                if isinstance(ctx.exception, ServiceError):
                    self.assertIn("数据范围", str(ctx.exception))
        to_stage(self.p, self.proj, Stage.OPENING, d(2023, 3, 22))
        to_stage(self.p, self.proj, Stage.FAILED, d(2023, 3, 22))
        with self.assertRaises(PermissionDenied):
            services.retender(actor=self.p.town_clerk, project=self.proj, code="R1")


class OutsiderIsDeniedInTheApi(PersonaTestCase):
    """The same records through /api/v1/trading/: lists leave them out, details answer 404, actions refuse."""

    def setUp(self):
        grant(self.p)
        self.proj = project(self.p)
        self.doc = TenderDocument.objects.create(project=self.proj, filename="a.txt", content=b"x", sha256="0" * 64,
                                                 text="投标人须在海宁设立分公司")
        self.finding = DocumentFinding.objects.create(document=self.doc, project=self.proj, rule="QX-07",
                                                      severity="high", start=0, end=5, text="投标人须在",
                                                      message="m")
        self.firm = enterprise(1)
        clue = Clue.objects.create(code="XS-2023-01", project=self.proj, transferred_on=d(2023, 6, 1),
                                   recipient="海宁市纪委市监委", summary="疑似围标", person_times=3)
        clue.firms.add(self.firm)

    def test_lists_details_and_actions(self):
        self.as_user("outsider_b")
        api = "/api/v1/trading"
        for url in (f"{api}/projects/", f"{api}/findings/", f"{api}/documents/", f"{api}/bids/"):
            r = self.client.get(url)
            self.assertEqual(r.status_code, 200, url)
            self.assertEqual(r.json()["count"], 0, url)
        for url in (f"{api}/projects/{self.proj.pk}/", f"{api}/projects/{self.proj.pk}/checks/",
                    f"{api}/findings/{self.finding.pk}/", f"{api}/documents/{self.doc.pk}/"):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        for url, data in ((f"{api}/projects/{self.proj.pk}/advance/", {"to": "notice", "on": "2023-03-01"}),
                          (f"{api}/findings/{self.finding.pk}/resolve/", {"reason": "不是我的项目"}),
                          (f"{api}/findings/{self.finding.pk}/override/", {"reason": "不是我的项目"})):
            self.assertIn(self.client.post(url, data, content_type="application/json").status_code, (403, 404), url)
        self.assertIn(self.client.patch(f"{api}/projects/{self.proj.pk}/", {"name": "改"},
                                        content_type="application/json").status_code, (403, 404))
        self.assertEqual(DocumentFinding.objects.get(pk=self.finding.pk).status, "open")
        self.assertEqual(TenderProject.objects.get(pk=self.proj.pk).name, self.proj.name)

    def test_the_credit_report_shows_clues_to_clue_readers_only(self):
        for user, shown in (("outsider_b", False), ("clerk_a", False), ("supervisor", True), ("auditor", True)):
            with self.subTest(user=user):
                self.as_user(user)
                report = self.client.get(f"/api/v1/trading/enterprises/credit/{self.firm.uscc}/").json()
                self.assertEqual(report["clues"] is not None, shown)
                page = self.client.get(f"/trading/credit/{self.firm.uscc}/").content.decode()
                self.assertEqual("XS-2023-01" in page, shown)
                self.assertEqual("移交线索" in page, shown)
        self.assertEqual(report["clues"][0]["recipient"], "海宁市纪委市监委")

    def test_the_tenderer_cannot_erase_a_project_and_its_findings(self):
        self.as_user("clerk_a")
        self.assertEqual(self.client.get(f"/api/v1/trading/projects/{self.proj.pk}/").status_code, 200)
        r = self.client.delete(f"/api/v1/trading/projects/{self.proj.pk}/")
        self.assertEqual(r.status_code, 403)
        self.assertIn("不能删除", r.json()["detail"])
        self.assertTrue(DocumentFinding.objects.filter(pk=self.finding.pk).exists())

    def test_another_department_cannot_retender_the_project(self):
        failed = project(self.p, code="HNGC2023-050")
        bid_ready(self.p, failed)
        to_stage(self.p, failed, Stage.OPENING, d(2023, 3, 22))
        to_stage(self.p, failed, Stage.FAILED, d(2023, 3, 22))
        with self.assertRaises(PermissionDenied):
            services.retender(actor=self.p.outsider_b, project=failed, code="R-ZJJ")
        again = services.retender(actor=self.p.clerk_a, project=failed, code="R-SJJ")
        self.assertEqual((again.department, again.retender_of), (failed.department, failed))

"""Tender lifecycle: the publication gate and its override, bids with credit, online opening, re-tender, savings."""

import datetime as dt
from decimal import Decimal as D

from django.core.exceptions import PermissionDenied

from zhengshu.core.services import ServiceError
from zhengshu.core.testing import PersonaTestCase
from zhengshu.trading import selectors, services
from zhengshu.trading.choices import CreditStatus, DecryptStatus, FindingStatus, Regime, Severity, Stage
from zhengshu.trading.highlight import highlight
from zhengshu.trading.models import AdverseRecord, DocumentFinding, StageEvent, TenderDocument, TenderProject
from zhengshu.trading.tests.factories import at, bid_ready, enterprise, grant, project, to_stage

d = dt.date


def document_with_findings(proj, text, spans):
    doc = TenderDocument.objects.create(project=proj, filename="招标文件.txt", content=text.encode(), sha256="0" * 64,
                                        text=text)
    rows = []
    for rule, severity, start, end in spans:
        rows.append(DocumentFinding.objects.create(
            document=doc, project=proj, rule=rule, group="7N-2", severity=severity, start=start, end=end,
            text=text[start:end], message="限制潜在投标人"))
    return doc, rows


class PublicationGate(PersonaTestCase):
    def setUp(self):
        grant(self.p)
        self.proj = project(self.p)
        text = "第三章 投标人资格要求\n3.1 投标人须在海宁市设有常驻机构。\n3.2 注册资本不低于5000万元。"
        start = text.index("投标人须在海宁")
        self.doc, (self.high, self.low) = document_with_findings(self.proj, text, [
            ("QX-07", Severity.HIGH, start, start + len("投标人须在海宁市设有常驻机构")),
            ("QX-08", Severity.LOW, text.index("注册资本"), len(text) - 1),
        ])

    def test_a_high_finding_blocks_the_notice_until_a_supervisor_overrides_it_with_a_reason(self):
        with self.assertRaisesMessage(ServiceError, "QX-07"):
            to_stage(self.p, self.proj, Stage.NOTICE, d(2023, 3, 1), actor=self.p.clerk_a)
        self.assertEqual(TenderProject.objects.get(pk=self.proj.pk).stage, Stage.PLAN)
        # the tenderer's clerk may not override; a reason is required from the supervisor
        with self.assertRaises(PermissionDenied):
            services.override_finding(actor=self.p.clerk_a, finding=self.high, reason="本地服务确有必要")
        with self.assertRaisesMessage(ServiceError, "须写明理由"):
            services.override_finding(actor=self.p.supervisor, finding=self.high, reason="  ")
        services.override_finding(actor=self.p.supervisor, finding=self.high,
                                  reason="经核实为履约阶段服务要求，已改写为中标后承诺，不作资格条件")
        self.high.refresh_from_db()
        self.assertEqual(self.high.status, FindingStatus.OVERRIDDEN)
        self.assertEqual(self.high.handled_by, self.p.supervisor)
        self.assertIn("中标后承诺", self.high.reason)
        # the release is in the tamper-evident change log: who, when, the new status and the reason
        from zhengshu.core.models.changelog import ChangeLogEntry

        entry = ChangeLogEntry.objects.filter(object_type="trading.documentfinding", object_id=str(self.high.pk),
                                              action="update").order_by("-seq").first()
        self.assertEqual(entry.actor, self.p.supervisor)
        self.assertEqual((entry.before["status"], entry.after["status"]), ("open", "overridden"))
        self.assertIn("中标后承诺", entry.after["reason"])
        to_stage(self.p, self.proj, Stage.NOTICE, d(2023, 3, 1), actor=self.p.clerk_a)
        self.proj.refresh_from_db()
        self.assertEqual((self.proj.stage, self.proj.notice_date), (Stage.NOTICE, d(2023, 3, 1)))
        event = StageEvent.objects.get(project=self.proj)
        self.assertEqual((event.from_stage, event.to_stage, event.actor), (Stage.PLAN, Stage.NOTICE, self.p.clerk_a))
        with self.assertRaisesMessage(ServiceError, "已处理"):
            services.override_finding(actor=self.p.supervisor, finding=self.high, reason="再次放行试试看")

    def test_the_tenderer_can_resolve_by_correcting_and_a_low_finding_does_not_block(self):
        services.resolve_finding(actor=self.p.clerk_a, finding=self.low, reason="已删除注册资本门槛")
        self.assertEqual(DocumentFinding.objects.get(pk=self.low.pk).status, FindingStatus.RESOLVED)
        # the tenderer's say-so does not clear a high finding: the clause is still in the stored document
        with self.assertRaisesMessage(ServiceError, "请上传修改后的招标文件"):
            services.resolve_finding(actor=self.p.clerk_a, finding=self.high, reason="已删除本地常驻机构要求")
        self.assertEqual(selectors.blocking_findings(self.proj).count(), 1)
        # the corrected document is checked again; its clean check replaces the old findings
        corrected = "第三章 投标人资格要求\n3.1 中标人应承诺接到报修后2小时内到达现场。\n3.2 投标人具有有效的营业执照。"
        doc = services.upload_document(actor=self.p.clerk_a, project=self.proj, filename="招标文件（修改后）.txt",
                                       content=corrected.encode())
        self.assertEqual(doc.findings.filter(severity=Severity.HIGH).count(), 0)
        self.high.refresh_from_db()
        self.assertEqual((self.high.status, self.high.handled_by), (FindingStatus.RESOLVED, self.p.clerk_a))
        self.assertIn("新版本", self.high.reason)
        self.assertEqual(selectors.blocking_findings(self.proj).count(), 0)
        to_stage(self.p, self.proj, Stage.NOTICE, d(2023, 3, 1), actor=self.p.clerk_a)
        # a supervisor may still mark a high finding corrected
        other = project(self.p, code="HNGC2023-009")
        _doc, (high2,) = document_with_findings(other, "投标人须在海宁市设有常驻机构。", [("QX-07", Severity.HIGH, 0, 14)])
        services.resolve_finding(actor=self.p.supervisor, finding=high2, reason="现场核对已删除该条款")
        self.assertEqual(DocumentFinding.objects.get(pk=high2.pk).status, FindingStatus.RESOLVED)

    def test_the_outsider_cannot_touch_another_departments_project(self):
        with self.assertRaises(PermissionDenied):
            services.resolve_finding(actor=self.p.outsider_b, finding=self.high, reason="不是我的项目也想处理")
        with self.assertRaises(PermissionDenied):
            to_stage(self.p, self.proj, Stage.NOTICE, d(2023, 3, 1), actor=self.p.outsider_b)

    def test_the_supervisor_queue_lists_the_warned_project_first(self):
        calm = project(self.p, code="HNGC2023-002")
        document_with_findings(calm, "x" * 20, [("QX-09", Severity.LOW, 0, 5)])
        queue = list(selectors.supervisor_queue(self.p.supervisor))
        self.assertEqual([q.code for q in queue], ["HNGC2023-001", "HNGC2023-002"])
        self.assertEqual((queue[0].open_high, queue[0].open_all), (1, 2))
        self.assertEqual([q.code for q in selectors.supervisor_queue(self.p.outsider_b)], [])

    def test_highlight_marks_exact_offsets_even_when_findings_overlap(self):
        text = "甲乙丙丁戊己庚辛<壬>癸"
        a = DocumentFinding(pk=1, rule="A", severity="high", start=2, end=6, message="m")
        b = DocumentFinding(pk=2, rule="B", severity="low", start=4, end=11, message="m")
        html = str(highlight(text, [a, b]))
        self.assertIn('<mark class="zs-sev-high zs-f-1" data-start="2" data-end="4"', html)
        self.assertIn('<mark class="zs-sev-high zs-f-1 zs-f-2" data-start="4" data-end="6"', html)
        self.assertIn('data-start="6" data-end="11" data-rules="B"', html)
        self.assertIn("&lt;壬&gt;", html)
        self.assertTrue(html.startswith("甲乙<mark"))
        self.assertTrue(html.endswith("</mark>癸"))


class BidsAndOpening(PersonaTestCase):
    def setUp(self):
        grant(self.p)

    def test_fewer_than_three_bidders_cannot_open_and_the_tender_is_retendered(self):
        proj = project(self.p)
        bid_ready(self.p, proj, prices=(D("4500000"), D("4600000")))
        with self.assertRaisesMessage(ServiceError, "少于 3 个不得开标"):
            to_stage(self.p, proj, Stage.OPENING, d(2023, 3, 22))
        with self.assertRaisesMessage(ServiceError, "不能转到"):
            to_stage(self.p, proj, Stage.FAILED, d(2023, 3, 22))  # only from opening or evaluation
        proj.refresh_from_db()
        proj.stage = Stage.OPENING  # the opening hall found only two: the record says so
        proj.save()
        self.assertIn("TH-12", [f.code for f in selectors.project_findings(proj)])
        to_stage(self.p, proj, Stage.FAILED, d(2023, 3, 22))
        again = services.retender(actor=self.p.supervisor, project=proj, code="HNGC2023-001-R1")
        self.assertEqual((again.retender_of, again.stage, again.department), (proj, Stage.PLAN, proj.department))

    def test_a_debarred_bidder_is_flagged_and_rejected_at_bid_time(self):
        proj = project(self.p)
        bid_ready(self.p, proj)
        firm = enterprise(9, "海宁某某建设有限公司")
        AdverseRecord.objects.create(enterprise=firm, type="CR-01", decided_on=d(2022, 6, 1),
                                     debarred_until=d(2024, 5, 31), authority="海宁市住房和城乡建设局",
                                     document_no="海住建罚〔2022〕12号")
        other = enterprise(10)
        AdverseRecord.objects.create(enterprise=other, type="CR-10", decided_on=d(2017, 1, 1), authority="住建局")
        stale = AdverseRecord.objects.get(enterprise=other)
        self.assertEqual(stale.valid_until, d(2022, 1, 1))  # five years of disclosure
        bid = services.record_bid(actor=self.p.clerk_a, project=proj, bidder=firm, price_yuan=D("4000000"),
                                  submitted_at=at(d(2023, 3, 21)))
        self.assertEqual(bid.credit_status, CreditStatus.DEBARRED)
        self.assertTrue(bid.rejected)
        self.assertIn("海住建罚〔2022〕12号", bid.credit_note)
        clean = services.record_bid(actor=self.p.clerk_a, project=proj, bidder=other, price_yuan=D("4100000"),
                                    submitted_at=at(d(2023, 3, 21)))
        self.assertEqual(clean.credit_status, CreditStatus.CLEAN)  # the 2017 record is no longer disclosed
        with self.assertRaisesMessage(ServiceError, "已对项目"):
            services.record_bid(actor=self.p.clerk_a, project=proj, bidder=other, price_yuan=D("1"),
                                submitted_at=at(d(2023, 3, 21)))
        proj.bid_deadline = d(2023, 3, 22)
        proj.save()
        with self.assertRaisesMessage(ServiceError, "逾期"):
            services.record_bid(actor=self.p.clerk_a, project=proj, bidder=enterprise(11), price_yuan=D("1"),
                                submitted_at=at(d(2023, 3, 23)))
        report = selectors.credit_report(firm.uscc, on=d(2023, 3, 21))
        self.assertEqual((report["status"], report["bids"], report["flagged_bids"]), (CreditStatus.DEBARRED, 1, 1))
        self.assertIsNone(selectors.credit_report("91330481000000000X"))

    def test_online_opening_logs_each_decryption(self):
        proj = project(self.p)
        bids = bid_ready(self.p, proj)
        to_stage(self.p, proj, Stage.OPENING, d(2023, 3, 22))
        log = services.open_bids_online(actor=self.p.supervisor, project=proj, at=at(d(2023, 3, 22)),
                                        failed_bidders=[bids[2].bidder])
        self.assertEqual([e.event for e in log], ["开标开始", "解密", "解密", "解密", "唱标结束"])
        self.assertEqual([e.ok for e in log if e.event == "解密"], [True, True, False])
        bids[2].refresh_from_db()
        self.assertEqual((bids[2].decrypt_status, bids[2].rejected), (DecryptStatus.FAILED, True))

    def test_lifecycle_rejects_skipping_a_stage(self):
        proj = project(self.p)
        with self.assertRaisesMessage(ServiceError, "不能转到“开标”"):
            to_stage(self.p, proj, Stage.OPENING, d(2023, 3, 1))


class Savings(PersonaTestCase):
    def test_savings_are_budget_minus_award_over_budget_aggregated(self):
        table = [  # (regime, estimate, budget, award)
            (Regime.PROCUREMENT, None, D("1000000"), D("900000")),
            (Regime.PROCUREMENT, D("9999999"), D("3000000"), D("2850000")),   # procurement: budget, not estimate
            (Regime.WORKS, D("5000000"), None, D("4500000")),
            (Regime.WORKS, D("2000000"), None, None),                           # not awarded: left out
        ]
        for i, (regime, estimate, budget, award) in enumerate(table):
            project(self.p, code=f"S{i}", regime=regime, estimated_price_yuan=estimate, budget_yuan=budget,
                    award_amount_yuan=award)
        s = selectors.savings(TenderProject.objects.all())
        self.assertEqual((s["projects"], s["budget_yuan"], s["award_yuan"]), (3, D("9000000"), D("8250000")))
        self.assertEqual(s["saved_yuan"], D("750000"))
        self.assertAlmostEqual(float(s["rate"]), 750000 / 9000000)
        p = selectors.savings(TenderProject.objects.filter(regime=Regime.PROCUREMENT))
        self.assertAlmostEqual(float(p["rate"]), 250000 / 4000000)

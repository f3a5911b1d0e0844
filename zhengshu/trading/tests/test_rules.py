"""Table-driven tests of every legal timing and amount check (TH-xx), each at, just under and just over its limit."""

import datetime as dt
from decimal import Decimal as D

from django.test import TestCase

from zhengshu.trading import rules
from zhengshu.trading.choices import Kind, Method, Regime
from zhengshu.trading.models import MustTenderThreshold, TenderProject

d = dt.date


def project(**kw) -> TenderProject:
    base = {"code": "T", "name": "测试", "regime": Regime.WORKS, "kind": Kind.CONSTRUCTION, "method": Method.OPEN}
    return TenderProject(**{**base, **kw})


def codes(found) -> list[str]:
    return [f.code for f in found]


class TimingChecks(TestCase):
    def test_days_from_issue_to_deadline(self):
        table = [  # (regime, issue, deadline, expected codes)
            (Regime.WORKS, d(2023, 3, 1), d(2023, 3, 21), []),            # exactly 20 days
            (Regime.WORKS, d(2023, 3, 1), d(2023, 3, 20), ["TH-06"]),     # 19 days
            (Regime.WORKS, d(2023, 3, 1), d(2023, 4, 30), []),
            (Regime.PROCUREMENT, d(2023, 3, 1), d(2023, 3, 20), ["TH-07"]),
            (Regime.PROCUREMENT, d(2023, 3, 1), d(2023, 3, 21), []),
            (Regime.WORKS, None, d(2023, 3, 20), []),                      # not yet known: nothing to say
        ]
        for regime, issue, deadline, expected in table:
            with self.subTest(regime=regime, issue=issue, deadline=deadline):
                found = rules.check_deadline(project(regime=regime, doc_issue_date=issue, bid_deadline=deadline))
                self.assertEqual(codes(found), expected)
                if found:
                    self.assertIn("第24条" if regime == Regime.WORKS else "第35条", found[0].article)
                    self.assertIn("19 日", found[0].message)

    def test_tender_periods_bind_tenders_only_and_must_tender_works_fully(self):
        # (regime, method, must-tender known, issue, deadline, expected codes, severity)
        table = [
            (Regime.PROCUREMENT, Method.CONSULTATION, None, d(2023, 3, 1), d(2023, 3, 11), [], None),  # 磋商: 10 日合法
            (Regime.PROCUREMENT, Method.INQUIRY, None, d(2023, 3, 1), d(2023, 3, 4), [], None),
            (Regime.WORKS, Method.DIRECT, None, d(2023, 3, 1), d(2023, 3, 5), [], None),
            (Regime.PROCUREMENT, Method.INVITED, None, d(2023, 3, 1), d(2023, 3, 20), ["TH-07"], "high"),
            (Regime.WORKS, Method.OPEN, True, d(2023, 3, 1), d(2023, 3, 20), ["TH-06"], "high"),
            (Regime.WORKS, Method.OPEN, None, d(2023, 3, 1), d(2023, 3, 20), ["TH-06"], "high"),
            (Regime.WORKS, Method.OPEN, False, d(2023, 3, 1), d(2023, 3, 20), ["TH-06"], "low"),  # 非必须招标：参照
            (Regime.WORKS, Method.OPEN, False, d(2023, 3, 1), d(2023, 3, 21), [], None),
        ]
        for regime, method, must, issue, deadline, expected, severity in table:
            with self.subTest(regime=regime, method=method, must=must, deadline=deadline):
                found = rules.check_deadline(project(regime=regime, method=method, doc_issue_date=issue,
                                                     bid_deadline=deadline), must=must)
                self.assertEqual(codes(found), expected)
                if found:
                    self.assertEqual(found[0].severity, severity)
                    self.assertEqual("参照" in found[0].article, must is False)
        # legal_findings decides must-tender from the thresholds: 300 万 works is not must-tender, 500 万 is
        thresholds = list(MustTenderThreshold.objects.all())
        for amount, severity in ((D("3000000"), "low"), (D("5000000"), "high")):
            with self.subTest(amount=amount):
                p = project(estimated_price_yuan=amount, planned_date=d(2023, 3, 1), doc_issue_date=d(2023, 3, 1),
                            bid_deadline=d(2023, 3, 15))
                found = [f for f in rules.legal_findings(p, thresholds=thresholds) if f.code == "TH-06"]
                self.assertEqual([f.severity for f in found], [severity])

    def test_sale_period(self):
        table = [
            (Regime.WORKS, d(2023, 3, 1), d(2023, 3, 6), []),               # 5 days
            (Regime.WORKS, d(2023, 3, 1), d(2023, 3, 5), ["TH-08"]),        # 4 days
            # procurement counts working days: Fri 03-03 → Fri 03-10 is 5 working days; → Thu 03-09 is 4
            (Regime.PROCUREMENT, d(2023, 3, 3), d(2023, 3, 10), []),
            (Regime.PROCUREMENT, d(2023, 3, 3), d(2023, 3, 9), ["TH-24"]),
            # over the 2023 National Day holiday (Sep 29 – Oct 6): 8 calendar days, 0 working days after Sep 28
            (Regime.PROCUREMENT, d(2023, 9, 28), d(2023, 10, 6), ["TH-24"]),
        ]
        for regime, issue, end, expected in table:
            with self.subTest(regime=regime, issue=issue, end=end):
                found = rules.check_sale_period(project(regime=regime, doc_issue_date=issue, doc_sale_end=end))
                self.assertEqual(codes(found), expected)
        # 询价、单一来源 are not 招标: no 发售期 rule of the two laws applies
        for method in (Method.INQUIRY, Method.SINGLE):
            found = rules.check_sale_period(project(regime=Regime.PROCUREMENT, method=method,
                                                    doc_issue_date=d(2023, 3, 3), doc_sale_end=d(2023, 3, 6)))
            self.assertEqual(codes(found), [], method)

    def test_clarification_needs_15_days_or_an_extension(self):
        table = [  # (clarification, affects preparation, original deadline, deadline, expected)
            (d(2023, 3, 5), True, None, d(2023, 3, 20), []),                      # exactly 15 days
            (d(2023, 3, 6), True, None, d(2023, 3, 20), ["TH-10"]),               # 14 days
            (d(2023, 3, 6), False, None, d(2023, 3, 20), []),                     # does not affect preparation
            (d(2023, 3, 10), True, d(2023, 3, 20), d(2023, 3, 24), ["TH-10"]),    # extended, still 14 days
            (d(2023, 3, 10), True, d(2023, 3, 20), d(2023, 3, 25), []),           # extended to 15 days
        ]
        for regime, method, expected, article in (
                (Regime.PROCUREMENT, Method.OPEN, ["TH-10"], "《政府采购法实施条例》第31条"),
                (Regime.WORKS, Method.OPEN, ["TH-10"], "《招标投标法实施条例》第21条"),
                (Regime.PROCUREMENT, Method.CONSULTATION, [], None)):  # 磋商文件的澄清另有时限
            with self.subTest(regime=regime, method=method):
                found = rules.check_clarification(project(
                    regime=regime, method=method, clarification_date=d(2023, 3, 6),
                    clarification_affects_preparation=True, bid_deadline=d(2023, 3, 20)))
                self.assertEqual(codes(found), expected)
                if found:
                    self.assertTrue(found[0].article.startswith(article), found[0].article)
        for clar, affects, original, deadline, expected in table:
            with self.subTest(clar=clar, affects=affects, deadline=deadline):
                found = rules.check_clarification(project(
                    clarification_date=clar, clarification_affects_preparation=affects,
                    original_bid_deadline=original, bid_deadline=deadline))
                self.assertEqual(codes(found), expected)
                if found:
                    self.assertIn("第21条", found[0].article)
        extended = rules.check_clarification(project(clarification_date=d(2023, 3, 10), clarification_affects_preparation=True,
                                                     original_bid_deadline=d(2023, 3, 20), bid_deadline=d(2023, 3, 24)))
        self.assertIn("已顺延但仍不足", extended[0].message)

    def test_candidate_publicity(self):
        table = [  # (report, start, end, expected)
            (d(2023, 5, 1), d(2023, 5, 2), d(2023, 5, 5), []),                  # 3 days, next day
            (d(2023, 5, 1), d(2023, 5, 2), d(2023, 5, 4), ["TH-16"]),           # 2 days
            (d(2023, 5, 1), d(2023, 5, 4), d(2023, 5, 7), []),                  # published on the 3rd day
            (d(2023, 5, 1), d(2023, 5, 5), d(2023, 5, 8), ["TH-16"]),           # 4 days after the report
            (d(2023, 5, 1), d(2023, 5, 5), d(2023, 5, 6), ["TH-16", "TH-16"]),  # both
        ]
        for report, start, end, expected in table:
            with self.subTest(start=start, end=end):
                found = rules.check_publicity(project(evaluation_report_date=report, candidate_publicity_start=start,
                                                      candidate_publicity_end=end))
                self.assertEqual(codes(found), expected)
        # 政府采购 has no 中标候选人公示 (it publishes the result, N87 第69条): TH-16 does not apply
        found = rules.check_publicity(project(regime=Regime.PROCUREMENT, evaluation_report_date=d(2023, 5, 1),
                                              candidate_publicity_start=d(2023, 5, 5),
                                              candidate_publicity_end=d(2023, 5, 6)))
        self.assertEqual(codes(found), [])

    def test_contract_within_30_days(self):
        table = [  # (award, notification, contract, expected)
            (d(2023, 6, 1), d(2023, 6, 1), d(2023, 7, 1), []),          # 30 days
            (d(2023, 6, 1), d(2023, 6, 1), d(2023, 7, 2), ["TH-17"]),   # 31 days
            (d(2023, 6, 1), d(2023, 6, 10), d(2023, 7, 10), []),        # counted from the notification
            (d(2023, 6, 1), None, d(2023, 7, 2), ["TH-17"]),            # no notification date: from the award
            (d(2023, 6, 1), None, None, []),
        ]
        for award, notification, contract, expected in table:
            with self.subTest(notification=notification, contract=contract):
                found = rules.check_contract(project(award_date=award, notification_date=notification,
                                                     contract_date=contract))
                self.assertEqual(codes(found), expected)
                if found:
                    self.assertIn("第46条", found[0].article)
        for regime, article in ((Regime.WORKS, "《招标投标法》第46条"), (Regime.PROCUREMENT, "《政府采购法》第46条")):
            with self.subTest(regime=regime):
                found = rules.check_contract(project(regime=regime, notification_date=d(2023, 6, 1),
                                                     contract_date=d(2023, 7, 2)))
                self.assertEqual([f.article for f in found], [article])


class AmountChecks(TestCase):
    def test_bid_bond_at_most_2_percent(self):
        table = [  # (regime, estimate, budget, bond, expected)
            (Regime.WORKS, D("5000000"), None, D("100000"), []),                # exactly 2%
            (Regime.WORKS, D("5000000"), None, D("100000.01"), ["TH-03"]),
            (Regime.PROCUREMENT, D("9000000"), D("3000000"), D("60000"), []),  # procurement: against the budget
            (Regime.PROCUREMENT, D("9000000"), D("3000000"), D("60001"), ["TH-04"]),
            (Regime.WORKS, None, None, D("1"), []),                            # no base amount: nothing to compare
        ]
        for regime, estimate, budget, bond, expected in table:
            with self.subTest(regime=regime, bond=bond):
                found = rules.check_bid_bond(project(regime=regime, estimated_price_yuan=estimate, budget_yuan=budget,
                                                     bid_bond_yuan=bond))
                self.assertEqual(codes(found), expected)

    def test_performance_bond_at_most_10_percent(self):
        table = [
            (Regime.WORKS, D("3000000"), D("300000"), []),
            (Regime.WORKS, D("3000000"), D("300000.01"), ["TH-05"]),
            (Regime.PROCUREMENT, D("800000"), D("80000"), []),
            (Regime.PROCUREMENT, D("800000"), D("96000"), ["TH-05"]),
        ]
        for regime, award, bond, expected in table:
            with self.subTest(regime=regime, bond=bond):
                found = rules.check_performance_bond(project(regime=regime, award_amount_yuan=award,
                                                             performance_bond_yuan=bond))
                self.assertEqual(codes(found), expected)
                if found:
                    self.assertIn("第58条" if regime == Regime.WORKS else "第48条", found[0].article)

    def test_fewer_than_three_bidders_means_retender(self):
        for count, expected in ((0, ["TH-12"]), (2, ["TH-12"]), (3, []), (7, []), (None, [])):
            with self.subTest(count=count):
                self.assertEqual(codes(rules.check_bidders(project(), count)), expected)
        table = [  # (regime, method, bidders, expected, article starts with)
            (Regime.PROCUREMENT, Method.OPEN, 2, ["TH-12"], "《政府采购法》第36条"),
            (Regime.WORKS, Method.INVITED, 2, ["TH-12"], "《招标投标法实施条例》第44条"),
            (Regime.PROCUREMENT, Method.SINGLE, 1, [], None),        # 单一来源: one supplier is the method
            (Regime.PROCUREMENT, Method.NEGOTIATION, 2, [], None),
            (Regime.WORKS, Method.DIRECT, 1, [], None),
        ]
        for regime, method, count, expected, article in table:
            with self.subTest(regime=regime, method=method, count=count):
                found = rules.check_bidders(project(regime=regime, method=method), count)
                self.assertEqual(codes(found), expected)
                if found:
                    self.assertTrue(found[0].article.startswith(article), found[0].article)

    def test_must_tender_thresholds_by_date_of_effect(self):
        thresholds = list(MustTenderThreshold.objects.all())  # shipped by the data migration
        self.assertEqual(len(thresholds), 6)
        table = [  # (kind, amount, planned, method, state share, controlled, expected)
            (Kind.CONSTRUCTION, D("4000000"), d(2023, 1, 1), Method.DIRECT, 100, True, ["TH-02"]),
            (Kind.CONSTRUCTION, D("3999999"), d(2023, 1, 1), Method.DIRECT, 100, True, []),
            (Kind.CONSTRUCTION, D("3000000"), d(2018, 5, 31), Method.DIRECT, 100, True, ["TH-02"]),  # old 200万 line
            (Kind.CONSTRUCTION, D("3000000"), d(2018, 6, 1), Method.DIRECT, 100, True, []),          # N16 in force
            (Kind.GOODS, D("2000000"), d(2023, 1, 1), Method.NEGOTIATION, 100, True, ["TH-02"]),
            (Kind.DESIGN, D("1000000"), d(2023, 1, 1), Method.SINGLE, 100, True, ["TH-02"]),
            (Kind.SERVICES, D("1200000"), d(2023, 1, 1), Method.SINGLE, 100, True, ["TH-02"]),
            (Kind.CONSTRUCTION, D("9000000"), d(2023, 1, 1), Method.OPEN, 100, True, []),            # tendered
            (Kind.CONSTRUCTION, D("9000000"), d(2023, 1, 1), Method.DIRECT, 0, False, []),           # private money
            (Kind.CONSTRUCTION, D("9000000"), d(2023, 1, 1), Method.DIRECT, 30, False, ["TH-02"]),   # 270万, 30%
        ]
        for kind, amount, planned, method, share, controlled, expected in table:
            with self.subTest(kind=kind, amount=amount, planned=planned, share=share):
                p = project(kind=kind, estimated_price_yuan=amount, planned_date=planned, method=method,
                            state_fund_share=D(share), state_controlled=controlled)
                self.assertEqual(codes(rules.check_must_tender(p, thresholds)), expected)
        # 预算资金 200 万元以上且占 10% 以上 (TH-01): 9,000,000 × 20% = 1,800,000 is under 200 万
        p = project(estimated_price_yuan=D("9000000"), planned_date=d(2023, 1, 1), method=Method.DIRECT,
                    state_fund_share=D(20), state_controlled=False)
        self.assertEqual(codes(rules.check_must_tender(p, thresholds)), [])

    def test_every_finding_names_its_article(self):
        p = project(doc_issue_date=d(2023, 3, 1), doc_sale_end=d(2023, 3, 2), bid_deadline=d(2023, 3, 10),
                    estimated_price_yuan=D("1000000"), bid_bond_yuan=D("50000"), award_amount_yuan=D("900000"),
                    performance_bond_yuan=D("200000"), award_date=d(2023, 4, 1), contract_date=d(2023, 6, 1))
        found = rules.legal_findings(p, bidder_count=2)
        self.assertEqual(sorted(codes(found)), ["TH-03", "TH-05", "TH-06", "TH-08", "TH-12", "TH-17"])
        self.assertTrue(all(f.article.startswith("《") for f in found))

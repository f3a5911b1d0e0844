"""评定分离 end to end: evaluation report → candidates' publicity → award committee → reasoned decision → contract."""

import datetime as dt
from decimal import Decimal as D

from zhengshu.core.services import ServiceError
from zhengshu.core.testing import PersonaTestCase
from zhengshu.trading import rules, selectors, services
from zhengshu.trading.choices import AwardMethod, Stage
from zhengshu.trading.models import AwardCommittee, TenderProject
from zhengshu.trading.tests.factories import at, bid_ready, grant, project, to_stage

d = dt.date
MEMBERS = [
    {"name": "张建国", "position": "分管副局长"}, {"name": "李红", "position": "工程科科长"},
    {"name": "王海", "position": "财务科科长"}, {"name": "赵敏", "position": "纪检监察员"},
    {"name": "钱伟", "position": "总工程师"},
    {"name": "孙立", "position": "办公室主任", "conflict": True, "conflict_note": "其配偶任候选人甲的项目经理"},
]


class Separation(PersonaTestCase):
    def setUp(self):
        grant(self.p)
        self.proj = project(self.p, separated=True, separation_basis="建市规〔2022〕5号；海宁市评定分离实施办法",
                            bid_validity_end=d(2023, 6, 30))
        self.bids = bid_ready(self.p, self.proj, prices=(D("4500000"), D("4600000"), D("4700000"), D("4800000")))
        to_stage(self.p, self.proj, Stage.OPENING, d(2023, 3, 22))
        services.open_bids_online(actor=self.p.supervisor, project=self.proj, at=at(d(2023, 3, 22)))

    def _evaluate_and_publicise(self, ranked=False):
        services.record_evaluation(actor=self.p.clerk_a, project=self.proj, report_date=d(2023, 3, 24),
                                   committee_size=5, ranked=ranked, remarks="三家合格，推荐不排序",
                                   candidates=[{"bid": b, "rank": i + 1, "remarks": "技术方案可行"}
                                               for i, b in enumerate(self.bids[:3])])
        to_stage(self.p, self.proj, Stage.CANDIDATES, d(2023, 3, 25))
        self.proj.candidate_publicity_end = d(2023, 3, 28)
        self.proj.save()

    def test_end_to_end_by_named_vote(self):
        self._evaluate_and_publicise()
        committee = services.form_award_committee(actor=self.p.clerk_a, project=self.proj, formed_on=d(2023, 3, 29),
                                                  method=AwardMethod.VOTE_DIRECT, members=MEMBERS,
                                                  supervisor_present="刘军")
        m = {x.name: x.pk for x in committee.members.all()}
        a, b, c = (bid.bidder for bid in self.bids[:3])
        with self.assertRaisesMessage(ServiceError, "应当回避"):
            services.decide_award(actor=self.p.clerk_a, project=self.proj, decided_on=d(2023, 3, 30), rationale="择优",
                                  votes={m["孙立"]: (a, "熟悉")})
        with self.assertRaisesMessage(ServiceError, "不是中标候选人"):
            services.decide_award(actor=self.p.clerk_a, project=self.proj, decided_on=d(2023, 3, 30), rationale="择优",
                                  votes={m["张建国"]: (self.bids[3].bidder, "报价高但信誉好")})
        with self.assertRaisesMessage(ServiceError, "公示期满后"):
            services.decide_award(actor=self.p.clerk_a, project=self.proj, decided_on=d(2023, 3, 28), rationale="择优比劣",
                                  votes={})
        votes = {m["张建国"]: (b, "施工组织设计最优"), m["李红"]: (b, "项目经理业绩突出"), m["王海"]: (a, "报价最低"),
                 m["赵敏"]: (b, "履约评价优良"), m["钱伟"]: (c, "工期承诺短")}
        services.decide_award(actor=self.p.clerk_a, project=self.proj, decided_on=d(2023, 3, 30), votes=votes,
                              rationale="乙方案技术最优、履约评价优良，3 票胜出（择优）；甲报价最低但技术方案一般（比劣）")
        self.proj.refresh_from_db()
        self.assertEqual((self.proj.winner, self.proj.award_amount_yuan, self.proj.stage), (b, D("4600000"), Stage.AWARD))
        facts = selectors.award_facts(self.proj)
        self.assertEqual(rules.award_findings(facts), [])  # a clean 评定分离: nothing to flag
        to_stage(self.p, self.proj, Stage.AWARD_PUBLICITY, d(2023, 3, 31))
        to_stage(self.p, self.proj, Stage.CONTRACT, d(2023, 4, 20))
        to_stage(self.p, self.proj, Stage.ACCEPTANCE, d(2023, 12, 20))
        self.assertEqual(TenderProject.objects.get(pk=self.proj.pk).acceptance_date, d(2023, 12, 20))
        summary = selectors.trading_summary(self.p.supervisor, 2023)
        self.assertEqual((summary["tenders"], summary["separated"]), (1, 1))

    def test_a_tie_is_refused_and_price_competition_picks_the_lowest(self):
        self._evaluate_and_publicise()
        services.form_award_committee(actor=self.p.clerk_a, project=self.proj, formed_on=d(2023, 3, 29),
                                      method=AwardMethod.PRICE_LOWEST, members=MEMBERS[:5])
        services.decide_award(actor=self.p.clerk_a, project=self.proj, decided_on=d(2023, 3, 30),
                              rationale="按招标文件规定的最低投标价法在合格候选人中确定")
        self.proj.refresh_from_db()
        self.assertEqual(self.proj.winner, self.bids[0].bidder)
        self.assertEqual(rules.decide_by_votes([(True, False, 1, "x"), (True, False, 2, "y")])[0], None)
        self.assertEqual(rules.decide_by_price(AwardMethod.PRICE_SECOND, {1: 10, 2: 12, 3: 11}), 3)
        self.assertEqual(rules.decide_by_price(AwardMethod.PRICE_AVERAGE, {1: 10, 2: 12, 3: 11.2}), 3)

    def test_lot_methods_are_flagged_as_conflicting_with_1117(self):
        self._evaluate_and_publicise()
        with self.assertRaisesMessage(ServiceError, "合规依据"):
            services.form_award_committee(actor=self.p.clerk_a, project=self.proj, formed_on=d(2023, 3, 29),
                                          method=AwardMethod.VOTE_LOT, members=MEMBERS[:5])
        services.form_award_committee(actor=self.p.clerk_a, project=self.proj, formed_on=d(2023, 3, 29),
                                      method=AwardMethod.LOT, members=MEMBERS[:2])
        services.decide_award(actor=self.p.clerk_a, project=self.proj, decided_on=d(2023, 3, 30),
                              winner=self.bids[2].bidder, rationale="现场抽签确定")
        codes = [f.code for f in rules.award_findings(selectors.award_facts(self.proj))]
        self.assertIn("PD-04", codes)
        self.assertIn("PD-03", codes)  # two members cannot be a collective decision
        self.assertIn("1117", next(f for f in selectors.project_findings(self.proj) if f.code == "PD-04").article)

    def test_pd_checks_table(self):
        base = dict(method=AwardMethod.VOTE_DIRECT, candidates=[1, 2, 3], winner=2, ranked_report=False,
                    ranked_configured=False, candidate_count_max=3,
                    members=[(True, False, 2, "优")] * 5, rationale="择优", separation_basis="建市规〔2022〕5号",
                    decided_on=d(2023, 4, 1), publicity_end=d(2023, 3, 28), bid_validity_end=d(2023, 6, 30),
                    evaluation_size=5)
        table = [
            ({}, []),
            ({"winner": 9}, ["PD-01"]),
            ({"ranked_report": True}, ["PD-02"]),
            ({"members": [(True, False, 2, "优")] * 2}, ["PD-03"]),
            ({"members": [(True, False, 2, "优")] * 4}, ["PD-03"]),
            ({"method": AwardMethod.LOT}, ["PD-04"]),
            ({"method": AwardMethod.VOTE_LOT}, ["PD-04", "PD-05"]),
            ({"decided_on": d(2023, 3, 28)}, ["PD-06"]),
            ({"decided_on": d(2023, 7, 1)}, ["PD-07"]),
            ({"members": [(False, False, 2, "优")] * 5}, ["PD-08"]),
            ({"members": [(True, False, 2, "优")] * 5 + [(True, True, 2, "优")]}, ["PD-08"]),
            ({"members": [(True, False, 2, "")] * 5}, ["PD-10"]),
            ({"rationale": ""}, ["PD-10"]),
            ({"separation_basis": ""}, ["PD-00"]),
            ({"evaluation_size": 4}, ["TH-14"]),
            ({"candidates": [1, 2, 3, 4]}, ["TH-15"]),
        ]
        for change, expected in table:
            with self.subTest(change=change):
                found = rules.award_findings(rules.AwardFacts(**{**base, **change}))
                self.assertEqual([f.code for f in found], expected)

    def test_separation_needs_a_decision_before_award(self):
        self._evaluate_and_publicise()
        with self.assertRaisesMessage(ServiceError, "定标委员会"):
            to_stage(self.p, self.proj, Stage.AWARD, d(2023, 3, 30))
        plain = project(self.p, code="HNGC2023-009")
        with self.assertRaisesMessage(ServiceError, "未采用评定分离"):
            services.form_award_committee(actor=self.p.clerk_a, project=plain, formed_on=d(2023, 3, 29),
                                          method=AwardMethod.VOTE_DIRECT, members=MEMBERS)
        self.assertEqual(TenderProject.objects.get(pk=self.proj.pk).stage, Stage.CANDIDATES)
        self.assertFalse(AwardCommittee.objects.filter(project=plain).exists())

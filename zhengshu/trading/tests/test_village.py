"""Village projects: tier by amount, decision record, lifecycle, split detection."""

import datetime as dt
from decimal import Decimal as D

from zhengshu.core.services import ServiceError
from zhengshu.core.testing import PersonaTestCase
from zhengshu.trading import selectors, services
from zhengshu.trading.choices import VillageMethod, VillageStage
from zhengshu.trading.demo import DEMO_TIERS
from zhengshu.trading.models import VillageProject, VillageTier
from zhengshu.trading.tests.factories import enterprise, grant
from zhengshu.trading.village import split_groups, tier_for

d = dt.date


class Village(PersonaTestCase):
    def setUp(self):
        grant(self.p)
        for name, low, high, method, basis in DEMO_TIERS:
            VillageTier.objects.create(name=name, min_yuan=low, max_yuan=high, method=method,
                                       effective_from=d(2023, 1, 1), basis=basis)
        self.tiers = list(VillageTier.objects.all())
        self.n = 0

    def make(self, amount, on, village="330481001201", category="road", **kw):
        self.n += 1
        return VillageProject.objects.create(
            code=f"CJ{self.n:03d}", name=f"道路硬化{self.n}", department=self.p.town, town=self.p.divisions.xiashi,
            village_code=village, village_name="新塘村", category=category, amount_yuan=D(amount), proposed_on=on, **kw)

    def test_tier_by_amount_and_date(self):
        VillageTier.objects.create(name="新档", min_yuan=0, max_yuan=None, method=VillageMethod.SELF,
                                   effective_from=d(2030, 1, 1))
        tiers = list(VillageTier.objects.all())
        for amount, on, expected in (("99999.99", d(2023, 5, 1), VillageMethod.SELF),
                                     ("100000", d(2023, 5, 1), VillageMethod.TOWN_PLATFORM),
                                     ("1000000", d(2023, 5, 1), VillageMethod.SMALL_PLATFORM),
                                     ("4000000", d(2023, 5, 1), VillageMethod.PUBLIC_TENDER),
                                     ("4000000", d(2030, 5, 1), VillageMethod.SELF)):
            with self.subTest(amount=amount, on=on):
                self.assertEqual(tier_for(D(amount), on, tiers).method, expected)

    def test_split_detection(self):
        a = self.make("60000", d(2023, 2, 1))
        b = self.make("55000", d(2023, 6, 1))
        far = self.make("50000", d(2024, 9, 1))                             # more than 12 months after a
        other_village = self.make("90000", d(2023, 3, 1), village="330481001202")
        other_kind = self.make("90000", d(2023, 3, 1), category="water")
        big = self.make("150000", d(2023, 4, 1))                            # above the band: not split
        flagged = split_groups(list(VillageProject.objects.all()), self.tiers)
        self.assertEqual(set(flagged), {a.pk, b.pk})
        self.assertIn(a.pk, flagged)
        self.assertEqual(flagged[a.pk][1], ["CJ001", "CJ002"])
        self.assertNotIn(other_village.pk, flagged)
        self.assertNotIn(other_kind.pk, flagged)
        self.assertNotIn(big.pk, flagged)

        self.assertNotIn(far.pk, flagged)
        self.assertIn("VL-01", [f.code for f in selectors.village_project_findings(a)])
        self.assertNotIn("VL-01", [f.code for f in selectors.village_project_findings(big)])

    def test_lifecycle_and_decision_rules(self):
        proj = self.make("300000", d(2023, 3, 1))
        with self.assertRaisesMessage(ServiceError, "赞成票"):
            services.advance_village(actor=self.p.town_clerk, project=proj, on=d(2023, 3, 20))
        services.advance_village(actor=self.p.town_clerk, project=proj, on=d(2023, 3, 20), members_total=30,
                                 votes_for=19, publicity_start=d(2023, 3, 5), publicity_end=d(2023, 3, 15))
        codes = [f.code for f in selectors.village_project_findings(proj)]
        self.assertEqual(codes.count("VL-02"), 1)  # 19 of 30 is under two thirds
        self.assertIn("VL-03", codes)             # 10 days of publicity
        proj.votes_for, proj.publicity_start = 20, d(2023, 2, 28)
        proj.save()
        self.assertEqual([f.code for f in selectors.village_project_findings(proj)], [])
        services.advance_village(actor=self.p.town_clerk, project=proj, on=d(2023, 4, 10),
                                 trading_method=VillageMethod.SELF, contractor=enterprise(3),
                                 contract_date=d(2023, 3, 10), contract_amount_yuan=D("290000"))
        codes = [f.code for f in selectors.village_project_findings(proj)]
        self.assertIn("VL-04", codes)   # contract before the decision
        self.assertIn("VL-11", codes)   # 30万 needs the small-project platform, not self-organised
        for stage in (VillageStage.BUILDING, VillageStage.ACCEPTED, VillageStage.AUDITED, VillageStage.DISCLOSED):
            proj = services.advance_village(actor=self.p.town_clerk, project=proj, on=d(2023, 9, 1))
            self.assertEqual(proj.stage, stage)
        with self.assertRaisesMessage(ServiceError, "已公示结项"):
            services.advance_village(actor=self.p.town_clerk, project=proj, on=d(2023, 9, 2))

    def test_decision_record_table(self):
        from types import SimpleNamespace

        from zhengshu.trading.village import village_findings

        def village(**kw):
            base = dict(stage=VillageStage.DECIDED, meeting_date=d(2023, 3, 20), members_total=30, votes_for=20,
                        publicity_start=d(2023, 3, 1), publicity_end=d(2023, 3, 16), contract_date=None,
                        start_date=None, trading_date=None, trading_method="", amount_yuan=D("50000"),
                        proposed_on=d(2023, 2, 1), audit_date=None)
            return SimpleNamespace(**{**base, **kw})

        table = [  # (changes, expected codes)
            ({}, []),                                                    # 20 of 30 = two thirds; 15 days
            ({"votes_for": 19}, ["VL-02"]),                              # under two thirds
            ({"members_total": 31, "votes_for": 21}, []),                # 21 × 3 = 63 ≥ 62
            ({"members_total": 31, "votes_for": 20}, ["VL-02"]),
            ({"publicity_end": d(2023, 3, 15)}, ["VL-03"]),              # 14 days
            ({"meeting_date": d(2023, 3, 16)}, ["VL-03"]),               # voted on the publicity's last day
            ({"meeting_date": d(2023, 3, 17)}, []),                      # the day after
            ({"publicity_start": None}, ["VL-03"]),                      # no publicity at all
            ({"meeting_date": None}, ["VL-02"]),                         # no meeting record
            ({"stage": VillageStage.PROPOSED, "votes_for": None}, []),   # not decided yet: nothing to check
        ]
        for changes, expected in table:
            with self.subTest(**{k: str(v) for k, v in changes.items()}):
                self.assertEqual([f.code for f in village_findings(village(**changes), [])], expected)

    def test_the_village_code_must_belong_to_the_town(self):
        from django.core.exceptions import ValidationError

        proj = VillageProject(code="X", name="x", department=self.p.town, town=self.p.divisions.xiashi,
                              village_code="330481102201", village_name="外镇村", category="road", amount_yuan=1,
                              proposed_on=d(2023, 1, 1))
        with self.assertRaisesMessage(ValidationError, "不属于所选镇"):
            proj.full_clean()

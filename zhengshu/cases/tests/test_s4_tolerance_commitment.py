"""容缺受理 and 告知承诺 (S4): overdue 容缺 terminates; a false commitment found at verification terminates or
revokes and flags the applicant; flagged applicants are refused both."""

from datetime import date

from django.test import TestCase

from zhengshu.cases import services
from zhengshu.cases.choices import CaseStatus, FlagKind, ToleranceStatus
from zhengshu.cases.models import ApplicantFlag, CommitmentTemplate
from zhengshu.cases.tests.factories import PDF, applicant, at, make_item, personas
from zhengshu.core.jobs import enqueue, run_once
from zhengshu.core.models import Job, JobStatus
from zhengshu.core.services import ServiceError


class ToleranceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = personas()
        cls.item = make_item(cls.p.dept_a, promised=10)
        cls.missing = cls.item.materials.get(name="食品安全管理制度")

    def accept_with_missing(self, seq=1, when="2024-09-26 10:00"):
        case = services.submit_application(actor=self.p.clerk_a, item=self.item, **applicant(seq), at=at(when))
        services.accept_with_tolerance(actor=self.p.clerk_a, case=case, missing=[self.missing], at=at(when))
        case.refresh_from_db()
        return case

    def test_the_promised_date_follows_the_material_rule_across_national_day(self):
        case = self.accept_with_missing()
        record = case.tolerances.get()
        self.assertTrue(case.tolerance)
        self.assertEqual(record.promised_date, date(2024, 10, 9))  # 5 working days: 27, 29, 30, 10-08, 10-09

    def test_overdue_tolerance_terminates_the_case_through_the_daily_job(self):
        case = self.accept_with_missing()
        other = self.accept_with_missing(seq=2)
        services.supply_missing_material(actor=self.p.clerk_a, case=other, record=other.tolerances.get(),
                                         filename="zd.pdf", content=PDF)
        enqueue("cases.tolerance_daily", {"date": "2024-10-07"})
        self.assertTrue(run_once())
        case.refresh_from_db()
        self.assertEqual(case.status, CaseStatus.ACCEPTED)
        self.assertEqual(case.tolerances.get().reminders, 1)  # due within 3 days: reminded
        enqueue("cases.tolerance_daily", {"date": "2024-10-10"})
        self.assertTrue(run_once())
        self.assertEqual(Job.objects.filter(status=JobStatus.DONE).count(), 2)
        case.refresh_from_db()
        other.refresh_from_db()
        self.assertEqual(case.status, CaseStatus.TERMINATED)
        self.assertIn("食品安全管理制度", case.closed_reason)
        self.assertEqual(case.tolerances.get().status, ToleranceStatus.OVERDUE)
        self.assertEqual(other.status, CaseStatus.ACCEPTED)  # supplied in time
        self.assertEqual(other.tolerances.get().status, ToleranceStatus.SUPPLIED)

    def test_a_granting_decision_waits_for_the_missing_material(self):
        case = self.accept_with_missing()
        with self.assertRaisesMessage(ServiceError, "容缺材料尚未补齐"):
            services.decide(actor=self.p.clerk_a, case=case, decision="granted")

    def test_only_listed_materials_may_be_missing(self):
        case = services.submit_application(actor=self.p.clerk_a, item=self.item, **applicant(3))
        with self.assertRaisesMessage(ServiceError, "不在容缺受理清单中"):
            services.accept_with_tolerance(actor=self.p.clerk_a, case=case,
                                           missing=[self.item.materials.get(name="申请书")])

    def test_flagged_applicants_are_refused_until_credit_repair(self):
        data = applicant(4)
        flag = services.flag_applicant(actor=self.p.clerk_a, id_number=data["applicant_id_number"], name="张三",
                                       kind=FlagKind.BAD_CREDIT, reason="信用中国严重失信名单")
        case = services.submit_application(actor=self.p.clerk_a, item=self.item, **data)
        with self.assertRaisesMessage(ServiceError, "信用修复前不适用容缺受理"):
            services.accept_with_tolerance(actor=self.p.clerk_a, case=case, missing=[self.missing])
        services.lift_flag(actor=self.p.clerk_a, flag=flag, reason="已完成信用修复")
        services.accept_with_tolerance(actor=self.p.clerk_a, case=case, missing=[self.missing])
        self.assertEqual(case.status, CaseStatus.ACCEPTED)


class CommitmentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = personas()
        cls.item = make_item(cls.p.dept_a, commitment=True)
        cls.v1 = CommitmentTemplate.objects.create(item=cls.item, version=1, title="食品经营许可告知承诺书",
                                                   body="本人承诺符合条件……", effective_from=date(2023, 1, 1),
                                                   active=False)
        cls.v2 = CommitmentTemplate.objects.create(item=cls.item, version=2, title="食品经营许可告知承诺书",
                                                   body="本人承诺经营场所符合要求，如有虚假愿承担法律责任。",
                                                   effective_from=date(2024, 1, 1))

    def committed_case(self, seq=1):
        case = services.submit_application(actor=self.p.clerk_a, item=self.item, **applicant(seq),
                                           at=at("2024-03-01 09:00"))
        letter = services.accept_with_commitment(actor=self.p.clerk_a, case=case, template=self.v2,
                                                 signer_name="张三", at=at("2024-03-01 09:30"))
        return case, letter

    def test_a_signed_commitment_keeps_the_text_and_gets_a_verification_task(self):
        case, letter = self.committed_case()
        self.assertEqual(letter.text, self.v2.body)
        task = letter.verifications.get()
        self.assertEqual(task.due_date, date(2024, 3, 29))  # 20 working days
        self.assertTrue(case.commitment)
        with self.assertRaisesMessage(ServiceError, "模板不属于该事项或已停用"):
            other = services.submit_application(actor=self.p.clerk_a, item=self.item, **applicant(9))
            services.accept_with_commitment(actor=self.p.clerk_a, case=other, template=self.v1, signer_name="张三")

    def test_a_false_commitment_found_after_conclusion_revokes_and_flags_the_applicant(self):
        case, letter = self.committed_case()
        services.decide(actor=self.p.clerk_a, case=case, decision="granted")
        services.conclude(actor=self.p.clerk_a, case=case)
        services.record_verification(actor=self.p.colleague_a, case=case, task=letter.verifications.get(),
                                     outcome="false", notes="现场核查：经营场所与承诺不符")
        case.refresh_from_db()
        self.assertEqual(case.status, CaseStatus.REVOKED)
        flag = ApplicantFlag.objects.get(id_number=case.applicant_id_number)
        self.assertEqual((flag.kind, flag.source_case_id), (FlagKind.FALSE_COMMITMENT, case.pk))
        again = services.submit_application(actor=self.p.clerk_a, item=self.item, **applicant(1))
        with self.assertRaisesMessage(ServiceError, "有“虚假承诺”记录"):
            services.accept_with_commitment(actor=self.p.clerk_a, case=again, template=self.v2, signer_name="张三")

    def test_a_false_commitment_found_during_handling_terminates(self):
        case, letter = self.committed_case(seq=2)
        services.record_verification(actor=self.p.clerk_a, case=case, task=letter.verifications.get(),
                                     outcome="false", notes="数据共享核查：无相关资质")
        case.refresh_from_db()
        self.assertEqual(case.status, CaseStatus.TERMINATED)

    def test_a_true_verification_changes_nothing_and_cannot_be_recorded_twice(self):
        case, letter = self.committed_case(seq=3)
        task = letter.verifications.get()
        services.record_verification(actor=self.p.clerk_a, case=case, task=task, outcome="true")
        case.refresh_from_db()
        self.assertEqual(case.status, CaseStatus.ACCEPTED)
        self.assertFalse(ApplicantFlag.objects.exists())
        with self.assertRaisesMessage(ServiceError, "已有结果"):
            services.record_verification(actor=self.p.clerk_a, case=case, task=task, outcome="false", notes="x")


class DailyCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = personas()
        cls.item = make_item(cls.p.dept_a, promised=10)

    def test_the_daily_command_terminates_overdue_cases(self):
        import json
        from io import StringIO

        from django.core.management import call_command

        case = services.submit_application(actor=self.p.clerk_a, item=self.item, **applicant(1),
                                           at=at("2024-09-26 10:00"))
        services.accept_with_tolerance(actor=self.p.clerk_a, case=case,
                                       missing=[self.item.materials.get(may_be_missing=True)],
                                       at=at("2024-09-26 10:00"))
        out = StringIO()
        call_command("cases_daily", "--date", "2024-10-10", "--json", stdout=out)
        self.assertEqual(json.loads(out.getvalue()), {"date": "2024-10-10", "reminded": 0, "terminated": 1})
        case.refresh_from_db()
        self.assertEqual(case.status, CaseStatus.TERMINATED)
        out = StringIO()
        call_command("cases_daily", "--date", "2024-10-11", "--enqueue", "--json", stdout=out)
        self.assertEqual(Job.objects.get(pk=json.loads(out.getvalue())["job"]).kind, "cases.tolerance_daily")

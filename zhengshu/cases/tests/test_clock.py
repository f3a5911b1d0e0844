"""Due dates on the national calendar: Spring Festival and National Day 2024–2026 with 调休 make-up days,
calendar-day limits, 延长审批 and 特别程序 pauses — table-driven, then replayed through the services."""

from datetime import date

from django.test import TestCase

from zhengshu.cases import clock, services
from zhengshu.cases.choices import CaseStatus, ClockKind, SuspensionKind
from zhengshu.cases.tests.factories import applicant, at, make_item, personas

# accepted on, limit, unit, extension, paused → promised due. Make-up workdays: 2024-02-04/02-18 (Sun),
# 2024-09-29 (Sun), 2024-10-12 (Sat), 2025-01-26 (Sun), 2025-09-28 (Sun), 2025-10-11 (Sat), 2026-02-14 (Sat),
# 2026-09-20 (Sun), 2026-10-10 (Sat).
TABLE = [
    ("春节2024：初一前受理，跨整个假期", date(2024, 2, 8), 5, "workday", 0, 0, date(2024, 2, 21)),
    ("春节2024：调休上班的周日计入", date(2024, 2, 7), 3, "workday", 0, 0, date(2024, 2, 18)),
    ("国庆2024：周五受理，周日调休计入", date(2024, 9, 27), 3, "workday", 0, 0, date(2024, 10, 8)),
    ("国庆2024：节后周六调休是第5个工作日", date(2024, 9, 30), 5, "workday", 0, 0, date(2024, 10, 12)),
    ("国庆2024：节中受理，次一工作日为第1日", date(2024, 10, 3), 1, "workday", 0, 0, date(2024, 10, 8)),
    ("春节2025：周日调休计入，跨假期", date(2025, 1, 24), 5, "workday", 0, 0, date(2025, 2, 7)),
    ("国庆2025（八天）：10个工作日", date(2025, 9, 26), 10, "workday", 0, 0, date(2025, 10, 16)),
    ("国庆2025：延长审批5个工作日", date(2025, 9, 26), 10, "workday", 5, 0, date(2025, 10, 23)),
    ("春节2026：周六调休是第1个工作日", date(2026, 2, 13), 1, "workday", 0, 0, date(2026, 2, 14)),
    ("春节2026：跨九天假期", date(2026, 2, 13), 5, "workday", 0, 0, date(2026, 2, 27)),
    ("春节2026：20个工作日", date(2026, 1, 30), 20, "workday", 0, 0, date(2026, 3, 5)),
    ("国庆2026：周六调休为第3个工作日", date(2026, 9, 30), 3, "workday", 0, 0, date(2026, 10, 10)),
    ("国庆2024：特别程序不计4个工作日", date(2024, 9, 20), 10, "workday", 0, 4, date(2024, 10, 15)),
    ("自然日：届满日为国庆假日，顺延至节后首个工作日", date(2025, 9, 26), 5, "calendar_day", 0, 0, date(2025, 10, 9)),
    ("自然日：届满日为工作日", date(2024, 2, 1), 20, "calendar_day", 0, 0, date(2024, 2, 21)),
    ("自然日：特别程序不计的自然日顺延", date(2024, 2, 1), 20, "calendar_day", 0, 3, date(2024, 2, 26)),
]


class DueDateTableTests(TestCase):
    def test_the_table(self):
        for label, accepted, limit, unit, ext, paused, expected in TABLE:
            with self.subTest(label):
                due = clock.due_dates(accepted_on=accepted, legal_limit=limit * 2, legal_unit=unit,
                                      promised_limit=limit, promised_unit=unit, is_immediate=False,
                                      extension_days=ext, paused_days=paused)
                self.assertEqual(due.promised, expected)
                self.assertLessEqual(due.warn, due.promised)
                self.assertGreaterEqual(due.legal, due.promised)

    def test_immediate_items_are_due_on_the_day_of_acceptance(self):
        due = clock.due_dates(accepted_on=date(2024, 2, 8), legal_limit=20, legal_unit="workday", promised_limit=0,
                              promised_unit="workday", is_immediate=True)
        self.assertEqual(due.promised, date(2024, 2, 8))
        self.assertEqual(due.legal, date(2024, 3, 13))  # 20 working days, 02-18 counted

    def test_the_warning_falls_at_80_percent_of_the_promised_time(self):
        due = clock.due_dates(accepted_on=date(2024, 9, 20), legal_limit=20, legal_unit="workday",
                              promised_limit=10, promised_unit="workday", is_immediate=False)
        self.assertEqual(due.warn, date(2024, 10, 8))  # the 8th working day
        self.assertEqual(due.promised, date(2024, 10, 10))

    def test_paused_working_days_are_counted_across_national_day(self):
        self.assertEqual(clock.paused_length(date(2024, 9, 27), date(2024, 10, 9), "workday"), 4)
        self.assertEqual(clock.paused_length(date(2024, 9, 27), date(2024, 10, 9), "calendar_day"), 12)


class ClockThroughServicesTests(TestCase):
    """The same rules replayed on a real case: 补正 before 受理, a pause over National Day, then 延长审批."""

    @classmethod
    def setUpTestData(cls):
        cls.p = personas()
        cls.item = make_item(cls.p.dept_a, legal=20, promised=10)

    def test_correction_time_is_not_counted_and_pauses_and_extensions_move_the_due_dates(self):
        clerk = self.p.clerk_a
        case = services.submit_application(actor=clerk, item=self.item, **applicant(), at=at("2024-09-02 09:00"))
        services.request_correction(actor=clerk, case=case, content="营业执照复印件不清晰", at=at("2024-09-03 10:00"))
        services.resubmit(actor=clerk, case=case, at=at("2024-09-19 15:00"))
        services.accept(actor=clerk, case=case, at=at("2024-09-20 09:30"))
        case.refresh_from_db()
        self.assertEqual(case.accepted_on, date(2024, 9, 20))  # the 补正 fortnight is not on the clock
        self.assertEqual(case.promised_due, date(2024, 10, 10))
        self.assertEqual(case.legal_due, date(2024, 10, 23))
        services.start_review(actor=clerk, case=case, at=at("2024-09-23 09:00"))
        services.suspend(actor=clerk, case=case, kind=SuspensionKind.OTHER, reason="现场核查",
                         at=at("2024-09-27 16:00"))
        case.refresh_from_db()
        self.assertEqual(case.status, CaseStatus.SUSPENDED)
        self.assertEqual(clock.warning(case, date(2024, 10, 20)), "")  # the clock stands still
        services.resume(actor=clerk, case=case, result="核查合格", at=at("2024-10-09 10:00"))
        case.refresh_from_db()
        self.assertEqual(case.paused_days, 4)
        self.assertEqual(case.promised_due, date(2024, 10, 15))
        services.suspend(actor=clerk, case=case, kind=SuspensionKind.EXTENSION, reason="情况复杂，经负责人批准",
                         extension_days=5, at=at("2024-10-10 10:00"))
        services.resume(actor=clerk, case=case, at=at("2024-10-10 11:00"))
        case.refresh_from_db()
        self.assertEqual(case.extension_days, 5)
        self.assertEqual(case.paused_days, 4)  # 延长审批 does not stop the clock
        self.assertEqual(case.promised_due, date(2024, 10, 22))  # 19 working days after 2024-09-20
        self.assertEqual(clock.warning(case, date(2024, 10, 18)), "warn")
        self.assertEqual(clock.warning(case, date(2024, 10, 23)), "overdue")
        kinds = list(case.clock_events.values_list("kind", "days", "promised_due"))
        self.assertEqual(kinds, [
            (ClockKind.START, 0, date(2024, 10, 10)),
            (ClockKind.PAUSE, 0, date(2024, 10, 10)),
            (ClockKind.RESUME, 4, date(2024, 10, 15)),
            (ClockKind.EXTEND, 5, date(2024, 10, 22)),
        ])
        services.decide(actor=clerk, case=case, decision="granted", at=at("2024-10-22 09:00"))
        services.conclude(actor=clerk, case=case, at=at("2024-10-22 16:00"))
        case.refresh_from_db()
        self.assertTrue(case.on_time)
        self.assertEqual(case.clock_events.last().kind, ClockKind.STOP)

    def test_a_case_concluded_after_its_promised_day_is_late(self):
        clerk = self.p.clerk_a
        case = services.submit_application(actor=clerk, item=self.item, **applicant(2), at=at("2024-02-07 09:00"))
        services.accept(actor=clerk, case=case, at=at("2024-02-07 10:00"))
        services.decide(actor=clerk, case=case, decision="granted", at=at("2024-02-23 10:00"))
        services.conclude(actor=clerk, case=case, at=at("2024-03-01 10:00"))
        case.refresh_from_db()
        self.assertEqual(case.promised_due, date(2024, 2, 27))  # 10 working days incl. Sunday 02-18
        self.assertFalse(case.on_time)


class UnknownYearTests(TestCase):
    """A year whose 节假日安排 is not published yet (2027 is beyond chinesecalendar 1.11): the due date is
    estimated with weekends only and the clock record says so; once the city enters the year's days, the next
    clock change recomputes. Expectations by hand: December 2026 has no holidays; 2027-01-01 is a Friday."""

    @classmethod
    def setUpTestData(cls):
        cls.p = personas()
        cls.item = make_item(cls.p.dept_a, legal=30, promised=20)

    def test_a_clock_running_into_an_unknown_year_is_estimated_and_recomputed_once_entered(self):
        from zhengshu.core.models import CalendarOverride, DayKind

        clerk = self.p.clerk_a
        case = services.submit_application(actor=clerk, item=self.item, **applicant(7), at=at("2026-12-15 09:00"))
        services.accept(actor=clerk, case=case, at=at("2026-12-15 09:30"))
        case.refresh_from_db()
        # 12 working days 12-16…12-31, then 01-01 (a Friday, counted), 01-04…01-08, 01-11, 01-12.
        self.assertEqual(case.promised_due, date(2027, 1, 12))
        self.assertEqual(case.legal_due, date(2027, 1, 26))
        self.assertIn("2027 年节假日安排未录入", case.clock_events.get(kind=ClockKind.START).reason)
        services.start_review(actor=clerk, case=case, at=at("2026-12-16 09:00"))
        services.suspend(actor=clerk, case=case, kind=SuspensionKind.OTHER, reason="专家评审",
                         at=at("2026-12-30 10:00"))
        services.resume(actor=clerk, case=case, result="评审通过", at=at("2027-01-05 10:00"))  # did not fail
        case.refresh_from_db()
        self.assertEqual(case.paused_days, 4)  # 12-31, 01-01 (estimated), 01-04, 01-05
        self.assertEqual(case.promised_due, date(2027, 1, 18))
        CalendarOverride.objects.create(date=date(2027, 1, 1), kind=DayKind.HOLIDAY, citywide=True,
                                        reason="元旦", department=self.p.dept_a)
        services.suspend(actor=clerk, case=case, kind=SuspensionKind.EXTENSION, reason="经负责人批准延长",
                         extension_days=2, at=at("2027-01-06 10:00"))
        case.refresh_from_db()
        # 20 + 2 + 4 = 26 working days, 2027-01-01 now a holiday: 01-04 is the 13th, 01-21 the 26th.
        self.assertEqual(case.promised_due, date(2027, 1, 21))
        self.assertNotIn("未录入", case.clock_events.get(kind=ClockKind.EXTEND).reason)

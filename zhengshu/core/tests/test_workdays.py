"""Working days with Chinese holidays, 调休, and local overrides."""

from datetime import date

from zhengshu.core.models import CalendarOverride
from zhengshu.core.testing import PersonaTestCase
from zhengshu.core.workdays import CalendarUnknown, add_workdays, covered_years, is_workday, workdays_between


class WorkdayTests(PersonaTestCase):
    def test_it_knows_national_day_and_its_makeup_workday(self):
        self.assertFalse(is_workday(date(2025, 10, 1)))  # 国庆节
        self.assertTrue(is_workday(date(2025, 9, 28)))  # Sunday worked in exchange (调休)
        self.assertFalse(is_workday(date(2025, 9, 27)))  # an ordinary Saturday

    def test_it_counts_a_time_limit_across_a_holiday(self):
        # Accepted Tue 30 Sep 2025, 5 working days: 1–8 Oct off; 9, 10, 11 (调休 Saturday), 13, 14 Oct.
        self.assertEqual(add_workdays(date(2025, 9, 30), 5), date(2025, 10, 14))
        self.assertEqual(workdays_between(date(2025, 9, 30), date(2025, 10, 14)), 5)

    def test_it_applies_a_local_closure_to_that_department_only(self):
        closed = date(2025, 11, 5)
        CalendarOverride.objects.create(date=closed, kind="holiday", department=self.p.town, reason="中心搬迁")
        self.assertFalse(is_workday(closed, department_id=self.p.town.pk))
        self.assertTrue(is_workday(closed, department_id=self.p.dept_a.pk))
        self.assertEqual(add_workdays(date(2025, 11, 4), 1, department_id=self.p.town.pk), date(2025, 11, 6))

    def test_it_refuses_a_year_nobody_has_entered(self):
        year = max(covered_years()) + 2
        with self.assertRaises(CalendarUnknown):
            is_workday(date(year, 3, 3))

    def test_it_uses_entered_holidays_for_a_year_the_package_lacks(self):
        year = max(covered_years()) + 1
        CalendarOverride.objects.create(date=date(year, 1, 1), kind="holiday", citywide=True,
                                        department=self.p.office, reason="元旦")
        self.assertFalse(is_workday(date(year, 1, 1)))
        self.assertEqual(is_workday(date(year, 3, 3)), date(year, 3, 3).weekday() < 5)

    def test_a_local_closure_alone_does_not_make_an_unknown_year_known(self):
        year = max(covered_years()) + 1
        CalendarOverride.objects.create(date=date(year, 2, 1), kind="holiday", department=self.p.town, reason="闭厅")
        for call in (lambda: is_workday(date(year, 3, 3), department_id=self.p.town.pk),
                     lambda: add_workdays(date(year, 3, 1), 3, department_id=self.p.town.pk),
                     lambda: workdays_between(date(year, 3, 1), date(year, 3, 9), department_id=self.p.town.pk)):
            with self.assertRaises(CalendarUnknown):
                call()

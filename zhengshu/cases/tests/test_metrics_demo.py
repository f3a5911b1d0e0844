"""The demo generator takes cases through every path, and the metrics are recomputed from the cases with
predicates that are data: change a predicate, the figure changes; drill-down lists exactly the counted cases."""

from django.test import TestCase

from zhengshu.cases import demo, metrics
from zhengshu.cases.models import Case, CaseEvent, MetricDefinition, Rating
from zhengshu.cases.tests.factories import make_item, personas
from zhengshu.core.context import command_context


class DemoAndMetricsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.p = personas()
        for n in range(1, 7):
            make_item(cls.p.dept_a if n % 2 else cls.p.dept_b, n, promised=(n % 3) * 5, immediate=n == 6,
                      commitment=n == 3)
        demo.TARGET_CASES, saved = 1500, demo.TARGET_CASES
        try:
            with command_context("test"):
                demo.seed_parameters()
                cls.stats = demo._generate()
        finally:
            demo.TARGET_CASES = saved

    def test_the_generator_covers_every_path(self):
        self.assertEqual(Case.objects.filter(submitted_at__year=2023).count(), 1500)
        statuses = set(Case.objects.values_list("status", flat=True))
        self.assertTrue({"withdrawn", "rejected", "delivered", "rated", "terminated"} <= statuses, statuses)
        for key in ("补正", "容缺", "告知承诺", "特别程序", "评价"):
            self.assertGreater(self.stats[key], 0, key)
        case = Case.objects.filter(status="rated").first()
        self.assertEqual(list(case.events.values_list("action", flat=True))[-1], "rate")
        self.assertTrue(case.clock_events.filter(kind="start").exists())

    def test_metrics_are_counted_from_the_cases(self):
        result = metrics.run_metrics_command({"year": 2023})
        cases = Case.objects.filter(submitted_at__year=2023)
        self.assertEqual(result["counts"]["one_network_rate"],
                         {"numerator": cases.filter(via_platform=True).count(), "denominator": cases.count()})
        rated = Rating.objects.filter(rated_at__year=2023)
        self.assertAlmostEqual(result["good_rating_rate"], round(rated.filter(level__lte=2).count() / rated.count(), 4))
        concluded = Case.objects.filter(concluded_at__year=2023)
        self.assertEqual(result["counts"]["on_time_rate"]["denominator"], concluded.count())
        self.assertEqual(result["immediate_rate"], round(1 / 6, 4))
        self.assertEqual(set(result) - {"year", "department", "counts"}, set(metrics.KEYS))
        only_a = metrics.run_metrics_command({"year": 2023, "department": "HN-SJJ"})
        self.assertEqual(only_a["counts"]["one_network_rate"]["denominator"],
                         cases.filter(department=self.p.dept_a).count())

    def test_predicates_are_data(self):
        definition = MetricDefinition.objects.get(key="one_network_rate")
        before = metrics.compute(definition, 2023)
        definition.numerator = {"via_platform": True, "channel__in": ["2", "3"]}
        definition.save()
        after = metrics.compute(definition, 2023)
        online = Case.objects.filter(submitted_at__year=2023, via_platform=True, channel__in=["2", "3"]).count()
        self.assertEqual(after["numerator"], online)
        self.assertLess(after["value"], before["value"])
        drilled = metrics.drill_down(definition, 2023, part="numerator")
        self.assertEqual(drilled.count(), online)
        self.assertEqual(metrics.drill_down(definition, 2023, part="excluded").count(),
                         after["denominator"] - online)
        with self.assertRaisesMessage(ValueError, "办件条件无效"):
            metrics.validate_predicate("cases", {"no_such_field": 1})
        with self.assertRaisesMessage(ValueError, "请用 --year 指定统计年度"):
            metrics.run_metrics_command({})
        with self.assertRaisesMessage(ValueError, "部门编码“HN-XX”不存在"):
            metrics.run_metrics_command({"year": 2023, "department": "HN-XX"})

    def test_demo_events_are_complete(self):
        self.assertEqual(CaseEvent.objects.filter(action="submit").count(), 1500)

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

    def test_queue_and_drill_down_pages_do_not_query_per_row(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from zhengshu.core.testing import login

        login(self.client, self.p.auditor)  # reads the whole city: 50 rows a page
        counts = {}
        for url in ("/cases/?queue=closed", "/cases/?queue=closed&page=2", "/cases/metrics/on_time_rate/?year=2023",
                    "/cases/metrics/on_time_rate/?year=2023&part=excluded", "/cases/metrics/?year=2023",
                    "/cases/all/"):
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            counts[url] = len(queries)
        self.assertEqual(counts["/cases/?queue=closed"], counts["/cases/?queue=closed&page=2"])
        self.assertLess(max(counts.values()), 40, counts)


class DefinitionsAsDataTests(TestCase):
    """The office edits metric predicates and case parameters on pages; a wrong one is refused when saved."""

    @classmethod
    def setUpTestData(cls):
        cls.p = personas()
        metrics.ensure_metric_definitions()

    def test_the_data_officer_edits_a_predicate_and_a_bad_one_is_refused(self):
        from zhengshu.core.testing import login

        definition = MetricDefinition.objects.get(key="good_rating_rate")
        login(self.client, self.p.dataofficer)
        url = f"/cases/metric-definitions/{definition.pk}/edit/"
        form = {"key": definition.key, "name": definition.name, "unit": "cases", "kind": "ratio",
                "base": '{"$year": "rating__rated_at"}', "denominator": '{"rating__isnull": false}',
                "definition": definition.definition, "sort": "80"}
        bad = self.client.post(url, {**form, "numerator": '{"rating__grade": 1}'})
        self.assertContains(bad, "办件条件无效", status_code=bad.status_code)
        definition.refresh_from_db()
        self.assertEqual(definition.numerator, {"rating__level__lte": 2})
        good = self.client.post(url, {**form, "numerator": '{"rating__level": 1}'})
        self.assertEqual(good.status_code, 302, good.content[:500])
        definition.refresh_from_db()
        self.assertEqual(definition.numerator, {"rating__level": 1})
        login(self.client, self.p.clerk_a)
        self.assertIn(self.client.get(url).status_code, (403, 404))

    def test_parameters_are_checked_by_kind(self):
        from django.core.exceptions import ValidationError

        from zhengshu.cases.models import Parameter

        for key, value, message in (("warn_ratio", "80%", "0 到 1 之间"), ("rectification_workdays", "十五", "正整数"),
                                    ("case_number_format", "{code}{date:%Y%m%d}", "须含 {seq"),
                                    ("case_number_format", "{code}{nope}{seq}", "编号格式“{code}{nope}{seq}”无效"),
                                    ("no_such_key", "1", "未知的参数键")):
            with self.subTest(key=key, value=value), self.assertRaisesMessage(ValidationError, message):
                Parameter(key=key, name="x", value=value).full_clean()
        Parameter(key="rectification_workdays", name="差评整改期限", value="5").full_clean()

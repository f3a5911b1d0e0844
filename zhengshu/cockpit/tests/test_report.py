"""The annual report, the figures API and the cache, on the demo data.

The report is read back with python-docx; every figure must appear in the paragraphs as “name + value” and in the
appendix, with the value the other apps' selectors give when asked directly (not through the cockpit)."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.cache import cache
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from docx import Document

from zhengshu.accounts.models import User
from zhengshu.cockpit.cache import get_figures
from zhengshu.cockpit.figures import by_key
from zhengshu.cockpit.tests.data import seed_demo_data
from zhengshu.core.testing import login

YEAR = 2023


def pct(value) -> str:
    return "暂无数据" if value is None else f"{Decimal(str(value)) * 100:.2f}%"


def expected_texts(year: int) -> dict[str, str]:
    """Each figure's text computed straight from the selectors (the cockpit's code is not used here)."""
    from zhengshu.archive.selectors import archive_counts
    from zhengshu.assistant.selectors import assist_counts
    from zhengshu.cases import metrics
    from zhengshu.cases.selectors import cross_region_scope, region_figures
    from zhengshu.datagov.selectors import aggregation_summary, inspection_counts
    from zhengshu.dataresources.selectors import catalogue_counts
    from zhengshu.trading.selectors import clue_breakdown, tender_breakdown, village_breakdown

    m = metrics.compute_all(year)
    scope = cross_region_scope()
    cat = catalogue_counts()
    agg = aggregation_summary(year)
    ins = inspection_counts(year)
    t = tender_breakdown(year)
    clues = clue_breakdown(year)
    village = village_breakdown(year)
    arc = archive_counts()
    built = arc["built_at"] is not None
    out = {
        "cases_submitted": f"办件量{m['counts']['cases_submitted']}件",
        "one_network_rate": f"“一网通办”办件率{pct(m['one_network_rate'])}",
        "on_time_rate": f"按时办结率{pct(m['on_time_rate'])}",
        "good_rating_rate": f"好评率{pct(m['good_rating_rate'])}",
        "online_available_rate": f"网上可办率{pct(m['online_available_rate'])}",
        "full_online_rate": f"全程网办率{pct(m['full_online_rate'])}",
        "cross_region_cases": f"异地通办（代收代办）办件{sum(r['cases'] for r in region_figures(year))}件",
        "partner_provinces": f"异地无忧覆盖省份{scope['provinces']}省",
        "partner_regions": f"异地无忧合作县市{scope['regions']}个",
        "cross_region_items": f"异地通办高频事项{scope['items']}项",
        "assist_requests": f"“潮晓云”帮办请求{assist_counts(year)['requests']}件",
        "catalogue_shareable": f"可共享数据目录{cat['shareable']}个",
        "catalogue_openable": f"可开放数据目录{cat['openable']}个",
        "records_aggregated": f"归集总量{agg['total_records']}条",
        "aggregation_rate": f"归集率{pct(agg['aggregation_rate'])}",
        "quality_score": "数据质量平均得分" + (
            f"{sum(r['score'] * r['resources'] for r in agg['by_department']) / agg['resources']:.2f}分"
            if agg["resources"] and (agg["resources_due"] or agg["total_records"]) else "暂无数据"),
        "weekly_reminders": f"周提醒{ins['reminders']}次",
        "dekad_bulletins": f"旬通报{ins['bulletins']}次",
        "monthly_shutdowns": f"月停机{ins['shutdowns']}次",
        "archive_enterprises": "“一企一档”企业" + (f"{arc['enterprises']}户" if built else "暂无数据"),
        "archive_records": "“一企一档”关联数据" + (f"{arc['linked']}条" if built else "暂无数据"),
        "archive_sources": f"“一企一档”对接数据库{arc['sources']}个",
        "tenders": f"招标项目{t['tenders']}个",
        "separated_tenders": f"“评定分离”招标项目{t['separated']}个",
        "separated_share": f"“评定分离”占总招标项目数比例{pct(t['separated_share'])}",
        "procurement_saved_yuan": f"政府采购节约财政资金{round(t['savings_procurement']['saved_yuan'])}元",
        "procurement_saving_rate": f"政府采购节约率{pct(t['savings_procurement']['rate'])}",
        "open_warnings": f"未处理预警（招标文件问题）{t['open_findings']}条",
        "clues": f"移交线索{clues['clues']}条",
        "clue_firms": f"线索涉及企业{clues['firms']}家",
        "clue_person_times": f"线索涉及人次{clues['person_times']}人次",
        "clue_amount_yuan": f"线索涉案金额{round(clues['amount_yuan'])}元",
        "village_projects": f"村级工程项目{village['projects']}个",
        "village_flagged": f"存在风险提示的村级工程{village['flagged']}个",
    }
    return out


def read_docx(content: bytes) -> tuple[str, dict[str, str]]:
    doc = Document(BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    table = doc.tables[-1]
    appendix = {row.cells[2].text: row.cells[3].text for row in table.rows[1:]}
    return text, appendix


class AnnualReportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        seed_demo_data()
        cls.officer = User.objects.get(username="dataofficer")

    def setUp(self):
        cache.clear()

    def _report(self, year: int) -> bytes:
        with TemporaryDirectory() as tmp:
            out = Path(tmp) / "report.docx"
            call_command("report", "annual", "--year", str(year), "--out", str(out))
            return out.read_bytes()

    def assert_report_matches_selectors(self, year: int) -> None:
        text, appendix = read_docx(self._report(year))
        expected = expected_texts(year)
        figures = by_key(get_figures(year))
        self.assertEqual(set(expected), set(figures), "每个指标都应有独立的选择器核对")
        for key, phrase in expected.items():
            with self.subTest(key=key):
                self.assertIn(phrase, text)
                name = figures[key]["name"]
                self.assertEqual(name + appendix[name], phrase.replace("暂无数据", "—"))

    def test_every_2023_figure_in_the_report_equals_its_selector(self):
        self.assert_report_matches_selectors(YEAR)
        text, _ = read_docx(self._report(YEAR))
        # the demo's 2023 figures are the office's own report's scale
        self.assertIn("可共享数据目录1715个", text)
        self.assertIn("“评定分离”招标项目196个", text)
        for heading in ("（一）聚焦政务服务优化增值", "（二）聚焦数据资源管理安全高效", "（三）聚焦公共资源交易规范便捷"):
            self.assertIn(heading, text)

    def test_the_city_wide_tender_figures_agree_with_the_trading_summary_of_a_city_wide_reader(self):
        from zhengshu.trading.selectors import trading_summary

        auditor = User.objects.get(username="auditor")  # 全市业务数据（只读）
        summary = trading_summary(auditor, YEAR)
        figures = by_key(get_figures(YEAR))
        self.assertEqual(figures["tenders"]["value"], summary["tenders"])
        self.assertEqual(figures["separated_tenders"]["value"], summary["separated"])
        self.assertEqual(figures["procurement_saved_yuan"]["value"],
                         round(summary["savings_procurement"]["saved_yuan"]))

    def test_a_bad_year_is_refused_in_chinese(self):
        from django.core.management.base import CommandError

        with TemporaryDirectory() as tmp:
            for year, message in (("abc", "应为四位年份"), ("1999", "超出范围")):
                with self.assertRaisesMessage(CommandError, message):
                    call_command("report", "annual", "--year", year, "--out", str(Path(tmp) / "r.docx"))

    def test_the_current_years_aggregation_figures_equal_their_selectors(self):
        year = timezone.localdate().year
        self.assert_report_matches_selectors(year)
        self.assertNotIn("归集总量0条", read_docx(self._report(year))[0])

    def test_the_api_gives_the_same_numbers_as_the_report(self):
        login(self.client, self.officer)
        response = self.client.get(f"/api/v1/cockpit/figures?year={YEAR}")
        self.assertEqual(response.status_code, 200)
        text, appendix = read_docx(self._report(YEAR))
        api = response.json()["figures"]
        self.assertEqual(len(api), len(appendix))
        for fig in api:
            with self.subTest(key=fig["key"]):
                self.assertEqual(appendix[fig["name"]], fig["text"])
        values = {f["key"]: f["value"] for f in api}
        self.assertEqual(values["catalogue_shareable"], 1715)
        self.assertEqual(values["clue_amount_yuan"], 113000000)

    def test_the_download_from_the_cockpit_is_the_report_and_is_recorded(self):
        from zhengshu.cockpit.models import AnnualReport

        login(self.client, self.officer)
        response = self.client.post("/cockpit/report/", {"year": YEAR})
        self.assertEqual(response.status_code, 200)
        self.assertIn("annual-report-2023.docx", response["Content-Disposition"])
        text, _ = read_docx(response.content)
        for phrase in expected_texts(YEAR).values():
            self.assertIn(phrase, text)
        record = AnnualReport.objects.get()
        self.assertEqual((record.year, record.generated_by), (YEAR, self.officer))
        self.assertEqual(record.figures["tenders"], by_key(get_figures(YEAR))["tenders"]["value"])

    def test_the_cache_is_invalidated_when_a_source_changes(self):
        from zhengshu.trading.models import Clue

        before = by_key(get_figures(YEAR))["clues"]["value"]
        # A second read is served from the cache: the same object comes back.
        self.assertEqual(by_key(get_figures(YEAR))["clues"]["value"], before)
        clue = Clue.objects.filter(transferred_on__year=YEAR).first()
        clue.transferred_on = clue.transferred_on.replace(year=YEAR - 1)
        clue.save()
        self.assertEqual(by_key(get_figures(YEAR))["clues"]["value"], before - 1)
        clue.delete()
        self.assertEqual(by_key(get_figures(YEAR - 1))["clues"]["value"], 0)

    def test_a_case_change_reaches_the_one_network_rate(self):
        from zhengshu.cases import metrics
        from zhengshu.cases.models import Case

        before = by_key(get_figures(YEAR))["one_network_rate"]
        case = Case.objects.filter(submitted_at__year=YEAR, via_platform=True).first()
        case.via_platform = False
        case.save()
        after = by_key(get_figures(YEAR))["one_network_rate"]
        self.assertEqual(after["extra"]["numerator"], before["extra"]["numerator"] - 1)
        self.assertEqual(after["value"], metrics.compute_all(YEAR)["one_network_rate"])

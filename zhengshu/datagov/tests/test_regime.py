"""The inspection regime simulated over a month of dates (October 2026, with the National Day holiday):
the right reminders, three bulletins whose Word documents open, one shutdown order, its approval,
rectification and reinstatement, and idempotent re-runs."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import docx
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.test import TestCase

from zhengshu.core.services import ServiceError
from zhengshu.core.testing import PersonaTestCase
from zhengshu.datagov import services
from zhengshu.datagov.choices import ShutdownStatus, ShutdownTarget, Timeliness, UpdateCycle
from zhengshu.datagov.documents import bulletin_docx
from zhengshu.datagov.models import (
    Bulletin, InspectionRun, QualitySnapshot, Rectification, Reminder, ShutdownOrder,
)
from zhengshu.datagov.quality import dekad_bounds, dekad_label
from zhengshu.datagov.regime import first_workday_after, inspect_day, is_reminder_day
from zhengshu.datagov.selectors import aggregation_summary, is_shut_down
from zhengshu.datagov.tests.helpers import days, delivery_row, grant, resource

START, END = date(2026, 10, 2), date(2026, 11, 2)  # snapshots 1 October – 1 November


class MonthOfInspectionTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        p = cls.p
        grant(p)
        # 市场监管局: a daily resource delivered every evening — always on time, good quality.
        cls.r1 = resource("HN-SJJ-001", "企业登记信息", p.dept_a, UpdateCycle.DAILY)
        # 住建局: a daily resource that stops after 25 September and resumes on 1 November.
        cls.r3 = resource("HN-ZJJ-007", "施工许可信息", p.dept_b, UpdateCycle.DAILY)
        # 硖石街道: weekly, due two working days after Sunday; the week of 5–11 October comes late (20 October).
        cls.r4 = resource("HN-XS-002", "网格事件信息", p.town, UpdateCycle.WEEKLY, workdays=2)
        rows = [delivery_row(cls.r1.code, d) for d in days(date(2026, 9, 1), date(2026, 11, 5))]
        rows += [delivery_row(cls.r3.code, d) for d in days(date(2026, 9, 1), date(2026, 9, 25))]
        rows += [delivery_row(cls.r3.code, d) for d in days(date(2026, 11, 1), date(2026, 11, 5))]
        mondays = [d for d in days(date(2026, 9, 7), date(2026, 11, 2)) if d.weekday() == 0]
        rows += [delivery_row(cls.r4.code, d + timedelta(days=8) if d == date(2026, 10, 12) else d, hour=10)
                 for d in mondays]
        services.record_deliveries(actor=p.dataofficer, rows=rows)

    def simulate(self):
        return [inspect_day(d) for d in days(START, END)]

    def test_a_month_gives_the_right_reminders_three_bulletins_and_one_shutdown_order(self):
        results = self.simulate()
        self.assertEqual(QualitySnapshot.objects.filter(day__range=(date(2026, 10, 1), date(2026, 10, 31))).count(),
                         31 * 3)
        # 周提醒 on the first working day of each week from Monday: 8 Oct (after the holiday), 12, 19, 26 Oct;
        # none on 2 Nov: 住建局 delivered again on 1 Nov (逾期交付 of its due day, no longer 未交付).
        reminder_days = [r["date"] for r in results if r["reminders"] or r["reminders_existing"]]
        self.assertEqual(reminder_days, ["2026-10-08", "2026-10-12", "2026-10-19", "2026-10-26"])
        got = sorted((r.department.code, r.day.isoformat()) for r in Reminder.objects.all())
        self.assertEqual(got, sorted([
            ("HN-ZJJ", "2026-10-08"), ("HN-ZJJ", "2026-10-12"), ("HN-ZJJ", "2026-10-19"), ("HN-ZJJ", "2026-10-26"),
            ("HN-330481001", "2026-10-19"),
        ]))
        self.assertEqual(QualitySnapshot.objects.get(resource=self.r3, day=date(2026, 11, 1)).timeliness_status,
                         Timeliness.LATE)
        town = Reminder.objects.get(department=self.p.town)
        self.assertEqual([i["code"] for i in town.items], [self.r4.code])
        self.assertEqual(town.items[0]["status"], Timeliness.MISSING.label)
        self.assertIn("网格事件信息", town.message)
        self.assertFalse(Reminder.objects.filter(department=self.p.dept_a).exists())
        # over the National Day holiday the latest daily cycle due by 7 October is 29 September (deadline 30 Sep.)
        first = Reminder.objects.get(department=self.p.dept_b, day=date(2026, 10, 8))
        self.assertIn("施工许可信息（HN-ZJJ-007）：2026-09-29的数据未交付（截止 2026-09-30）", first.message)

        # 旬通报: three, each on the first working day after its 旬 (11 October and 1 November are Sundays);
        # equal scores are ranked by department code; each Word document opens.
        bulletins = list(Bulletin.objects.order_by("period_start"))
        self.assertEqual([(b.period_start.day, b.period_end.day, b.issued_on.isoformat()) for b in bulletins],
                         [(1, 10, "2026-10-12"), (11, 20, "2026-10-21"), (21, 31, "2026-11-02")])
        self.assertEqual([r["date"] for r in results if r["bulletin"]], ["2026-10-12", "2026-10-21", "2026-11-02"])
        orders = [[r["department_code"] for r in b.ranking] for b in bulletins]
        self.assertEqual(orders, [["HN-330481001", "HN-SJJ", "HN-ZJJ"], ["HN-SJJ", "HN-330481001", "HN-ZJJ"],
                                  ["HN-330481001", "HN-SJJ", "HN-ZJJ"]])
        town_middle = next(r for r in bulletins[1].ranking if r["department_code"] == "HN-330481001")
        self.assertLess(town_middle["rate"], 1.0)
        numbers = ["海政数办旬通〔2026〕28号", "海政数办旬通〔2026〕29号", "海政数办旬通〔2026〕30号"]  # 旬 28–30 of 36
        for b, number in zip(bulletins, numbers, strict=True):
            self.assertEqual(b.ranking[0]["rate"], 1.0)
            zjj = next(r for r in b.ranking if r["department_code"] == "HN-ZJJ")
            self.assertEqual((zjj["rate"], zjj["failing"]), (0.0, 1))
            document = docx.Document(io.BytesIO(bulletin_docx(b)))
            texts = [p.text.replace("\n", "") for p in document.paragraphs]
            self.assertEqual(texts[:3], ["公共数据治理旬通报", number, b.title])
            self.assertEqual(texts[-1], f"{b.issued_on.year}年{b.issued_on.month}月{b.issued_on.day}日")
            east_asia = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
            self.assertEqual(document.paragraphs[4].runs[0]._element.rPr.rFonts.get(east_asia), "仿宋_GB2312")
            header_run = document.tables[0].rows[0].cells[0].paragraphs[0].runs[0]
            self.assertEqual(header_run._element.rPr.rFonts.get(east_asia), "黑体")
            self.assertEqual(round(document.sections[0].page_width.cm, 1), 21.0)  # A4
            table = document.tables[0]
            self.assertEqual(table.rows[0].cells[1].text, "部门")
            self.assertEqual(len(table.rows), 1 + 3)
            self.assertEqual(table.rows[1].cells[1].text, b.ranking[0]["department"])
            self.assertEqual(table.rows[3].cells[1].text, "海宁市住房和城乡建设局")

        # 月停机: one order, for the resource that failed every day of October.
        order = ShutdownOrder.objects.get()
        self.assertEqual((order.target_kind, order.resource_code, order.month, order.status),
                         (ShutdownTarget.RESOURCE, self.r3.code, date(2026, 10, 1), ShutdownStatus.PROPOSED))
        self.assertEqual(order.department, self.p.dept_b)
        self.assertEqual([r["date"] for r in results if r["shutdown_orders"]], ["2026-11-01"])
        self.assertEqual(results[-2]["shutdown_orders"], [order.number])
        self.assertFalse(is_shut_down(self.r3.code), "a proposal does not stop access")

        # Running every day again creates nothing new.
        before = (Reminder.objects.count(), Bulletin.objects.count(), ShutdownOrder.objects.count(),
                  QualitySnapshot.objects.count())
        again = self.simulate()
        self.assertEqual(before, (Reminder.objects.count(), Bulletin.objects.count(), ShutdownOrder.objects.count(),
                                  QualitySnapshot.objects.count()))
        self.assertTrue(all(not r["reminders"] and r["bulletin"] is None and not r["shutdown_orders"] for r in again))
        self.assertEqual(set(InspectionRun.objects.values_list("runs", flat=True)), {2})

    def test_the_shutdown_is_approved_rectified_and_reinstated(self):
        self.simulate()
        order = ShutdownOrder.objects.get()
        with self.assertRaises(PermissionDenied):
            services.approve_shutdown(actor=self.p.outsider_b, order=order)  # the department cannot approve itself
        services.approve_shutdown(actor=self.p.dataofficer, order=order, note="同意停机", day=date(2026, 11, 1))
        order.refresh_from_db()
        self.assertEqual(order.status, ShutdownStatus.APPROVED)
        self.assertEqual(order.rectify_by, date(2026, 11, 13))  # ten working days after 1 November
        self.assertTrue(is_shut_down(self.r3.code))
        self.assertFalse(is_shut_down(self.r1.code))
        with self.assertRaises(ServiceError):
            services.approve_shutdown(actor=self.p.dataofficer, order=order)

        with self.assertRaises(PermissionDenied):
            services.add_rectification(actor=self.p.clerk_a, order=order, note="不是本部门")
        services.add_rectification(actor=self.p.outsider_b, order=order, note="接口已修复，11月1日起恢复每日报送",
                                   kind="submitted")
        # As of 1 November the new data is late: reinstatement is refused, with the reason.
        with self.assertRaisesMessage(ServiceError, "整改尚未到位"):
            services.reinstate_shutdown(actor=self.p.dataofficer, order=order, note="复核", day=date(2026, 11, 1))
        with self.assertRaises(PermissionDenied):
            services.reinstate_shutdown(actor=self.p.outsider_b, order=order, note="自行恢复", day=date(2026, 11, 2))
        for d in days(date(2026, 11, 2), date(2026, 11, 3)):
            inspect_day(d)
        services.reinstate_shutdown(actor=self.p.dataofficer, order=order, note="连续按期报送，质量达标",
                                    day=date(2026, 11, 2))
        order.refresh_from_db()
        self.assertEqual(order.status, ShutdownStatus.REINSTATED)
        self.assertEqual(order.reinstated_by, self.p.dataofficer)
        self.assertFalse(is_shut_down(self.r3.code))
        self.assertEqual(list(Rectification.objects.filter(order=order).values_list("kind", flat=True)),
                         ["submitted", "review"])
        # November's run proposes no second order for October, and the reinstated resource gets none.
        self.assertEqual(ShutdownOrder.objects.count(), 1)

    def test_the_command_prints_json_and_is_idempotent(self):
        for d in days(START, date(2026, 10, 11)):
            inspect_day(d)
        out = io.StringIO()
        call_command("datagov", "inspect", "--date", "2026-10-12", "--json", stdout=out)
        first = json.loads(out.getvalue())
        self.assertEqual(first["bulletin"]["period"], ["2026-10-01", "2026-10-10"])
        self.assertEqual(first["aggregation"], {"resources_due": 3, "resources_on_time": 2,
                                                "aggregation_rate": round(2 / 3, 4)})
        out = io.StringIO()
        call_command("datagov", "inspect", "--date", "2026-10-12", "--json", stdout=out)
        second = json.loads(out.getvalue())
        self.assertIsNone(second["bulletin"])
        self.assertEqual(second["runs"], 2)
        out = io.StringIO()
        call_command("datagov", "summary", "--year", "2026", "--json", stdout=out)
        summary = json.loads(out.getvalue())
        self.assertEqual(summary["as_of"], "2026-10-11")
        self.assertEqual((summary["resources_due"], summary["resources_on_time"]), (3, 2))
        # records: r1 delivered 41 daily batches by 11 Oct, r3 25, r4 5 Mondays (7 Sep – 5 Oct); 995 new each
        self.assertEqual(summary["total_records"], (41 + 25 + 5) * 995)

    def test_the_reminder_day_moves_past_holidays(self):
        self.assertFalse(is_reminder_day(date(2026, 10, 5), 0))  # National Day holiday
        self.assertTrue(is_reminder_day(date(2026, 10, 8), 0))
        self.assertFalse(is_reminder_day(date(2026, 10, 9), 0))
        self.assertTrue(is_reminder_day(date(2026, 10, 12), 0))
        self.assertTrue(is_reminder_day(date(2026, 10, 16), 4))


class ApplicationShutdownTests(PersonaTestCase):
    def test_an_application_whose_resources_all_failed_is_shut_down_as_a_whole(self):
        grant(self.p)
        a = resource("HN-ZJJ-101", "房屋网签", self.p.dept_b, UpdateCycle.DAILY, application="智慧住建")
        b = resource("HN-ZJJ-102", "物业备案", self.p.dept_b, UpdateCycle.DAILY, application="智慧住建")
        other = resource("HN-ZJJ-103", "燃气巡检", self.p.dept_b, UpdateCycle.DAILY, application="燃气安全")
        rows = [delivery_row(other.code, d) for d in days(date(2026, 8, 1), date(2026, 10, 31))]
        services.record_deliveries(actor=self.p.dataofficer, rows=rows)
        for d in days(date(2026, 10, 2), date(2026, 11, 1)):
            inspect_day(d)
        order = ShutdownOrder.objects.get()
        self.assertEqual((order.target_kind, order.application), (ShutdownTarget.APPLICATION, "智慧住建"))
        self.assertEqual(sorted(order.evidence["resources"]), [a.code, b.code])
        services.approve_shutdown(actor=self.p.dataofficer, order=order, day=date(2026, 11, 1))
        self.assertTrue(is_shut_down(application="智慧住建"))
        self.assertTrue(is_shut_down(resource_code=b.code))
        self.assertFalse(is_shut_down(resource_code=other.code))
        self.assertFalse(is_shut_down(application="燃气安全"))

    def test_the_summary_is_computed_live_when_no_snapshot_exists(self):
        grant(self.p)
        r = resource("HN-SJJ-201", "食品经营许可", self.p.dept_a, UpdateCycle.MONTHLY, workdays=5)
        services.record_deliveries(actor=self.p.dataofficer, rows=[
            delivery_row(r.code, date(2025, m, 3), read=200, rejected=0, duplicates=0) for m in range(1, 13)])
        data = aggregation_summary(2025)
        self.assertEqual(data["as_of"], "2025-12-31")
        self.assertEqual(data["total_records"], 12 * 200)
        self.assertEqual((data["resources_due"], data["resources_on_time"]), (0, 0))  # due only from 2026
        with self.assertRaises(ServiceError):
            services.record_deliveries(actor=self.p.dataofficer, rows=[{**delivery_row(r.code, date(2026, 1, 5)),
                                                                       "accepted": 1}])


class WorkerTests(PersonaTestCase):
    def test_the_worker_runs_the_day_and_queues_the_next(self):
        from zhengshu.core.jobs import run_once
        from zhengshu.core.models import Job, JobStatus
        from zhengshu.datagov.jobs import KIND, schedule

        grant(self.p)
        resource("HN-SJJ-001", "企业登记信息", self.p.dept_a, UpdateCycle.DAILY)
        job, created = schedule(date(2026, 10, 12))
        self.assertTrue(created)
        self.assertEqual(schedule(date(2026, 10, 12)), (job, False))
        Job.objects.filter(pk=job.pk).update(run_after=None)
        self.assertTrue(run_once())
        job.refresh_from_db()
        self.assertEqual(job.status, JobStatus.DONE, job.error)
        self.assertEqual(job.result["next"], "2026-10-13")
        self.assertTrue(InspectionRun.objects.filter(day=date(2026, 10, 12)).exists())
        self.assertEqual(QualitySnapshot.objects.filter(day=date(2026, 10, 11)).count(), 1)
        following = Job.objects.get(kind=KIND, status=JobStatus.QUEUED)
        self.assertEqual(following.payload, {"date": "2026-10-13", "repeat": True})


class DekadTests(TestCase):
    """The 旬 (1–10, 11–20, 21–end, February and 31-day months included) and the bulletin's issue day."""

    def test_dekad_boundaries(self):
        cases = {
            date(2026, 3, 1): (date(2026, 3, 1), date(2026, 3, 10)),
            date(2026, 3, 10): (date(2026, 3, 1), date(2026, 3, 10)),
            date(2026, 3, 11): (date(2026, 3, 11), date(2026, 3, 20)),
            date(2026, 3, 20): (date(2026, 3, 11), date(2026, 3, 20)),
            date(2026, 3, 21): (date(2026, 3, 21), date(2026, 3, 31)),
            date(2026, 2, 25): (date(2026, 2, 21), date(2026, 2, 28)),
            date(2028, 2, 29): (date(2028, 2, 21), date(2028, 2, 29)),  # leap year
            date(2026, 4, 30): (date(2026, 4, 21), date(2026, 4, 30)),
            date(2026, 12, 31): (date(2026, 12, 21), date(2026, 12, 31)),
        }
        for day, bounds in cases.items():
            self.assertEqual(dekad_bounds(day), bounds, day)
        self.assertEqual(dekad_label(date(2026, 2, 21)), "2026年2月下旬")

    def test_the_bulletin_is_issued_on_the_first_working_day_after_its_dekad(self):
        # 2026: National Day 1–7 Oct, 10 Oct (Sat) worked; Spring Festival 15–23 Feb, 14 and 28 Feb (Sat) worked.
        self.assertEqual(first_workday_after(date(2026, 9, 30)), date(2026, 10, 8))
        self.assertEqual(first_workday_after(date(2026, 10, 10)), date(2026, 10, 12))
        self.assertEqual(first_workday_after(date(2026, 10, 9)), date(2026, 10, 10))
        self.assertEqual(first_workday_after(date(2026, 2, 20)), date(2026, 2, 24))
        self.assertEqual(first_workday_after(date(2026, 2, 27)), date(2026, 2, 28))
        self.assertEqual(first_workday_after(date(2026, 2, 28)), date(2026, 3, 2))

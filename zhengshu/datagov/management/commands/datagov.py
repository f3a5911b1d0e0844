"""``zhengshu datagov``: the inspection regime and the aggregation figures from the command line.

    zhengshu datagov inspect --date 2026-11-27 [--to 2026-11-30] [--json]
    zhengshu datagov summary [--year 2026] [--json]
    zhengshu datagov bulletin 2026-11-11 --output 通报.docx
    zhengshu datagov sync [--json]
    zhengshu datagov register [--json]   (the catalogue's published resources join the aggregation registry)
    zhengshu datagov schedule [--date 2026-11-28]   (queue the worker's daily inspection chain)
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhengshu.core.context import command_context


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "数据治理：巡查（周提醒·旬通报·月停机）、归集统计、旬通报文档、同步归集批次。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        inspect = sub.add_parser("inspect", help="执行某日的巡查（可重复执行，不会重复生成）")
        inspect.add_argument("--date", required=True, help="巡查日期 YYYY-MM-DD")
        inspect.add_argument("--to", help="连续巡查到此日期（含）")
        inspect.add_argument("--json", action="store_true", help="输出 JSON")
        summary = sub.add_parser("summary", help="归集总量与归集率")
        summary.add_argument("--year", type=int)
        summary.add_argument("--json", action="store_true")
        bulletin = sub.add_parser("bulletin", help="导出旬通报 Word 文档")
        bulletin.add_argument("period", help="旬的第一天 YYYY-MM-DD（1、11 或 21 日）")
        bulletin.add_argument("--output", required=True)
        sync = sub.add_parser("sync", help="把数据湖中新提交的批次登记为归集批次")
        sync.add_argument("--json", action="store_true")
        register = sub.add_parser("register", help="把数据资源目录中已发布的本级资源登记到归集清单")
        register.add_argument("--json", action="store_true")
        schedule = sub.add_parser("schedule", help="为后台任务排入每日巡查（之后每天自动排入下一天）")
        schedule.add_argument("--date", help="第一次巡查的日期，默认今天")

    def handle(self, *args, **options):
        with command_context(f"datagov {options['action']}"):
            return getattr(self, f"do_{options['action']}")(options)

    def do_inspect(self, options):
        from zhengshu.datagov.regime import inspect_days

        start = _date(options["date"])
        end = _date(options["to"]) if options.get("to") else start
        if end < start:
            raise CommandError("--to 不能早于 --date")
        results = inspect_days(start, end)
        for result in results:
            if not options["json"]:
                agg = result["aggregation"]
                rate = "—" if agg["aggregation_rate"] is None else f"{agg['aggregation_rate'] * 100:.1f}%"
                self.stdout.write(
                    f"{result['date']}：快照 {result['snapshots']}，归集率 {rate}，不达标 {result['failing']}，"
                    f"新提醒 {len(result['reminders'])}，通报 {result['bulletin']['title'] if result['bulletin'] else '—'}，"
                    f"停机单 {'、'.join(result['shutdown_orders']) or '—'}（第 {result['runs']} 次运行）")
        if options["json"]:
            self.stdout.write(json.dumps(results[0] if len(results) == 1 else results, ensure_ascii=False))

    def do_summary(self, options):
        from zhengshu.datagov.selectors import aggregation_summary

        data = aggregation_summary(options.get("year"))
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        rate = "—" if data["aggregation_rate"] is None else f"{data['aggregation_rate'] * 100:.1f}%"
        self.stdout.write(f"截至 {data['as_of']}：归集总量 {data['total_records']:,} 条，归集率 {rate}"
                          f"（{data['resources_on_time']}/{data['resources_due']}，口径：{data['definition']}）")
        for row in data["by_department"]:
            dept_rate = "—" if row["aggregation_rate"] is None else f"{row['aggregation_rate'] * 100:.1f}%"
            self.stdout.write(f"  {row['department']}：资源 {row['resources']}，归集率 {dept_rate}，"
                              f"总量 {row['total_records']:,}，平均得分 {row['score']:.1f}")

    def do_bulletin(self, options):
        from zhengshu.datagov.documents import bulletin_docx
        from zhengshu.datagov.models import Bulletin

        bulletin = Bulletin.objects.filter(period_start=_date(options["period"])).first()
        if bulletin is None:
            raise CommandError(f"没有 {options['period']} 起的旬通报；先运行 datagov inspect")
        path = Path(options["output"])
        path.write_bytes(bulletin_docx(bulletin))
        self.stdout.write(f"已写入 {path}（{bulletin.title}）")

    def do_register(self, options):
        from zhengshu.datagov.registry import sync_registry

        result = sync_registry()
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        skipped = "、".join(f"{k} {v} 项" for k, v in result["skipped"].items()) or "无"
        self.stdout.write(f"目录中可归集资源 {result['candidates']} 项：新登记 {result['created']} 项，更新 "
                          f"{result['updated']} 项；周期无法考核而未登记：{skipped}；清单中不在目录的资源 "
                          f"{result['not_in_catalogue']} 项")

    def do_sync(self, options):
        from zhengshu.datagov.lake import sync_deliveries

        result = sync_deliveries()
        self.stdout.write(json.dumps(result, ensure_ascii=False) if options["json"]
                          else f"新登记归集批次 {result['created']} 个")

    def do_schedule(self, options):
        from zhengshu.datagov.jobs import schedule

        day = _date(options["date"]) if options.get("date") else None
        job, created = schedule(day)
        self.stdout.write(f"{'已排入' if created else '已有'}每日巡查任务 #{job.pk}（{job.payload['date']}）")

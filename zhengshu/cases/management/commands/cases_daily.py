"""``zhengshu cases-daily [--date YYYY-MM-DD] [--enqueue] [--json]``: the daily 容缺 run (cron or timer).

Without ``--enqueue`` it runs now, in a change context of its own; with ``--enqueue`` it queues the job
``cases.tolerance_daily`` for ``zhengshu worker``.
"""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from zhengshu.core.context import command_context


class Command(BaseCommand):
    help = "容缺受理每日任务：临近承诺日提醒申请人，超期未补齐的办件终止办理。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天执行（默认今天），格式 YYYY-MM-DD")
        parser.add_argument("--enqueue", action="store_true", help="只加入后台任务队列，由 zhengshu worker 执行")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, **options):
        from zhengshu.cases.services import _remind_and_terminate_tolerances
        from zhengshu.core.jobs import enqueue

        try:
            day = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"日期“{options['date']}”格式错误，应为 YYYY-MM-DD") from None
        with command_context("cases-daily"):
            if options["enqueue"]:
                job = enqueue("cases.tolerance_daily", {"date": day.isoformat()})
                result = {"date": day.isoformat(), "job": job.pk}
            else:
                with transaction.atomic():
                    result = {"date": day.isoformat(), **_remind_and_terminate_tolerances(day)}
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        elif options["enqueue"]:
            self.stdout.write(f"已加入后台任务 #{result['job']}（{result['date']}）")
        else:
            self.stdout.write(f"{result['date']}：提醒 {result['reminded']} 条，终止办件 {result['terminated']} 件")

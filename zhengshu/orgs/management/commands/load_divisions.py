from django.core.management.base import BaseCommand

from zhengshu.core.context import command_context
from zhengshu.orgs.loader import load_divisions


class Command(BaseCommand):
    help = "从随附的 GB/T 2260 与统计用区划文件载入行政区划（可重复执行）。"

    def handle(self, *args, **options):
        with command_context("load-divisions"):
            counts = load_divisions()
        self.stdout.write(f"行政区划：共 {counts['total']}，新增 {counts['created']}，更新 {counts['updated']}")

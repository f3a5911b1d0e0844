import json

from django.core.management.base import BaseCommand

from zhengshu import identifiers


class Command(BaseCommand):
    help = "校验一个标识码（统一社会信用代码、组织机构代码、居民身份证号码、行政区划代码），输出 JSON。"
    requires_system_checks = ()

    def add_arguments(self, parser):
        parser.add_argument("code")

    def handle(self, *args, code, **options):
        result = identifiers.check(code)
        self.stdout.write(json.dumps(result, ensure_ascii=False))
        if not result["valid"]:
            raise SystemExit(1)

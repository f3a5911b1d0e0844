import json

from django.core.management.base import BaseCommand, CommandError

from zhengshu.core.models import verify_chain


class Command(BaseCommand):
    help = "变更日志审计：verify 重算 HMAC-SM3 链与锚点，报告第一处断裂的行。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验变更日志链")

    def handle(self, *args, action, **options):
        result = verify_chain()
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        if not result.ok:
            raise CommandError(f"变更日志校验失败：{result.reason}")

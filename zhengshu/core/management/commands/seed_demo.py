from django.core.management.base import BaseCommand

from zhengshu.core import demo
from zhengshu.core.context import command_context


class Command(BaseCommand):
    help = "载入演示数据（可重复执行）：海宁市行政区划、部门、演示账号；各业务模块追加自己的部分。"

    def handle(self, *args, **options):
        with command_context("seed-demo"):
            for name, result in demo.run_all():
                self.stdout.write(f"{name}: {result}")
        self.stdout.write("演示账号：")
        from zhengshu.accounts.demo import DEMO_LOGINS

        for login in DEMO_LOGINS:
            extra = f"  动态码密钥 {login['totp_secret']}" if login.get("totp_secret") else ""
            self.stdout.write(f"  {login['username']:<10} {login['password']:<16} {login['label']}{extra}")

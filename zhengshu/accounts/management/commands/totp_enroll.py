from django.core.management.base import BaseCommand, CommandError

from zhengshu.accounts import authn
from zhengshu.accounts.models import User
from zhengshu.core.context import command_context


class Command(BaseCommand):
    help = "为账号生成并直接启用动态码密钥（用于新设的三员账号首次登录），打印 otpauth:// 地址。"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户 {username} 不存在")
        with command_context("totp-enroll"):
            uri = authn.new_totp_secret(user)
            user.totp_confirmed = True
            user.save(update_fields=["totp_confirmed"])
        self.stdout.write(uri)

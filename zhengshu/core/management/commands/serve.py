"""Serve the platform with gunicorn (several workers), after collecting static files."""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "以 gunicorn 启动 Web 服务（生产级，多进程）。"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=None, help="默认取 ZHENGSHU_WEB_WORKERS")

    def handle(self, *args, port, host, workers, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        workers = workers or settings.WEB_WORKERS
        argv = [
            sys.executable, "-m", "gunicorn", "zhengshu.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--timeout", "120",
            "--access-logfile", "-", "--graceful-timeout", "30", "--name", "zhengshu",
        ]
        self.stdout.write(f"政数平台：http://{host}:{port}/ （gunicorn，{workers} 个工作进程）")
        self.stdout.flush()
        os.execv(sys.executable, argv)

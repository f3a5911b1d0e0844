from django.core.management.base import BaseCommand

from zhengshu.core import jobs


class Command(BaseCommand):
    help = "执行后台任务：默认执行所有到期任务后退出；--loop 常驻，收到 SIGTERM 后做完当前任务再退出。"

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="常驻运行")
        parser.add_argument("--idle-seconds", type=float, default=2.0, help="队列空闲时的等待秒数")
        parser.add_argument("--max-jobs", type=int, default=None, help="最多执行多少个任务后退出")

    def handle(self, *args, loop, idle_seconds, max_jobs, **options):
        if loop:
            done = jobs.Worker(idle_seconds=idle_seconds, max_jobs=max_jobs).loop()
        else:
            done = 0
            while (max_jobs is None or done < max_jobs) and jobs.run_once():
                done += 1
        self.stdout.write(f"已执行 {done} 个任务")

"""``zhengshu pipeline ingest|status|rejects``: the Django wrapper of ``zhengshu.pipeline.cli``.

It only resolves the store root (``DATA_DIR/pipeline``) and, when ``--schema`` is absent, asks the
catalogue for the resource's data items; everything else is the Django-free pipeline.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogue_schema(code: str) -> dict | None:
    from zhengshu.dataresources.selectors import pipeline_schema

    return pipeline_schema(code)


class Command(BaseCommand):
    help = "数据归集管道：ingest（归集文件或数据库表）、status（批次数和当前记录数）、rejects（导出拒收明细）"

    def run_from_argv(self, argv):
        # argparse of the pipeline itself parses everything after "pipeline" (its own help and errors).
        from zhengshu.pipeline.cli import run

        code = run(argv[2:], Path(settings.DATA_DIR) / "pipeline", catalogue_schema)
        if code:
            sys.exit(code)

    def handle(self, *args, **options):  # call_command("pipeline", …) goes through here
        from zhengshu.pipeline.cli import run

        code = run(list(args), Path(settings.DATA_DIR) / "pipeline", catalogue_schema,
                   stdout=self.stdout._out, stderr=self.stderr._out)
        if code:
            raise CommandError("归集管道命令失败（原因见上）", returncode=code)

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="*")

"""``zhengshu archive build|export|show``: build the enterprise archive, export it, show one enterprise.

- ``build [--full] [--json]`` → ``{"enterprises", "linked", "unlinked", "review"}``
- ``export [--json]`` → one line per enterprise ``{"uscc", "name", "sources": [{"resource", "key"}]}``
- ``show USCC [--json]`` → the enterprise: facts with lineage, counts per category, records
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from zhengshu.archive import lake
from zhengshu.core.context import change_context


class Command(BaseCommand):
    help = "一企一档：build（构建/增量更新档案）、export（导出每家企业及其来源记录）、show（查看一家企业）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        b = sub.add_parser("build", help="关联新批次并更新档案（--full 全量重建）")
        b.add_argument("--full", action="store_true")
        b.add_argument("--json", action="store_true")
        e = sub.add_parser("export", help="每家企业一行：统一社会信用代码、名称、来源记录")
        e.add_argument("--json", action="store_true")
        s = sub.add_parser("show", help="查看一家企业的档案")
        s.add_argument("uscc")
        s.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        getattr(self, f"_{options['action']}")(options)

    def _out(self, data) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, default=str))

    def _build(self, options) -> None:
        from zhengshu.archive.services import _build
        from zhengshu.core.services import ServiceError

        with change_context(actor=None, message="命令行构建一企一档", source="cli"):
            try:
                run = _build(None, options["full"])
            except ServiceError as exc:
                raise CommandError(str(exc)) from None
        figures = {"enterprises": run.enterprises, "linked": run.linked, "unlinked": run.unlinked,
                   "review": run.review}
        if options["json"]:
            self._out(figures)
        else:
            self.stdout.write(f"企业 {run.enterprises} 家；已关联记录 {run.linked} 条，未关联 {run.unlinked} 条；"
                              f"待复核 {run.review} 项（新批次 {run.batches} 个，更新企业 {run.touched} 家，"
                              f"{run.seconds:.2f} 秒，版本 {run.generation}）")

    def _export(self, options) -> None:
        archive = lake.open_archive()
        if not archive:
            raise CommandError("档案尚未构建：请先运行 zhengshu archive build")
        for row in archive.export(lake.get_store(), lake.sources_by_code()):
            if options["json"]:
                self._out(row)
            else:
                self.stdout.write(f"{row['uscc']}\t{row['name'] or ''}\t{len(row['sources'])} 条来源记录")

    def _show(self, options) -> None:
        archive = lake.open_archive()
        if not archive:
            raise CommandError("档案尚未构建：请先运行 zhengshu archive build")
        uscc = options["uscc"].strip().upper()
        enterprise = archive.enterprise(uscc)
        if enterprise is None:
            raise CommandError(f"档案中没有统一社会信用代码为 {uscc} 的企业")
        from zhengshu.core.masking import mask

        legal = enterprise["facts"].get("legal_rep")
        if legal:
            legal["value"] = mask("name", legal["value"])
        records = archive.records(uscc, lake.get_store(), lake.sources_by_code())
        enterprise["sources"] = [{"resource": r["resource"], "batch": r["batch"], "key": r["key"], "ord": r["ord"],
                                  "method": r["method"], "category": r["category"], "date": r["date"]}
                                 for r in records]
        if options["json"]:
            self._out(enterprise)
        else:
            self.stdout.write(f"{enterprise['name'] or uscc}（{uscc}）关联记录 {enterprise['records']} 条")
            for r in enterprise["sources"]:
                self.stdout.write(f"  {r['date'] or '—'}  {r['resource']}  {r['key']}  （{r['method']}）")

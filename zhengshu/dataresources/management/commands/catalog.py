"""``zhengshu catalog <subcommand>``: the public data catalogue from the command line.

- ``import FILE --user USERNAME [--json]`` — XLSX import (sheets 目录 and 信息项), all or nothing, as that user
- ``export FILE [--department CODE] [--status S] [--json]`` — XLSX export in the same format
- ``counts [--department CODE] [--json]`` — live shareable/openable counts (what the cockpit reads)
- ``schema CODE`` — the pipeline schema of one resource, as JSON
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhengshu.core.context import command_context


class Command(BaseCommand):
    help = "公共数据资源目录：导入/导出目录及信息项、共享开放统计、管道字段定义。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, title="子命令")
        imp = sub.add_parser("import", help="导入目录及信息项（XLSX；全部通过才写入）")
        imp.add_argument("file", metavar="FILE")
        imp.add_argument("--user", required=True, help="以该用户身份导入（按其权限与数据范围检查）")
        imp.add_argument("--json", action="store_true")
        exp = sub.add_parser("export", help="导出目录及信息项（XLSX，格式同导入）")
        exp.add_argument("file", metavar="FILE")
        exp.add_argument("--department", help="只导出该提供部门编码（如 HN-SJJ）")
        exp.add_argument("--status", choices=["draft", "submitted", "published", "rejected", "withdrawn"])
        exp.add_argument("--json", action="store_true")
        cnt = sub.add_parser("counts", help="可共享、可开放目录数（已发布）")
        cnt.add_argument("--department")
        cnt.add_argument("--json", action="store_true")
        sch = sub.add_parser("schema", help="输出一个资源的管道字段定义（JSON）")
        sch.add_argument("code", metavar="CODE", help="信息资源代码，如 301001/000001")

    def handle(self, *args, **options):
        name = options["subcommand"]
        result, text = getattr(self, "do_" + name)(options)
        self.stdout.write(json.dumps(result, ensure_ascii=False) if options.get("json") or name == "schema" else text)
        if name == "import" and not result["written"]:
            raise SystemExit(1)

    def do_import(self, options):
        from zhengshu.accounts.models import User
        from zhengshu.core.services import ServiceError
        from zhengshu.dataresources.services import import_catalogue

        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"用户 {options['user']} 不存在或已停用")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            with command_context("catalog import", actor=user):
                result = import_catalogue(actor=user, content=path.read_bytes())
        except ServiceError as exc:
            raise CommandError(str(exc)) from None
        r, i = result["resources"], result["items"]
        lines = [f"目录 {r['total']} 行：通过 {r['accepted']}，拒绝 {r['rejected']}；"
                 f"信息项 {i['total']} 行：通过 {i['accepted']}，拒绝 {i['rejected']}；"
                 + ("已写入" if result["written"] else "有错误，未写入任何数据")]
        lines += [f"  {e}" for e in result["errors"]]
        return result, "\n".join(lines)

    def do_export(self, options):
        from zhengshu.core.models import ChangeAction, record_change
        from zhengshu.dataresources.models import DataItem, DataResource
        from zhengshu.dataresources.xlsx import export_workbook

        qs = DataResource.objects.all()
        if options.get("department"):
            qs = qs.filter(department__code=options["department"])
        if options.get("status"):
            qs = qs.filter(status=options["status"])
        path = Path(options["file"])
        with command_context("catalog export"):
            path.write_bytes(export_workbook(qs))
            record_change(action=ChangeAction.EXPORT, object_type="dataresources.dataresource",
                          object_repr="数据资源目录", message=f"导出到 {path.name}")
        result = {"file": str(path), "resources": qs.count(),
                  "items": DataItem.objects.filter(resource__in=qs.values("pk")).count()}
        return result, f"已导出 {result['resources']} 条目录、{result['items']} 个信息项到 {path}"

    def do_counts(self, options):
        from zhengshu.dataresources.selectors import catalogue_counts

        result = catalogue_counts(department=options.get("department"))
        lines = [f"已发布目录 {result['total']}：可共享 {result['shareable']}，可开放 {result['openable']}"]
        lines += [f"  {d['code']:<14} {d['name']}  共享 {d['shareable']}  开放 {d['openable']}"
                  for d in result["by_department"]]
        return result, "\n".join(lines)

    def do_schema(self, options):
        from zhengshu.dataresources.selectors import pipeline_schema

        result = pipeline_schema(options["code"])
        if result is None:
            raise CommandError(f"信息资源代码 {options['code']} 不存在或已撤销")
        return result, ""

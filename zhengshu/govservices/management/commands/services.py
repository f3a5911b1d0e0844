"""``zhengshu services <subcommand>``: the government-services catalogue commands.

- ``import-items FILE [FILE …] [--dry-run] [--publish] [--json]``
- ``export-items FILE [--department CODE] [--status S] [--encoding E] [--json]``
- ``check-items [--json]`` — rerun the item-quality rules on every item
- ``metrics --year Y [--department D] --json`` — handled by the cases app (``run_metrics_command``)
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhengshu.core.context import command_context


class Command(BaseCommand):
    help = "政务服务事项：导入/导出事项目录、重跑质量规则、统计指标。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, title="子命令")
        imp = sub.add_parser("import-items", help="导入事项目录（XLSX 或 CSV；全部通过才写入）")
        imp.add_argument("files", nargs="+", metavar="FILE")
        imp.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        imp.add_argument("--publish", action="store_true", help="导入后直接发布（上级已审核的目录）")
        imp.add_argument("--json", action="store_true", help="输出 JSON")
        exp = sub.add_parser("export-items", help="导出事项目录（.xlsx 或 .csv，格式同导入）")
        exp.add_argument("file", metavar="FILE")
        exp.add_argument("--department", help="只导出该部门编码（如 HN-SJJ）的事项")
        exp.add_argument("--status", choices=["draft", "review", "published", "withdrawn"])
        exp.add_argument("--encoding", default="utf-8-sig", help="CSV 编码：utf-8-sig（默认）、utf-8、gbk、gb18030")
        exp.add_argument("--json", action="store_true")
        chk = sub.add_parser("check-items", help="对全部事项重跑质量规则")
        chk.add_argument("--json", action="store_true")
        met = sub.add_parser("metrics", help="政务服务指标（由办件模块计算）")
        met.add_argument("--year", type=int, required=True)
        met.add_argument("--department")
        met.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        name = options["subcommand"]
        handler = getattr(self, "do_" + name.replace("-", "_"))
        result, text = handler(options)
        if options.get("json"):
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self.stdout.write(text)
        if name == "import-items" and result.get("errors"):  # refused: nothing was written
            raise SystemExit(1)

    def do_import_items(self, options):
        from zhengshu.govservices.catalogue_io import ImportError_, import_catalogue

        try:
            with command_context("services import-items"):
                result = import_catalogue([Path(f) for f in options["files"]], dry_run=options["dry_run"],
                                          publish=options["publish"])
        except ImportError_ as exc:
            raise CommandError(str(exc)) from None
        lines = [f"读取 {result['read']} 行：新建 {result['created']}，更新 {result['updated']}，"
                 f"拒绝 {result['rejected']}" + ("（试运行，未写入）" if options["dry_run"] else "")]
        if result["errors"]:
            lines.append(f"因有错误，未写入任何数据（其余 {result['read'] - result['rejected']} 行事项检查通过）：")
            lines += [f"  第{e['row']}行【{e['column']}】{e['message']}" for e in result["errors"]]
        return result, "\n".join(lines)

    def do_export_items(self, options):
        from zhengshu.govservices.catalogue_io import ImportError_, export_catalogue
        from zhengshu.govservices.models import ServiceItem

        items = ServiceItem.objects.all()
        if options.get("department"):
            items = items.filter(department__code=options["department"])
        if options.get("status"):
            items = items.filter(status=options["status"])
        try:
            result = export_catalogue(items, Path(options["file"]), encoding=options["encoding"])
        except ImportError_ as exc:
            raise CommandError(str(exc)) from None
        return result, f"已导出 {result['items']} 项事项、{result['materials']} 份材料：{'、'.join(result['files'])}"

    def do_check_items(self, options):
        from zhengshu.govservices.models import ItemFinding, ServiceItem
        from zhengshu.govservices.rules import refresh_findings

        with command_context("services check-items"):
            stored = refresh_findings(ServiceItem.objects.all().iterator(chunk_size=500))
        result = {"items": ServiceItem.objects.count(), "findings": stored,
                  "errors": ItemFinding.objects.filter(severity="error").count()}
        return result, f"检查 {result['items']} 项事项，发现问题 {stored} 条（其中错误 {result['errors']} 条）"

    def do_metrics(self, options):
        try:
            from zhengshu.cases.metrics import run_metrics_command
        except ImportError:
            raise CommandError("指标由办件模块（zhengshu.cases.metrics）计算，该模块尚未提供") from None
        result = run_metrics_command(options)
        return result, json.dumps(result, ensure_ascii=False, indent=2)

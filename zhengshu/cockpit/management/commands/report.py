"""``zhengshu report annual --year Y --out FILE.docx [--json]``: write the annual report as a Word document."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "生成年度报告（Word）：zhengshu report annual --year 2023 --out 报告.docx"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["annual"], help="报告类型：annual（年度报告）")
        parser.add_argument("--year", required=True, help="统计年度，如 2023")
        parser.add_argument("--out", required=True, help="输出的 .docx 文件路径")
        parser.add_argument("--json", action="store_true", help="另在标准输出打印全部指标（JSON）")

    def handle(self, *args, **options):
        from zhengshu.cockpit.cache import get_figures
        from zhengshu.cockpit.figures import display
        from zhengshu.cockpit.report import annual_report_docx

        text = str(options["year"]).strip()
        if not (text.isascii() and text.isdigit()):
            raise CommandError(f"--year 应为四位年份，如 2023，收到“{text}”")
        year = int(text)
        if not 2000 <= year <= 2100:
            raise CommandError(f"--year {year} 超出范围（2000–2100）")
        out = Path(options["out"])
        if out.suffix.lower() != ".docx":
            raise CommandError(f"--out 应为 .docx 文件：{out}")
        if not out.parent.exists():
            raise CommandError(f"输出目录不存在：{out.parent}")
        data = get_figures(year)
        out.write_bytes(annual_report_docx(data))
        if options["json"]:
            self.stdout.write(json.dumps({
                "year": year, "out": str(out),
                "figures": {f["key"]: {"name": f["name"], "value": f["value"], "text": display(f)}
                            for f in data["figures"]}}, ensure_ascii=False))
        else:
            self.stdout.write(f"已生成 {year} 年度报告：{out}（指标 {len(data['figures'])} 项）")

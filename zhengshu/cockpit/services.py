"""The cockpit's one write: recording an annual report generated from the pages (who, when, which figures)."""

from __future__ import annotations

from zhengshu.cockpit.models import AnnualReport
from zhengshu.core.crypto import sm3_hex
from zhengshu.core.services import service


@service(perm="cockpit.add_annualreport", message="生成年度报告")
def generate_annual_report(*, actor, year: int) -> tuple[AnnualReport, bytes]:
    """Build the year's report from the cached figures and record it; returns the record and the .docx bytes."""
    from zhengshu.cockpit.cache import get_figures
    from zhengshu.cockpit.report import annual_report_docx

    if not 2000 <= year <= 2100:
        raise ValueError(f"年度 {year} 超出范围（2000–2100）")
    data = get_figures(year)
    content = annual_report_docx(data)
    record = AnnualReport.objects.create(
        year=year, generated_by=actor, filename=f"annual-report-{year}.docx", digest=sm3_hex(content),
        figures={f["key"]: f["value"] for f in data["figures"]})
    return record, content

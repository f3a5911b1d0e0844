"""Word (.docx) and Excel renderings: the 旬通报 document and the download of rejected rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from zhengshu.datagov.lake import REJECT_COLUMNS, reject_cells

ISSUER = "海宁市政务服务和数据资源管理办公室"
RANK_HEADERS = ("排名", "部门", "资源数", "应归集（资源·日）", "按期归集（资源·日）", "归集率", "平均质量得分",
                "期末不达标资源", "归集总量（条）")


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _font(run, size: float | None = None, bold: bool | None = None, name: str = "仿宋") -> None:
    run.font.name = name
    run._element.rPr.rFonts.set(qn("w:eastAsia"), name)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def bulletin_docx(bulletin) -> bytes:
    """The bulletin as a Word document: title, summary, ranking table, problems, issuer and date."""
    doc = Document()
    title = doc.add_heading(level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(bulletin.title), 20, True, "黑体")
    summary = bulletin.summary or {}
    intro = doc.add_paragraph()
    _font(intro.add_run(
        f"根据“周提醒、旬通报、月停机”数据治理巡查机制，现将 {bulletin.period_start:%Y年%m月%d日}至"
        f"{bulletin.period_end:%Y年%m月%d日}全市公共数据归集与质量情况通报如下。"), 12)

    doc.add_heading("一、总体情况", level=1)
    p = doc.add_paragraph()
    _font(p.add_run(
        f"本旬纳入巡查的部门 {summary.get('departments', 0)} 个、数据资源 {summary.get('resources', 0)} 项；"
        f"按期归集率 {_percent(summary.get('rate'))}，部门平均质量得分 {summary.get('score') or 0:.1f} 分；"
        f"截至 {summary.get('as_of') or '—'}，归集总量 {summary.get('records', 0):,} 条，"
        f"不达标资源 {summary.get('failing', 0)} 项。"), 12)

    doc.add_heading("二、部门排名", level=1)
    ranking = bulletin.ranking or []
    table = doc.add_table(rows=1, cols=len(RANK_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, RANK_HEADERS, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), 10.5, True, "黑体")
    for row in ranking:
        values = (row["rank"], row["department"], row["resources"], row["due_days"], row["aggregated_days"],
                  _percent(row["rate"]), f"{row['score']:.1f}", row["failing"], f"{row['records']:,}")
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(str(value)), 10.5)

    doc.add_heading("三、存在问题及要求", level=1)
    behind = [r for r in ranking if r["failing"]]
    if behind:
        p = doc.add_paragraph()
        names = "、".join(f"{r['department']}（{r['failing']} 项）" for r in behind)
        _font(p.add_run(f"期末仍有不达标资源的部门：{names}。请相关部门在收到本通报后抓紧补报、整改；"
                        f"整月不达标的，按“月停机”规定停止其数据共享与调用。"), 12)
    else:
        p = doc.add_paragraph()
        _font(p.add_run("本旬期末各部门数据资源均已达标，请继续保持。"), 12)

    for text in (ISSUER, f"{bulletin.issued_on:%Y年%m月%d日}"):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(p.add_run(text), 12)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def rejects_csv(rows: Iterable[dict]) -> bytes:
    """Rejected rows as CSV in UTF-8 with BOM (opens correctly in Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _key, label in REJECT_COLUMNS])
    for row in rows:
        writer.writerow(reject_cells(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def rejects_xlsx(rows: Iterable[dict], title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31] or "拒收明细")
    sheet.append([label for _key, label in REJECT_COLUMNS])
    for row in rows:
        sheet.append(reject_cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

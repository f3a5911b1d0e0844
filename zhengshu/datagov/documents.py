"""Word (.docx) and Excel renderings: the 旬通报 document and the download of rejected rows."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, RGBColor

from zhengshu.core.officedoc import HEADING_FONT, ISSUER, TITLE_FONT, paragraph as _para, set_font, setup_page
from zhengshu.datagov.lake import REJECT_COLUMNS, reject_cells

SERIES = "公共数据治理旬通报"  # the bulletin's masthead (red, as a 简报-style periodical)
NUMBER_PREFIX = "海政数办旬通"  # 文号 prefix: 海政数办旬通〔2026〕28号 = 2026 年第 28 个旬
RANK_HEADERS = ("排名", "部门", "资源数", "应归集（资源·日）", "按期归集（资源·日）", "归集率", "平均质量得分",
                "期末不达标资源", "归集总量（条）")
RANK_WIDTHS_CM = (1.2, 3.4, 1.1, 1.5, 1.5, 1.7, 1.5, 1.3, 2.4)  # 15.6 cm: the type area of A4
RED = RGBColor(0xC0, 0x00, 0x00)


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def bulletin_number(bulletin) -> str:
    """The bulletin's document number: the year and the 旬's ordinal in it (1–36)."""
    start = bulletin.period_start
    ordinal = (start.month - 1) * 3 + {1: 1, 11: 2, 21: 3}.get(start.day, 1)
    return f"{NUMBER_PREFIX}〔{start.year}〕{ordinal}号"


def bulletin_docx(bulletin) -> bytes:
    """The bulletin as a Word document in the shape of an official 通报: masthead, number, title, body with
    一、二、三 sections, the ranking table, issuer and date."""
    doc = Document()
    setup_page(doc)
    _para(doc, SERIES, 26, TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    number = _para(doc, bulletin_number(bulletin), 16, align=WD_ALIGN_PARAGRAPH.CENTER)
    rule = number._p.get_or_add_pPr()  # the red rule under the number (版头分隔线)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "4"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    rule.append(borders)
    title = _para(doc, align=WD_ALIGN_PARAGRAPH.CENTER)
    for i, part in enumerate(re.split(r"(?=\d{4}年)", bulletin.title, maxsplit=1)):  # two lines: who, which 旬
        run = title.add_run()
        if i:
            run.add_break()
        run.add_text(part)
        set_font(run, 22, name=TITLE_FONT)

    summary = bulletin.summary or {}
    ranking = bulletin.ranking or []
    _para(doc, "各有关单位：", indent=False)
    _para(doc, f"根据“周提醒、旬通报、月停机”数据治理巡查机制，现将{bulletin.period_start:%Y年%-m月%-d日}至"
               f"{bulletin.period_end:%Y年%-m月%-d日}全市公共数据归集与质量情况通报如下。")

    _para(doc, "一、总体情况", 16, HEADING_FONT)
    _para(doc, f"本旬纳入巡查的部门{summary.get('departments', 0)}个、数据资源{summary.get('resources', 0)}项；"
               f"按期归集率{_percent(summary.get('rate'))}，部门平均质量得分{summary.get('score') or 0:.1f}分；"
               f"截至{_cn_date(summary.get('as_of'))}，归集总量{summary.get('records', 0):,}条，"
               f"不达标资源{summary.get('failing', 0)}项。")
    if ranking:
        top = "、".join(r["department"] for r in ranking[:3])
        _para(doc, f"本旬综合排名前列的是{top}。" + (
            f"排名末位的是{ranking[-1]['department']}（平均质量得分{ranking[-1]['score']:.1f}分，"
            f"归集率{_percent(ranking[-1]['rate'])}）。" if len(ranking) > 3 else ""))

    _para(doc, "二、部门排名", 16, HEADING_FONT)
    table = doc.add_table(rows=1, cols=len(RANK_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, RANK_HEADERS, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_font(cell.paragraphs[0].add_run(text), 9, bold=True, name=HEADING_FONT)
    for row in ranking:
        values = (row["rank"], row["department"], row["resources"], row["due_days"], row["aggregated_days"],
                  _percent(row["rate"]), f"{row['score']:.1f}", row["failing"], f"{row['records']:,}")
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            if i != 1:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            set_font(cell.paragraphs[0].add_run(str(value)), 9)
    for column, width in zip(table.columns, RANK_WIDTHS_CM, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    _para(doc, "注：排名按平均质量得分、归集率依次排列；归集率＝按期归集的资源·日÷应归集的资源·日。", 12)

    _para(doc, "三、存在问题及要求", 16, HEADING_FONT)
    behind = [r for r in ranking if r["failing"]]
    if behind:
        names = "、".join(f"{r['department']}（{r['failing']}项）" for r in behind)
        _para(doc, f"旬末仍有不达标资源的部门：{names}。请相关部门收到本通报后抓紧补报、整改；"
                   f"整月不达标的，按“月停机”规定停止其数据共享与调用。")
    else:
        _para(doc, "本旬末各部门数据资源均已达标，请继续保持。")

    _para(doc)
    for text in (ISSUER, f"{bulletin.issued_on:%Y年%-m月%-d日}"):
        _para(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _cn_date(value) -> str:
    if not value:
        return "—"
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day:%Y年%-m月%-d日}"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def reject_table(rows: Iterable[dict]) -> Iterator[list[str]]:
    """Header, then one line per rejected row: row, column, rule, reason, then the row's original values
    one source column per column (so the department fixes the file in Excel and submits it again).
    Values under a column the first row did not have go to a last cell as ``列=值；…``."""
    rows = iter(rows)
    first = next(rows, None)
    base = [label for key, label in REJECT_COLUMNS if key != "values"]
    keys = list(first["values"]) if first is not None and isinstance(first.get("values"), dict) else []
    yield base + keys if keys else base + [dict(REJECT_COLUMNS)["values"]]
    if first is None:
        return
    for row in itertools.chain([first], rows):
        cells = reject_cells(row)[:len(base)]
        values = row.get("values")
        if keys and isinstance(values, dict):
            cells += ["" if values.get(k) is None else str(values.get(k)) for k in keys]
            extra = {k: v for k, v in values.items() if k not in keys}
            if extra:
                cells.append(reject_cells({"values": extra})[-1])
        else:
            cells.append(reject_cells(row)[-1])
        yield cells


def _inert(value: str) -> str:
    """A cell Excel will not run as a formula (CSV injection): a leading ' before = + - @ (not numbers)."""
    if value.startswith(FORMULA_STARTS):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def rejects_csv_chunks(rows: Iterable[dict]) -> Iterator[bytes]:
    """Rejected rows as CSV in UTF-8 with BOM (opens correctly in Excel), in chunks of about 64 KB."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    for line in reject_table(rows):
        writer.writerow([_inert(cell) for cell in line])
        if buffer.tell() > 65536:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def rejects_xlsx(rows: Iterable[dict], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(re.sub(r"[\\/?*\[\]:]", "_", title)[:31] or "拒收明细")
    for line in reject_table(rows):
        cells = []
        for value in line:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, never a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

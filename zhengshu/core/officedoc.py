"""Word documents in the shape of the office's official papers (GB/T 9704-2012 党政机关公文格式): A4 page and
margins, 仿宋_GB2312 三号 body, 黑体 headings, 方正小标宋 titles, first lines indented by two characters.

Used by the 旬通报 (``datagov.documents``) and the annual report (``cockpit.report``). The fonts are named,
not embedded: Word on a government desktop has them; elsewhere the viewer substitutes.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ISSUER = "海宁市政务服务和数据资源管理办公室"
BODY_FONT, HEADING_FONT, TITLE_FONT, KAITI_FONT = "仿宋_GB2312", "黑体", "方正小标宋简体", "楷体_GB2312"


def set_font(run, size: float | None = None, *, bold: bool | None = None, name: str = BODY_FONT, color=None) -> None:
    """Font of ``run``, East Asian text included (python-docx sets only the Latin font by itself)."""
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if color is not None:
        run.font.color.rgb = color


def paragraph(doc, text: str = "", size: float = 16, name: str = BODY_FONT, *, bold: bool = False, align=None,
              indent: bool = True, color=None):
    """A paragraph of ``text``; without ``align`` its first line is indented by two characters (首行缩进两字)."""
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent and align is None:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    if text:
        set_font(p.add_run(text), size, bold=bold, name=name, color=color)
    return p


def setup_page(doc) -> None:
    """A4 with the margins of GB/T 9704-2012; body text 仿宋_GB2312 三号 (16 pt)."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

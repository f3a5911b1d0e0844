"""The annual report (年度报告) as a Word document, in the structure of the office's own report: 政务服务,
数据资源管理, 公共资源交易, each paragraph carrying the year's figures (“一网通办”办件率99.48%: the figure's name
followed by its value, percentages with two decimals), then an appendix table of every figure with its
definition and source. The figures are those of ``cache.get_figures`` — the same numbers as the cockpit and the API.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from zhengshu.cockpit.figures import COUNT, MONEY, SECTIONS, by_key, display
from zhengshu.core.officedoc import HEADING_FONT, ISSUER, KAITI_FONT, TITLE_FONT, paragraph, set_font, setup_page

APPENDIX_HEADERS = ("序号", "板块", "指标", "数值", "口径", "来源")
SECTION_TITLES = {"gov": "（一）聚焦政务服务优化增值", "data": "（二）聚焦数据资源管理安全高效",
                  "trading": "（三）聚焦公共资源交易规范便捷"}
NOT_COVERED = ("信息化项目审查（申报数、申报金额、节约资金）、政务云资源、网络与数据安全（代码检测、终端防护）等工作的数据"
               "尚未接入平台，本报告不含相应数字。")


def _wan(yuan: int) -> str:
    """A readable amount beside the exact one: 1.13亿元, 1500.11万元."""
    if yuan >= 100_000_000:
        return f"{Decimal(yuan) / 100_000_000:.2f}亿元"
    if yuan >= 10_000:
        return f"{Decimal(yuan) / 10_000:.2f}万元"
    return f"{yuan}元"


def phrase(fig: dict) -> str:
    """“name + value” as it appears in the paragraphs; a missing value is said in words."""
    if fig["value"] is None:
        return f"{fig['name']}暂无数据"
    text = f"{fig['name']}{display(fig)}"
    if fig["kind"] == MONEY and fig["value"] >= 10_000:
        text += f"（约{_wan(fig['value'])}）"
    elif fig["kind"] == COUNT and fig["value"] >= 100_000_000:  # as the office writes it: 6.48亿条
        text += f"（约{Decimal(fig['value']) / 100_000_000:.2f}亿{fig['unit']}）"
    return text


def paragraphs(data: dict) -> dict[str, list[str]]:
    """The body text of each section, built from the figures (every figure appears in exactly one sentence)."""
    f = by_key(data)
    year = data["year"]

    def p(*keys: str) -> str:
        return "，".join(phrase(f[k]) for k in keys if k in f)

    def as_of(key: str) -> str:
        day = f.get(key, {}).get("as_of")
        return f"（截至{day}）" if day else ""

    gov = [
        f"政务服务“异地无忧”改革深入推进，{p('partner_provinces', 'partner_regions')}，"
        f"{p('cross_region_items')}实现异地通办，全年{p('cross_region_cases')}。"
        f"“潮晓云”政务服务视频帮办构建市镇村三级联动工作体系，全年受理{p('assist_requests')}。",
        f"{year}年政务服务{p('cases_submitted')}，{p('one_network_rate')}，{p('on_time_rate')}，"
        f"{p('good_rating_rate')}；事项{p('online_available_rate', 'full_online_rate')}。",
    ]
    data_section = [
        f"深化推进公共数据治理，建立“周提醒、旬通报、月停机”数据治理巡查机制，全年发出{p('weekly_reminders')}，"
        f"发布{p('dekad_bulletins')}，实施{p('monthly_shutdowns')}。",
        f"目前全市{p('catalogue_shareable', 'catalogue_openable')}，{p('records_aggregated')}，"
        f"{p('aggregation_rate')}，{p('quality_score')}{as_of('records_aggregated')}。",
        f"开展“一企一档”数据治理，{p('archive_sources', 'archive_records', 'archive_enterprises')}"
        f"{as_of('archive_records')}。",
    ]
    trading = [
        f"深入实施“评定分离”改革，全年完成{p('tenders')}，其中{p('separated_tenders')}，"
        f"{p('separated_share')}。严格落实招投标“七个不准”，{p('open_warnings')}。",
        f"强化交易信用结果运用，{p('clues', 'clue_firms', 'clue_person_times', 'clue_amount_yuan')}。"
        f"实现村级工程项目全量纳入、全程管理，{p('village_projects')}，{p('village_flagged')}。",
        f"持续推进政府采购不见面开评标，{p('procurement_saved_yuan')}，{p('procurement_saving_rate')}。",
    ]
    return {"gov": gov, "data": data_section, "trading": trading}


def annual_report_docx(data: dict) -> bytes:
    """The report of ``data`` (``get_figures(year)``) as .docx bytes."""
    year = data["year"]
    doc = Document()
    setup_page(doc)
    paragraph(doc, f"{ISSUER}{year}年工作总结", 22, TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(doc, f"（政数平台根据平台数据自动生成，{timezone.localtime():%Y年%m月%d日}）", 14,
              align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(doc, f"{year}年，市政务数据办统筹推进政务服务、数据资源管理和公共资源交易等工作。本报告中的数字均由政数平台"
               f"根据平台自身数据计算，口径与来源见附表。")
    paragraph(doc, f"一、{year}年主要工作", 16, HEADING_FONT, indent=True)
    texts = paragraphs(data)
    for key, _name in SECTIONS:
        paragraph(doc, SECTION_TITLES[key], 16, KAITI_FONT, bold=True)
        for text in texts[key]:
            paragraph(doc, text)
    paragraph(doc, f"说明：{NOT_COVERED}", 14)
    doc.add_page_break()
    paragraph(doc, "附表  指标口径与来源", 16, HEADING_FONT, indent=False)
    names = dict(SECTIONS)
    table = doc.add_table(rows=1, cols=len(APPENDIX_HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, APPENDIX_HEADERS):
        cell.text = ""
        set_font(cell.paragraphs[0].add_run(text), 10.5, name=HEADING_FONT)
    for n, fig in enumerate(data["figures"], 1):
        definition = fig["definition"] + (f"（截至{fig['as_of']}）" if fig.get("as_of") else "")
        row = table.add_row().cells
        for cell, text in zip(row, (str(n), names[fig["section"]], fig["name"], display(fig), definition,
                                    fig["source"])):
            cell.text = ""
            set_font(cell.paragraphs[0].add_run(text), 10.5)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

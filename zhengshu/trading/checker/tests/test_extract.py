"""Text extraction from docx (with tables), PDF, HTML and GBK text, and exact spans on every format."""

import io

import docx
import pytest
from docx.oxml.ns import qn
from docx.oxml import OxmlElement

from zhengshu.trading.checker import ExtractionError, check_document, extract_text

from .pdfmaker import make_empty_pdf, make_pdf

FACTS = {"regime": "工程招标", "estimated_price_yuan": 6_000_000}


def _vmerge(cell, restart: bool):
    pr = cell._tc.get_or_add_tcPr()
    el = OxmlElement("w:vMerge")
    if restart:
        el.set(qn("w:val"), "restart")
    pr.append(el)


def make_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("第一章 招标公告")
    d.add_paragraph("1. 投标保证金：人民币30万元。")
    d.add_paragraph("第三章 评标办法")
    d.add_paragraph("一、评分标准")
    t = d.add_table(rows=3, cols=3)
    for cell, text in zip(t.rows[0].cells, ("评分因素", "评分标准", "分值")):
        cell.text = text
    t.cell(1, 0).text = "业绩"
    t.cell(1, 1).text = "近三年承担过嘉兴市范围内类似工程的，每项加1分"
    t.cell(1, 2).text = "3"
    _vmerge(t.cell(1, 0), True)
    _vmerge(t.cell(2, 0), False)  # continuation of the merged 业绩 cell: read once
    t.cell(2, 1).text = "获得钱江杯的加2分"
    t.cell(2, 2).text = "2"
    d.add_paragraph("二、否决投标条件")
    d.add_paragraph("1. 投标文件未胶装的，作否决投标处理。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def assert_spans(result):
    assert result.findings
    for f in result.findings:
        assert result.text[f.start:f.end] == f.text and f.text


def test_docx_with_table_in_reading_order():
    text = extract_text(make_docx(), "文件.docx")
    lines = text.split("\n")
    assert lines[4] == "评分因素\t评分标准\t分值"
    assert lines[5] == "业绩\t近三年承担过嘉兴市范围内类似工程的，每项加1分\t3"
    assert lines[6] == "获得钱江杯的加2分\t2"  # the merged cell is not repeated
    assert lines.index("二、否决投标条件") > lines.index(lines[6])


def test_docx_findings_know_their_section():
    result = check_document(make_docx(), "文件.docx", FACTS)
    assert_spans(result)
    by_rule = {f.rule: f for f in result.findings}
    assert by_rule["QX-03"].section == "scoring"
    assert by_rule["QX-23"].section == "rejection"
    assert by_rule["QX-18"].severity == "high"
    assert [s.title for s in result.sections if s.level == 0] == ["招标公告", "评标办法"]


def test_docx_from_a_path(tmp_path):
    path = tmp_path / "招标文件.docx"
    path.write_bytes(make_docx())
    assert_spans(check_document(path, facts=FACTS))


def test_pdf_with_text_layer():
    data = make_pdf([["第一章 招标公告", "投标保证金：人民币30万元。"],
                     ["第二章 投标人须知", "二、资格要求", "投标人注册地须位于嘉兴市行政区域内。"]])
    result = check_document(data, "招标文件.pdf", FACTS)
    assert_spans(result)
    by_rule = {f.rule: f for f in result.findings}
    assert by_rule["QX-07"].section == "qualification"
    assert "QX-18" in by_rule


def test_pdf_without_text_layer_is_a_clear_error():
    with pytest.raises(ExtractionError) as info:
        extract_text(make_empty_pdf(3), "扫描件.pdf")
    assert "扫描件.pdf" in str(info.value) and "没有文字层" in str(info.value) and "3 页" in str(info.value)


def test_broken_files_are_clear_errors():
    with pytest.raises(ExtractionError, match="不是有效的 Word"):
        extract_text(b"PK\x03\x04garbage", "坏.docx")
    with pytest.raises(ExtractionError, match="PDF 文件损坏"):
        extract_text(b"%PDF-1.4 garbage", "坏.pdf")
    with pytest.raises(ExtractionError, match="空.txt：文件为空"):
        extract_text(b"  \n", "空.txt")
    with pytest.raises(ExtractionError, match=r"旧版 Word"):
        extract_text(b"\xd0\xcf\x11\xe0", "旧.doc")


def test_html_with_table_script_and_entities():
    html = """<html><head><title>招标文件</title><style>p{color:red}</style></head><body>
    <h2>第三章 评标办法</h2><script>var x = "投标人注册地须位于嘉兴市";</script>
    <table><tr><th>评分因素</th><th>评分标准</th></tr>
    <tr><td>业绩</td><td>近三年承担过嘉兴市范围内类似工程的，每项加1分</td></tr></table>
    <p>投标保证金&#xFF1A;人民币30万元&nbsp;。</p></body></html>"""
    result = check_document(html.encode("utf-8"), "公告.html", FACTS)
    assert "var x" not in result.text and "color" not in result.text
    assert "业绩\t近三年承担过嘉兴市范围内类似工程的，每项加1分" in result.text.split("\n")
    assert_spans(result)
    assert {f.rule for f in result.findings} == {"QX-03", "QX-18"}
    assert [f.rule for f in result.findings if f.rule == "QX-07"] == []  # the script is not text


def test_gbk_and_utf8_plain_text():
    text = "第二章 资格要求\n1. 投标人注册地须位于嘉兴市行政区域内。\n"
    for encoding in ("gbk", "gb18030", "utf-8", "utf-8-sig"):
        result = check_document(text.encode(encoding), "招标文件.txt", {})
        assert result.text.startswith("第二章 资格要求"), encoding
        assert_spans(result)
        assert result.findings[0].rule == "QX-07"


def test_full_width_digits_keep_offsets():
    text = "投标保证金：人民币３０万元。"
    found = [f for f in check_document(text.encode(), "a.txt", FACTS).findings if f.rule == "QX-18"]
    assert found and text[found[0].start:found[0].end] == found[0].text
    assert "30万元" in found[0].message


def test_generated_tender_document_finds_exactly_the_planted_violations():
    from zhengshu.trading.checker.sampledoc import FACTS, generate

    data, planted = generate(30_000, seed=7)
    result = check_document(data, "招标文件.docx", FACTS)
    assert_spans(result)
    assert len(result.text) >= 30_000 and "\t" in result.text
    assert sorted(f.rule for f in result.findings) == sorted(rule for rule, _ in planted)
    for f in result.findings:
        assert any(f.text in text for _, text in planted)


def test_docx_nested_table_rows_follow_their_row():
    d = docx.Document()
    d.add_paragraph("第三章 评标办法")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "评分因素"
    t.cell(0, 1).text = "评分标准"
    t.cell(1, 0).text = "商务"
    inner = t.cell(1, 1).add_table(rows=2, cols=2)
    inner.cell(0, 0).text = "业绩"
    inner.cell(0, 1).text = "每项1分"
    inner.cell(1, 0).text = "认证"
    inner.cell(1, 1).text = "不计分"
    d.add_paragraph("第四章 合同条款")
    buf = io.BytesIO()
    d.save(buf)
    lines = extract_text(buf.getvalue(), "a.docx").split("\n")
    assert lines == ["第三章 评标办法", "评分因素\t评分标准", "商务", "业绩\t每项1分", "认证\t不计分", "第四章 合同条款"]

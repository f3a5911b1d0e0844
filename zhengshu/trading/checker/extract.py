"""Text out of tender documents: docx (tables in reading order), PDF with a text layer, HTML, plain text.

Everything returns one string; finding offsets refer to it. Paragraphs are separated by ``\\n``; a table row is
one line with its cells separated by ``\\t`` (a merged cell is read once).
"""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from lxml import etree  # python-docx's own dependency


class ExtractionError(ValueError):
    """A document that cannot be read; the message is Chinese and names the file."""


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_P, _TR, _TC, _T, _TAB, _BR, _VMERGE = (W + t for t in ("p", "tr", "tc", "t", "tab", "br", "vMerge"))
_VAL = W + "val"

_SUFFIX = {".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html", ".txt": "txt",
           ".text": "txt", ".md": "txt", ".csv": "txt"}


def _kind(filename: str, data: bytes) -> str:
    suffix = Path(filename or "").suffix.lower()
    if suffix in _SUFFIX:
        return _SUFFIX[suffix]
    if data[:4] == b"%PDF":
        return "pdf"
    if data[:2] == b"PK":
        return "docx"
    head = data[:512].lower()
    if b"<html" in head or b"<!doctype html" in head:
        return "html"
    return "txt"


def extract_text(path_or_bytes, filename: str = "") -> str:
    """The text of a document given as a path or as bytes; ``filename`` tells the type when bytes are given."""
    if isinstance(path_or_bytes, (str, Path)):
        path = Path(path_or_bytes)
        filename = filename or path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ExtractionError(f"无法读取文件 {filename}：{exc.strerror or exc}") from None
    else:
        data = bytes(path_or_bytes)
    name = filename or "上传的文件"
    if Path(name).suffix.lower() in (".doc", ".wps"):
        raise ExtractionError(f"{name}：不支持旧版 Word（.doc/.wps）格式，请另存为 .docx 或 PDF 后再检查")
    if not data.strip():
        raise ExtractionError(f"{name}：文件为空")
    kind = _kind(name, data)
    if kind == "docx":
        return docx_text(data, name)
    if kind == "pdf":
        return pdf_text(data, name)
    if kind == "html":
        return html_text(decode_text(data, name))
    return decode_text(data, name)


# ---------------------------------------------------------------- docx

def _body_lines(body) -> list[str]:
    """One pass over the body in document order.

    A paragraph is a line; a table row is a line of its cells joined by tabs (a cell's paragraphs joined by
    spaces); a vertically merged cell is read at its first row only; the rows of a table inside a cell follow the
    row of that cell; a paragraph inside a paragraph (a text box) is part of the outer one.
    """
    lines: list[str] = []
    rows: list[tuple[list[str], list[str]]] = []  # open rows: (cells, lines of tables nested in them)
    cells: list[list] = []  # open cells: [texts, is a merge continuation]
    paras: list[list[str]] = []  # open paragraphs
    tags = (_P, _TR, _TC, _T, _TAB, _BR, _VMERGE)
    for event, el in etree.iterwalk(body, events=("start", "end"), tag=tags):
        tag = el.tag
        if event == "start":
            if tag == _T:
                if paras:
                    paras[-1].append(el.text or "")
            elif tag == _P:
                paras.append([])
            elif tag == _TAB or tag == _BR:
                if paras:
                    paras[-1].append("\t" if tag == _TAB else " ")
            elif tag == _TR:
                rows.append(([], []))
            elif tag == _TC:
                cells.append([[], False])
            elif cells and el.get(_VAL) != "restart":  # w:vMerge without restart: a continuation
                cells[-1][1] = True
        elif tag == _P:
            text = "".join(paras.pop())
            if paras:
                paras[-1].append(text)
            elif cells:
                if text.strip():
                    cells[-1][0].append(text.strip())
            else:
                lines.append(text)
        elif tag == _TC:
            texts, continuation = cells.pop()
            if texts and not continuation and rows:
                rows[-1][0].append(" ".join(texts))
        elif tag == _TR:
            row_cells, nested = rows.pop()
            target = rows[-1][1] if rows else lines
            if row_cells:
                target.append("\t".join(row_cells))
            target.extend(nested)
    return lines


def docx_text(data: bytes, name: str = "文件") -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            xml = zf.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        raise ExtractionError(f"{name}：不是有效的 Word（.docx）文件，无法读取正文") from None
    try:
        root = etree.fromstring(xml, parser=etree.XMLParser(huge_tree=True, resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        raise ExtractionError(f"{name}：Word 正文 XML 损坏（{exc}）") from None
    body = root.find(W + "body")
    if body is None:
        raise ExtractionError(f"{name}：Word 文件中没有正文")
    for fallback in list(body.iter(MC_FALLBACK)):  # the old-format copy of a text box: read the text once
        fallback.getparent().remove(fallback)
    text = "\n".join(line.rstrip() for line in _body_lines(body))
    if not text.strip():
        raise ExtractionError(f"{name}：Word 文件中没有文字内容")
    return text


# ---------------------------------------------------------------- pdf

def pdf_text(data: bytes, name: str = "文件") -> str:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                raise ExtractionError(f"{name}：PDF 已加密，无法读取文字") from None
        pages = [page.extract_text() or "" for page in reader.pages]
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ExtractionError(f"{name}：PDF 文件损坏或格式不受支持（{exc}）") from None
    text = "\n".join(p.strip("\n") for p in pages)
    if not text.strip():
        raise ExtractionError(f"{name}：PDF 没有文字层（可能是扫描件，共 {len(pages)} 页），"
                              "请提供带文字层的 PDF 或 Word 文件，或先做文字识别")
    return text


# ---------------------------------------------------------------- html

_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table",
          "ul", "ol", "dt", "dd", "blockquote", "pre", "header", "footer", "title", "hr"}
_CELL = {"td", "th"}
_SKIP = {"script", "style", "head", "noscript", "template"}


class _HTMLText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.cell_open = False

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP and tag != "head":
            self.skip += 1
        elif tag in _CELL:
            if self.cell_open:
                self.out.append("\t")
            self.cell_open = True
        elif tag in _BLOCK:
            if tag == "tr":
                self.cell_open = False
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP and tag != "head":
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            if tag == "tr":
                self.cell_open = False
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(" ".join(data.split()) if "\n" in data else data)


def html_text(html: str) -> str:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.out).split("\n")]
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------- plain text

def decode_text(data: bytes, name: str = "文件") -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    raise ExtractionError(f"{name}：无法识别文字编码（已尝试 UTF-8、GBK/GB18030），请另存为 UTF-8 文本")

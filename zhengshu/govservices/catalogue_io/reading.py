"""Reading catalogue files: sheets and headers of XLSX workbooks and CSV files, encodings, column names."""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ITEM_SHEET, MATERIAL_SHEET = "事项", "申请材料"
# Header → field. The first 18 are the exchange columns; the rest are optional GB/T 39046 elements.
ITEM_COLUMNS = {
    "事项名称": "name", "基本编码": "basic_code", "实施编码": "implementation_code", "事项类型": "item_type",
    "实施主体": "department_name", "实施主体代码": "implementing_uscc", "行使层级": "exercise_level",
    "法定办结时限": "legal_limit", "承诺办结时限": "promised_limit", "受理条件": "acceptance_conditions",
    "办理流程": "process", "是否收费": "fee", "到办事现场次数": "visits", "办理形式": "handling_forms",
    "通办范围": "cross_region_scope", "服务对象": "service_objects", "咨询电话": "consult_phone",
    "常见问题": "faq",
    "网办深度": "online_depth", "必须现场办理原因说明": "onsite_reason", "是否告知承诺": "allows_commitment",
    "设定依据": "basis", "收费依据": "fee_basis", "是否支持网上支付": "online_payment",
    "监督投诉电话": "supervise_phone", "办理地点": "handling_address", "办理时间": "handling_time",
    "审批结果名称": "result_name", "别名": "keywords",
}
EXPORT_ITEM_HEADERS = list(ITEM_COLUMNS)
MATERIAL_COLUMNS = {
    "实施编码": "implementation_code", "材料名称": "name", "原件份数": "originals", "复印件份数": "copies",
    "是否必备": "required", "是否容缺": "may_be_missing", "容缺补齐时限": "missing_max_workdays",
    "来源渠道": "source", "是否可告知承诺": "commitment_allowed", "材料说明": "notes",
}
REQUIRED_ITEM = ("事项名称", "实施编码")
ENCODINGS = ("utf-8-sig", "utf-8", "gbk", "gb18030")


class ImportError_(Exception):  # noqa: N801 - not the builtin
    """The file itself cannot be read (format, encoding, missing sheet or header)."""


@dataclass
class Problem:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Sheet:
    name: str
    source: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    encoding: str = ""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if abs(value) >= 1e15:  # a long code Excel stored as a number: its digits are already lost
            return f"{value:.15G}"
        if value.is_integer():
            value = int(value)
    return str(value).strip()


def _header(value: Any) -> str:
    """A header cell as offices write it: full-width forms, wrapped lines, spaces and a required-mark ``*``."""
    text = unicodedata.normalize("NFKC", _cell(value))
    return re.sub(r"\s+", "", text).strip("*")


KNOWN_HEADERS = frozenset(ITEM_COLUMNS) | frozenset(MATERIAL_COLUMNS)
HEADER_SCAN_ROWS = 10  # title rows (often merged cells) above the header row are skipped


def _is_chinese(char: str) -> bool:
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3134F
            or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or 0x2010 <= code <= 0x218F)


def _chinese_share(text: str) -> float:
    other = [c for c in text[:20000] if ord(c) > 127]
    return sum(map(_is_chinese, other)) / len(other) if other else 1.0


def detect_encoding(data: bytes) -> str:
    """UTF-8 with BOM, UTF-8, GBK or GB18030.

    Of the encodings that decode the whole file, the one whose non-ASCII text reads as Chinese wins (UTF-8 before
    GBK before GB18030 on a tie): a short GBK file can also be valid UTF-8 ("食品" in GBK decodes as "ʳƷ").
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    readings = []
    for rank, encoding in enumerate(("utf-8", "gbk", "gb18030")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        readings.append((_chinese_share(text), -rank, encoding))
        if encoding == "utf-8" and readings[0][0] == 1.0:
            break  # valid UTF-8 that reads as Chinese (or plain ASCII): nothing can read better
    if not readings:
        raise ImportError_("无法识别文件编码（支持 UTF-8、UTF-8 BOM、GBK、GB18030）")
    return max(readings)[2]


def _sheet_from_rows(name: str, source: str, rows, encoding: str = "") -> Sheet:
    """Read a sheet whose header is the first of its first rows that names two known columns (else row 1)."""
    rows = iter(rows)
    head, header, start = [], [], 1
    for number in range(1, HEADER_SCAN_ROWS + 1):
        values = next(rows, None)
        if values is None:
            break
        head.append(values)
        cells = [_header(v) for v in values]
        if sum(c in KNOWN_HEADERS for c in cells) >= 2:
            header, start = cells, number
            break
    if not header and head:
        header, start = [_header(v) for v in head[0]], 1
    while header and not header[-1]:
        header.pop()
    sheet = Sheet(name=name, source=source, header=header, encoding=encoding)
    body = itertools.chain(head[start:], rows)
    for number, values in enumerate(body, start=start + 1):
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        sheet.rows.append((number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}))
    return sheet


def _csv_sheet(path: Path) -> Sheet:
    data = path.read_bytes()
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    sheet = _sheet_from_rows(ITEM_SHEET, path.name, csv.reader(io.StringIO(text)), encoding)
    if "材料名称" in sheet.header:
        sheet.name = MATERIAL_SHEET
    return sheet


def read_sheets(paths: list[Path]) -> dict[str, Sheet]:
    """The 事项 and 申请材料 sheets found in ``paths`` (XLSX workbooks or CSV files)."""
    sheets: dict[str, Sheet] = {}
    paths = list(paths)
    for path in list(paths):  # an items CSV's sibling materials CSV
        if path.suffix.lower() == ".csv":
            for sep in ("_", "-"):
                sibling = path.with_name(f"{path.stem}{sep}{MATERIAL_SHEET}.csv")
                if sibling.exists() and sibling not in paths:
                    paths.append(sibling)
    for path in paths:
        if not path.exists():
            raise ImportError_(f"文件不存在：{path}")
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook

            try:
                workbook = load_workbook(path, read_only=True, data_only=True)
            except Exception as exc:  # noqa: BLE001 - any unreadable workbook
                raise ImportError_(f"无法读取 Excel 文件 {path.name}：{exc}") from None
            names = workbook.sheetnames
            for wanted in (ITEM_SHEET, MATERIAL_SHEET):
                if wanted in names:
                    sheets[wanted] = _sheet_from_rows(wanted, f"{path.name}!{wanted}",
                                                      workbook[wanted].iter_rows(values_only=True))
            if ITEM_SHEET not in names and MATERIAL_SHEET not in names and names:
                first = workbook[names[0]].iter_rows(values_only=True)
                sheets[ITEM_SHEET] = _sheet_from_rows(ITEM_SHEET, path.name, first)
            workbook.close()
        elif suffix in (".csv", ".txt"):
            sheet = _csv_sheet(path)
            if sheet.name in sheets:
                raise ImportError_(f"有两个“{sheet.name}”表：{sheets[sheet.name].source} 与 {path.name}")
            sheets[sheet.name] = sheet
        else:
            raise ImportError_(f"不支持的文件类型 {path.suffix or '（无扩展名）'}：请用 .xlsx 或 .csv")
    if ITEM_SHEET not in sheets:
        raise ImportError_("没有找到“事项”表")
    missing = [h for h in REQUIRED_ITEM if h not in sheets[ITEM_SHEET].header]
    if missing:
        raise ImportError_(f"“事项”表缺少必需的列：{'、'.join(missing)}")
    if MATERIAL_SHEET in sheets:
        missing = [h for h in ("实施编码", "材料名称") if h not in sheets[MATERIAL_SHEET].header]
        if missing:
            raise ImportError_(f"“申请材料”表缺少必需的列：{'、'.join(missing)}")
    return sheets

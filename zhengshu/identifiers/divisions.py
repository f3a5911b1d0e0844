"""行政区划代码 (GB/T 2260): lookups in the shipped MCA lists, loaded lazily once."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ._result import Result, finish, normalize

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "divisions"
CURRENT_FILE = DATA_DIR / "mca_2024_county_and_above.csv"
HISTORY_FILE = DATA_DIR / "mca_history_1981_2024.csv"

_DIGITS = frozenset("0123456789")
_STATUS_ORDER = {"在用": 0, "变更": 1, "弃用": 2}


@dataclass(frozen=True, slots=True)
class DivisionRecord:
    """One row of the 1981–2024 history list (a code may have several)."""

    code: str
    name: str
    full_name: str
    level: str  # 省级 / 地级 / 县级
    status: str  # 在用 / 变更 / 弃用
    start_year: int | None
    end_year: int | None
    new_codes: str


def _year(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _full_name(province: str, prefecture: str, name: str) -> str:
    pieces = [province]
    if prefecture and prefecture != "直辖" and prefecture not in pieces:
        pieces.append(prefecture)
    if name not in pieces:
        pieces.append(name)
    return "".join(pieces)


@cache
def _history() -> dict[str, tuple[DivisionRecord, ...]]:
    """code → records, the preferred one first (in use, else most recently ended)."""
    grouped: dict[str, list[DivisionRecord]] = {}
    with HISTORY_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            record = DivisionRecord(
                code=row["代码"],
                name=row["名称"],
                full_name=_full_name(row["一级行政区"], row["二级行政区"], row["名称"]),
                level=row["级别"],
                status=row["状态"],
                start_year=_year(row["启用时间"]),
                end_year=_year(row["变更/弃用时间"]),
                new_codes=row["新代码"],
            )
            grouped.setdefault(record.code, []).append(record)
    return {
        code: tuple(sorted(rows, key=lambda r: (_STATUS_ORDER.get(r.status, 9), -(r.end_year or 9999))))
        for code, rows in grouped.items()
    }


@cache
def _current() -> dict[str, str]:
    """code → name as of 2024-12-31."""
    with CURRENT_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def known_codes() -> frozenset[str]:
    """Every code used at any time since 1981."""
    return frozenset(_history())


def records(code: str) -> tuple[DivisionRecord, ...]:
    """All history rows for a code (empty if never used)."""
    return _history().get(code, ())


def lookup(code: str) -> DivisionRecord | None:
    """The preferred history row for a code, or None."""
    rows = _history().get(code)
    return rows[0] if rows else None


def division_name(code: str, any_time: bool = True) -> str | None:
    """Short name (e.g. 潮阳县); with ``any_time=False`` only codes in use in 2024."""
    if not any_time:
        return _current().get(code)
    record = lookup(code)
    return record.name if record else None


def division_full_name(code: str) -> str | None:
    """Name with its province and prefecture, e.g. 广东省汕头市潮阳县."""
    record = lookup(code)
    return record.full_name if record else None


def is_current(code: str) -> bool:
    """True if the code is in the 2024 MCA list."""
    return code in _current()


def municipal_district_parent(code: str) -> DivisionRecord | None:
    """For an unlisted ``xxxx01`` 市辖区 summary code, the prefecture it belongs to."""
    if len(code) != 6 or code[4:] != "01" or code in _history():
        return None
    parent = lookup(code[:4] + "00")
    return parent if parent is not None and parent.level == "地级" else None


def describe(code: str) -> tuple[str | None, str | None]:
    """(full name, warning) for a 6-digit code; (None, None) if never used since 1981.

    A 市辖区 summary code (``440101``: in older GB/T 2260 editions, absent from the MCA
    history list) is named after its prefecture and comes with a warning.
    """
    record = lookup(code)
    if record is not None:
        return record.full_name, None
    parent = municipal_district_parent(code)
    if parent is not None:
        return parent.full_name + "市辖区", f"{code} 是{parent.name}市辖区汇总码，不在民政部1981年以来县级以上代码表中"
    return None, None


def unknown_message(label: str, code: str) -> str:
    """The standard message for a code never used since 1981."""
    return f"{label} {code} 不是1981年以来使用过的行政区划代码"


def validate_division(code: str) -> Result:
    """Check a 6-digit GB/T 2260 code against every code used since 1981."""
    return validate_normalized(*normalize(code))


def validate_normalized(text: str, warnings: list[str]) -> Result:
    """``validate_division`` for text already passed through ``normalize``."""
    parts: dict[str, object] = {"code": text}
    if len(text) != 6 or not _DIGITS.issuperset(text):
        return finish("division", [f"行政区划代码应为6位数字，实际为“{text}”（{len(text)}位）"], warnings, parts)
    full_name, note = describe(text)
    if full_name is None:
        return finish("division", [unknown_message("行政区划代码", text)], warnings, parts)
    record = lookup(text)
    parts.update(
        name=record.name if record else full_name,
        full_name=full_name,
        level=record.level if record else "市辖区",
        status=record.status if record else None,
        current=is_current(text),
        start_year=record.start_year if record else None,
        end_year=record.end_year if record else None,
        new_codes=record.new_codes if record else "",
        province_code=text[:2] + "0000",
        prefecture_code=text[:4] + "00" if text[2:4] != "00" else None,
    )
    if note:
        warnings.append(note)
    elif record is not None and record.status != "在用":
        successor = f"，新代码 {record.new_codes}" if record.new_codes else ""
        warnings.append(f"该代码（{record.name}）已于{record.end_year}年{record.status}{successor}")
    return finish("division", [], warnings, parts)

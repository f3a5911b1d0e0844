"""Width normalisation that keeps offsets, Chinese numbers, amounts, percentages and dates."""

from __future__ import annotations

import datetime as dt
import re

# Full-width ASCII (U+FF01–U+FF5E) and the ideographic space map one-to-one onto ASCII, so an offset
# into the normalised text is the same offset into the original text.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20
_WIDTH[ord("﹪")] = ord("%")


def normalize(text: str) -> str:
    """Full-width letters, digits and signs to ASCII; same length as the input."""
    return text.translate(_WIDTH)


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
              "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CN_NUM_CHARS = "零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万萬亿億"


def cn_to_int(s: str) -> int | None:
    """Chinese numerals (小写 or 大写) to an integer: 二十 → 20, 壹佰伍拾万 → 1_500_000."""
    if not s or any(c not in CN_NUM_CHARS for c in s):
        return None
    total = section = number = 0
    for c in s:
        if c in _CN_DIGITS:
            number = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            section += (number or 1) * _CN_UNITS[c]
            number = 0
        else:  # 万 / 亿
            section += number
            total = (total + section) * _CN_BIG[c]
            section = number = 0
    return total + section + number


def to_number(s: str) -> float | None:
    s = s.replace(",", "").replace("，", "").strip()
    if not s:
        return None
    try:
        return float(s)
    except ValueError:
        value = cn_to_int(s)
        return float(value) if value is not None else None


_UNIT = {"元": 1, "万元": 10_000, "万": 10_000, "亿元": 100_000_000, "亿": 100_000_000, "千元": 1000}

AMOUNT_RE = re.compile(
    r"(?P<num>\d[\d,]*(?:\.\d+)?|[零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿]+)\s*"
    r"(?P<unit>亿元|万元|千元|元|亿|万)(?!分)")
PERCENT_RE = re.compile(r"(?:百分之(?P<cn>[零一二两三四五六七八九十点.\d]+)|(?P<num>\d+(?:\.\d+)?)\s*%)")


def amounts(s: str) -> list[tuple[float, int, int]]:
    """Every amount in yuan in ``s`` with its span: 5000万元 → 5e7; 人民币捌万元整 → 80000."""
    out = []
    for m in AMOUNT_RE.finditer(s):
        num, unit = m.group("num"), m.group("unit")
        if not num[0].isdigit():
            # 捌万元: the 万 belongs to the unit; 壹佰伍拾万元 → 壹佰伍拾 × 万.
            value = cn_to_int(num)
        else:
            value = to_number(num)
        if value is None:
            continue
        out.append((value * _UNIT[unit], m.start(), m.end()))
    return out


def percents(s: str) -> list[tuple[float, int, int]]:
    out = []
    for m in PERCENT_RE.finditer(s):
        if m.group("num"):
            out.append((float(m.group("num")), m.start(), m.end()))
        else:
            cn = m.group("cn")
            if "点" in cn:
                a, _, b = cn.partition("点")
                ia = cn_to_int(a) if a else 0
                if ia is None or not all(c in _CN_DIGITS for c in b):
                    continue
                value = float(f"{ia}.{''.join(str(_CN_DIGITS[c]) for c in b)}")
            else:
                iv = cn_to_int(cn)
                if iv is None:
                    continue
                value = float(iv)
            out.append((value, m.start(), m.end()))
    return out


DATE_RE = re.compile(r"(?P<y>(?:19|20)\d\d)\s*(?:年|-|/|\.)\s*(?P<m>\d{1,2})\s*(?:月|-|/|\.)\s*(?P<d>\d{1,2})\s*日?")


def parse_date(value) -> dt.date | None:
    """A fact value as a date: a date, a datetime, or text such as 2025-03-01 / 2025年3月1日9时30分."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = DATE_RE.search(normalize(str(value)))
    if not m:
        return None
    try:
        return dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None


def fact_number(facts: dict, *keys: str) -> float | None:
    for key in keys:
        value = facts.get(key)
        if value in (None, ""):
            continue
        if isinstance(value, (int, float)):
            return float(value)
        found = amounts(normalize(str(value)))
        if found:
            return found[0][0]
        number = to_number(normalize(str(value)))
        if number is not None:
            return number
    return None


def fmt_yuan(value: float) -> str:
    if value >= 100_000_000 and value % 1_000_000 == 0:
        return f"{value / 100_000_000:g}亿元"
    if value >= 10_000:
        return f"{value / 10_000:g}万元"
    return f"{value:g}元"

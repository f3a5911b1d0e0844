"""居民身份证号码 (GB 11643-1999, MOD 11-2), 港澳台居民居住证, legacy 15-digit numbers."""

from __future__ import annotations

import datetime as dt
from operator import mul

from . import divisions
from ._result import Result, finish, non_digit_errors, normalize

# W_i = 2^(18-i) mod 11 = 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 (reference §2.2).
WEIGHTS: tuple[int, ...] = tuple(pow(2, 17 - i, 11) for i in range(17))
CHECK_MAP = "10X98765432"  # indexed by the weighted sum mod 11
_DIGITS = frozenset("0123456789")
MIN_BIRTH_DATE = dt.date(1850, 1, 1)

# 港澳台居民居住证 address codes (reference §2.2, jxlwqq/id-validator.py).
PERMIT_CODES: dict[str, str] = {"810000": "香港特别行政区", "820000": "澳门特别行政区", "830000": "台湾地区"}
PERMIT_DOCUMENT = "港澳台居民居住证"


_ASCII_ZERO_SUM = 48 * sum(WEIGHTS)


def _check_char(first17: str) -> str:
    """For 17 ASCII digits: the bytes are the digit values + 48."""
    return CHECK_MAP[(sum(map(mul, first17.encode("ascii"), WEIGHTS)) - _ASCII_ZERO_SUM) % 11]


def make_check_char(first17: str) -> str:
    """The 18th character for 17 digits."""
    if len(first17) != 17 or not _DIGITS.issuperset(first17):
        raise ValueError(f"need 17 digits: {first17!r}")
    return _check_char(first17)


def upgrade_legacy(code15: str) -> str:
    """15-digit GB 11643-1989 number → 18 digits (insert 19, append the check)."""
    if len(code15) != 15 or not _DIGITS.issuperset(code15):
        raise ValueError(f"need 15 digits: {code15!r}")
    first17 = code15[:6] + "19" + code15[6:]
    return first17 + _check_char(first17)


def _address(code: str, parts: dict[str, object], errors: list[str], warnings: list[str]) -> None:
    parts["address_code"] = code
    if code in PERMIT_CODES:
        parts["document"] = PERMIT_DOCUMENT
        parts["address_name"] = PERMIT_CODES[code]
        return
    full_name, note = divisions.describe(code)
    parts["address_name"] = full_name
    if full_name is None:
        hint = "（首位为9，可能是外国人永久居留身份证，本模块不校验）" if code[0] == "9" else ""
        errors.append(divisions.unknown_message("地址码", code) + hint)
    elif note:
        warnings.append(f"地址码 {note}")


def _birth_date(text: str, parts: dict[str, object], errors: list[str]) -> None:
    parts["birth_date"] = None
    try:
        born = dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        errors.append(f"出生日期 {text} 不存在")
        return
    if born > dt.date.today():
        errors.append(f"出生日期 {text} 晚于今天")
    elif born < MIN_BIRTH_DATE:
        errors.append(f"出生日期 {text} 早于{MIN_BIRTH_DATE.year}年")
    else:
        parts["birth_date"] = born.isoformat()


def _body(digits: str, parts: dict[str, object], errors: list[str], warnings: list[str]) -> None:
    """Address, birth date and sequence of the 17 (or upgraded) digits."""
    parts["document"] = "居民身份证"
    _address(digits[:6], parts, errors, warnings)
    _birth_date(digits[6:14], parts, errors)
    sequence = digits[14:17]
    parts["sequence"] = sequence
    parts["sex"] = "男" if int(sequence[2]) % 2 else "女"
    if sequence == "000":
        warnings.append("顺序码 000 可疑")


def _validate_legacy(text: str, warnings: list[str]) -> Result:
    parts: dict[str, object] = {"code": text, "legacy": True}
    if not _DIGITS.issuperset(text):
        return finish("resident_id", non_digit_errors(text), warnings, parts)
    upgraded = upgrade_legacy(text)
    errors: list[str] = []
    _body(upgraded[:17], parts, errors, warnings)
    parts["check_char"] = None
    parts["upgraded"] = upgraded
    warnings.append(f"15位旧号码（GB 11643-1989）无校验码，出生年份按19{text[6:8]}年解读；对应18位号码为 {upgraded}")
    return finish("resident_id", errors, warnings, parts)


def validate_resident_id(code: str) -> Result:
    """Validate an 18-character ID or residence-permit number, or decode a 15-digit one."""
    return validate_normalized(*normalize(code))


def validate_normalized(text: str, warnings: list[str]) -> Result:
    """``validate_resident_id`` for text already passed through ``normalize``."""
    if len(text) == 15:
        return _validate_legacy(text, warnings)
    if len(text) != 18:
        error = f"居民身份证号码应为18位（旧号码15位），实际为{len(text)}位"
        return finish("resident_id", [error], warnings, {"code": text})
    errors = non_digit_errors(text[:17])
    if errors:
        return finish("resident_id", errors, warnings, {"code": text})

    parts: dict[str, object] = {"code": text, "legacy": False}
    _body(text, parts, errors, warnings)
    parts["check_char"] = text[17]
    expected = _check_char(text[:17])
    if expected != text[17]:
        errors.append(f"第18位校验码应为 {expected}，实际为 {text[17]}")
    return finish("resident_id", errors, warnings, parts)

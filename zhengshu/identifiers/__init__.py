"""Validation of Chinese identifiers; standard library only (never import Django here).

``check(code)`` guesses the kind from the shape and returns
``{"kind", "valid", "reason", "parts"}``; ``parts["warnings"]`` lists non-fatal findings.
"""

from __future__ import annotations

from typing import Any

from . import divisions, org_code, resident_id, uscc
from ._result import Result, finish, normalize
from .divisions import validate_division
from .org_code import validate_org_code
from .resident_id import validate_resident_id
from .uscc import validate_uscc

__all__ = [
    "KINDS",
    "Result",
    "check",
    "validate_division",
    "validate_org_code",
    "validate_resident_id",
    "validate_uscc",
]

KINDS = ("uscc", "org_code", "resident_id", "division", "unknown")

_DIGITS = frozenset("0123456789")
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_MASKED_ID = frozenset("0123456789X*")


def _date_like(text: str) -> bool:
    """YYYYMMDD with a plausible century, month 01–12 and day 01–31."""
    return text[:2] in ("18", "19", "20") and "01" <= text[4:6] <= "12" and "01" <= text[6:] <= "31"


def _with_warning(result: Result, note: str) -> Result:
    parts = dict(result.parts)
    return finish(result.kind, [], [*parts.pop("warnings", []), note], parts)


def _eighteen_digits(text: str, warnings: list[str]) -> Result:
    """17 digits + 1 character: an ID number or an all-digit 统一社会信用代码."""
    rid = resident_id.validate_normalized(text, list(warnings))
    if rid.valid and not (text[17] in uscc.VALUES and uscc.passes_checks(text)):
        return rid  # the common case, without building a USCC result
    other = uscc.validate_normalized(text, list(warnings))
    if rid.valid and other.valid:
        if len(other.warnings) < len(rid.warnings):
            return _with_warning(other, "亦符合居民身份证号码的全部规则")
        return _with_warning(rid, "亦符合统一社会信用代码的全部规则")
    if rid.valid or other.valid:
        return rid if rid.valid else other
    evidence = (text[0] in "12345678") + _date_like(text[6:14]) + ("第18位校验码应为" not in rid.reason)
    return rid if evidence >= 2 else other


def _classify(code: str) -> Result:
    text, warnings = normalize(code)
    n = len(text)
    if n == 18:
        if _DIGITS.issuperset(text[:17]):
            return _eighteen_digits(text, warnings)
        if _ALNUM.issuperset(text):
            return uscc.validate_normalized(text, warnings)
        if _MASKED_ID.issuperset(text) and _DIGITS.issuperset(text[:6]):
            return resident_id.validate_normalized(text, warnings)
    elif n == 15 and _DIGITS.issuperset(text):
        return resident_id.validate_normalized(text, warnings)
    elif (n == 9 and _ALNUM.issuperset(text)) or (n == 10 and text[8] == "-" and _ALNUM.issuperset(text[:8] + text[9])):
        return org_code.validate_normalized(text, warnings)
    elif n == 6 and _DIGITS.issuperset(text):
        return divisions.validate_normalized(text, warnings)
    reason = f"无法识别的代码：长度{n}位，不符合统一社会信用代码、组织机构代码、居民身份证号码或行政区划代码的格式"
    return finish("unknown", [reason], warnings, {"code": text})


def check(code: str) -> dict[str, Any]:
    """Validate a code of any supported kind; see the module docstring."""
    return _classify(code).as_dict()

"""The result type shared by all validators, and input normalisation."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

OK_REASON = "校验通过"


@dataclass(frozen=True, slots=True)
class Result:
    """Outcome of one validation; ``as_dict()`` gives the public four-key form."""

    kind: str
    valid: bool
    reason: str
    parts: dict[str, Any] = field(default_factory=dict)

    @property
    def warnings(self) -> list[str]:
        return list(self.parts.get("warnings", ()))

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "valid": self.valid, "reason": self.reason, "parts": dict(self.parts)}


def finish(kind: str, errors: list[str], warnings: list[str], parts: dict[str, Any]) -> Result:
    """Build a Result: errors make it invalid; warnings go to ``parts["warnings"]``."""
    parts["warnings"] = warnings
    if errors:
        return Result(kind, False, "；".join(errors), parts)
    if warnings:
        return Result(kind, True, f"{OK_REASON}（提示：{'；'.join(warnings)}）", parts)
    return Result(kind, True, OK_REASON, parts)


def normalize(code: str) -> tuple[str, list[str]]:
    """Strip, fold full-width characters and upper-case; say what was changed."""
    if not isinstance(code, str):
        raise TypeError(f"code must be str, not {type(code).__name__}")
    warnings: list[str] = []
    text = code
    if not text.isascii():
        folded = unicodedata.normalize("NFKC", text)
        if folded != text:
            warnings.append("已将全角字符转为半角")
            text = folded
    stripped = text.strip()
    if stripped != text:
        warnings.append("已去除首尾空白")
    upper = stripped.upper()
    if upper != stripped:
        warnings.append("已将小写字母转为大写")
    return upper, warnings


def char_at(code: str, index: int) -> str:
    """Quote one character for a message (repr keeps spaces and controls visible)."""
    return repr(code[index])


def non_digit_errors(text: str) -> list[str]:
    """One message per run of non-digits, e.g. ``第7-14位应为数字，实际为“********”``."""
    if text.isascii() and text.isdigit():
        return []
    errors: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if "0" <= text[i] <= "9":
            i += 1
            continue
        j = i
        while j < n and not "0" <= text[j] <= "9":
            j += 1
        where = f"第{i + 1}位" if j == i + 1 else f"第{i + 1}-{j}位"
        errors.append(f"{where}应为数字，实际为“{text[i:j]}”")
        i = j
    if "*" in text and errors:
        errors.append("号码含 *，可能是脱敏后的号码，无法校验")
    return errors

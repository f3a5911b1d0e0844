"""组织机构代码 (GB 11714-1997): 8-character body + 1 MOD-11 check character."""

from __future__ import annotations

from operator import mul

from ._result import Result, char_at, finish, normalize

# GB 11714 values use the full alphabet: 0-9 → 0-9, A → 10 … Z → 35 (reference §2.1).
VALUES: dict[str, int] = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
WEIGHTS: tuple[int, ...] = (3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = frozenset("0123456789X")


def _check_char(body: str) -> str:
    """Check character for a body already known to be 8 valid characters."""
    value = 11 - sum(map(mul, map(VALUES.__getitem__, body), WEIGHTS)) % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def make_check_char(body: str) -> str:
    """Check character for an 8-character body of digits and upper-case letters."""
    if len(body) != 8 or any(c not in VALUES for c in body):
        raise ValueError(f"body must be 8 digits or upper-case letters: {body!r}")
    return _check_char(body)


def passes_check(code9: str) -> bool:
    """Fast check of 9 characters whose first 8 are known to be in VALUES."""
    return _check_char(code9[:8]) == code9[8]


def check_errors(code9: str, first_position: int = 1) -> list[str]:
    """Errors in a 9-character code; positions are counted from ``first_position``.

    Used on its own and for the 主体标识码 inside a 统一社会信用代码 (positions 9–17).
    """
    errors: list[str] = []
    for i, c in enumerate(code9[:8]):
        if c not in VALUES:
            errors.append(f"第{first_position + i}位字符 {char_at(code9, i)} 无效（本体代码只能是数字或大写字母）")
    last = first_position + 8
    if code9[8] not in CHECK_CHARS:
        errors.append(f"第{last}位校验码 {char_at(code9, 8)} 无效（只能是数字或 X）")
    elif not errors:
        expected = _check_char(code9[:8])
        if expected != code9[8]:
            errors.append(f"第{last}位校验码应为 {expected}，实际为 {code9[8]}")
    return errors


def validate_org_code(code: str) -> Result:
    """Validate ``XXXXXXXXX`` or ``XXXXXXXX-X``."""
    return validate_normalized(*normalize(code))


def validate_normalized(text: str, warnings: list[str]) -> Result:
    """``validate_org_code`` for text already passed through ``normalize``."""
    if len(text) == 10 and text[8] == "-":
        compact = text[:8] + text[9]
    elif len(text) == 9:
        compact = text
    else:
        error = f"组织机构代码应为9位（或 XXXXXXXX-X 形式），实际为{len(text)}位"
        return finish("org_code", [error], warnings, {"code": text})
    parts: dict[str, object] = {
        "code": compact,
        "formatted": f"{compact[:8]}-{compact[8]}",
        "body": compact[:8],
        "check_char": compact[8],
    }
    return finish("org_code", check_errors(compact), warnings, parts)

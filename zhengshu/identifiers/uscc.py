"""统一社会信用代码 (GB 32100-2015): 18 characters, MOD-31 check, embedded GB 11714 code."""

from __future__ import annotations

from operator import mul

from . import divisions, org_code
from ._result import Result, char_at, finish, normalize

# Reference §2.1: 31 characters (no I O S V Z), valued 0–30 in this order.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES: dict[str, int] = {c: i for i, c in enumerate(ALPHABET)}
# W_i = 3^(i-1) mod 31 = 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28.
WEIGHTS: tuple[int, ...] = tuple(pow(3, i, 31) for i in range(17))
_DIGITS = frozenset("0123456789")

# 登记管理部门码 → (name, {机构类别码: name}); reference §2.1. Departments other than
# 1/5/9 use category 1 (fdstar/NumberValidators ManagementKindCode.cs: "NonSpecific").
DEPARTMENTS: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "9": ("工商（市场监管）", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "Y": ("其他", {"1": "其他"}),
}

# Reference §2.1 "Known exceptions": genuine early Fujian/Xiamen pilot codes that fail the
# MOD-31 check (they pass the inner GB 11714 check).
PILOT_CODES: frozenset[str] = frozenset(
    {"91350100M0001TGQXM", "91350211M0000XUF46", "91350203M0001FUE2P", "91350203M0001QAY9B"}
)


def _check_char(first17: str) -> str:
    return ALPHABET[-sum(map(mul, map(VALUES.__getitem__, first17), WEIGHTS)) % 31]


def make_check_char(first17: str) -> str:
    """The 18th character for 17 characters from the USCC alphabet."""
    if len(first17) != 17 or any(c not in VALUES for c in first17):
        raise ValueError(f"need 17 characters from {ALPHABET}: {first17!r}")
    return _check_char(first17)


def _looks_like_pilot(code: str) -> bool:
    return code.startswith("9135") and code[8:12] == "M000"


def _department(code: str, parts: dict[str, object], warnings: list[str]) -> None:
    dept, category = code[0], code[1]
    entry = DEPARTMENTS.get(dept)
    parts["registration_dept_code"] = dept
    parts["registration_dept_name"] = entry[0] if entry else None
    parts["category_code"] = category
    parts["category_name"] = entry[1].get(category) if entry else None
    if entry is None:
        warnings.append(f"第1位登记管理部门码 {dept} 不在 GB 32100 常用代码表（1、5、9、Y）中")
    elif parts["category_name"] is None:
        warnings.append(f"第2位机构类别码 {category} 不是登记管理部门“{entry[0]}”下已知的类别")


def _division(code: str, parts: dict[str, object], errors: list[str], warnings: list[str]) -> None:
    division = code[2:8]
    parts["division_code"] = division
    parts["division_name"] = None
    if not _DIGITS.issuperset(division):
        errors.append(f"第3-8位登记管理机关行政区划码应为数字，实际为“{division}”")
        return
    full_name, note = divisions.describe(division)
    parts["division_name"] = full_name
    if full_name is None:
        warnings.append(divisions.unknown_message("第3-8位登记管理机关行政区划码", division))
    elif note:
        warnings.append(f"第3-8位登记管理机关行政区划码 {note}")


def passes_checks(text: str) -> bool:
    """Fast test of both check characters for 18 characters already known to be in ALPHABET."""
    return _check_char(text[:17]) == text[17] and org_code.passes_check(text[8:17])


def validate_uscc(code: str) -> Result:
    """Validate an 18-character 统一社会信用代码; unknown codes inside are warnings."""
    return validate_normalized(*normalize(code))


def validate_normalized(text: str, warnings: list[str]) -> Result:
    """``validate_uscc`` for text already passed through ``normalize``."""
    if len(text) != 18:
        return finish("uscc", [f"统一社会信用代码应为18位，实际为{len(text)}位"], warnings, {"code": text})
    bad = [
        f"第{i + 1}位字符 {char_at(text, i)} 不在统一社会信用代码字符集中（不含 I、O、S、V、Z）"
        for i, c in enumerate(text)
        if c not in VALUES
    ]
    if bad:
        return finish("uscc", bad, warnings, {"code": text})

    parts: dict[str, object] = {"code": text}
    errors: list[str] = []
    _department(text, parts, warnings)
    _division(text, parts, errors, warnings)
    parts["org_code"] = text[8:17]
    parts["check_char"] = text[17]
    parts["legacy_pilot"] = False

    expected = _check_char(text[:17])
    if expected != text[17]:
        if text in PILOT_CODES:
            parts["legacy_pilot"] = True
            warnings.append(f"福建早期试点代码，不符合 GB 32100 第18位校验规则（按规则应为 {expected}），按已知例外接受")
        else:
            hint = "（形如福建早期试点代码，但不在已知例外清单中）" if _looks_like_pilot(text) else ""
            errors.append(f"第18位校验码应为 {expected}，实际为 {text[17]}{hint}")
    errors.extend(e.replace("第17位校验码", "第17位（组织机构代码）校验码") for e in org_code.check_errors(text[8:17], 9))
    return finish("uscc", errors, warnings, parts)

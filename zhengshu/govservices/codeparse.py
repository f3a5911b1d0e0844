"""实施编码 parsers, one per province, in a registry keyed by the 2-digit province code.

The national structure (verified on real catalogues, see docs/shared reference §1.4) is::

    实施编码 (31) = 实施主体 统一社会信用代码 (18) + 行使层级 (1) + 基本编码 (12)
    业务办理项编码 (33) = 实施编码 + 2-digit 业务办理项 suffix

Zhejiang ("33") uses it unchanged and is the default. A province with another layout registers its own
parser with ``@register("51")``; ``parse(code, province=...)`` picks it, falling back to the default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from zhengshu import identifiers

__all__ = ["DEFAULT_PROVINCE", "CodeParseError", "ParsedCode", "parse", "parsers", "register"]

DEFAULT_PROVINCE = "33"  # 浙江
LEVEL_DIGITS = frozenset("1234567")
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


class CodeParseError(ValueError):
    """The code does not have the structure its province's parser expects; the message is Chinese."""


@dataclass(frozen=True)
class ParsedCode:
    code: str  # the full code as given (normalised to upper case)
    uscc: str  # 实施主体 统一社会信用代码
    level: str  # 行使层级 code
    basic_code: str  # 基本编码
    business_item: str = ""  # 业务办理项 (2 digits) or ""
    warnings: tuple[str, ...] = field(default=())

    @property
    def implementation_code(self) -> str:
        """The 31-character 实施编码 without the 业务办理项 suffix."""
        return self.code[: len(self.code) - len(self.business_item)]


Parser = Callable[[str], ParsedCode]
_REGISTRY: dict[str, Parser] = {}


def register(province: str) -> Callable[[Parser], Parser]:
    def add(fn: Parser) -> Parser:
        _REGISTRY[province] = fn
        _parse.cache_clear()
        return fn

    return add


def parsers() -> dict[str, Parser]:
    return dict(_REGISTRY)


def parse(code: str, province: str = DEFAULT_PROVINCE) -> ParsedCode:
    """Parse ``code`` with the parser of ``province`` (the default parser when none is registered)."""
    text = (code or "").strip().upper()
    if not text:
        raise CodeParseError("实施编码为空")
    return _parse(text, province if province in _REGISTRY else DEFAULT_PROVINCE)


@lru_cache(maxsize=8192)
def _parse(text: str, province: str) -> ParsedCode:
    return _REGISTRY[province](text)


@register(DEFAULT_PROVINCE)
def parse_national(text: str) -> ParsedCode:
    """浙江 (and the national platform): USCC(18) + level(1) + 基本编码(12) [+ 业务办理项(2)]."""
    if len(text) not in (31, 33):
        raise CodeParseError(f"实施编码应为31位（或含业务办理项的33位），实际{len(text)}位")
    bad = sorted({c for c in text if c not in _ALNUM})
    if bad:
        raise CodeParseError(f"实施编码含非法字符：{''.join(bad)}")
    uscc, level, basic, suffix = text[:18], text[18], text[19:31], text[31:]
    result = identifiers.check(uscc)
    if result["kind"] != "uscc" or not result["valid"]:
        raise CodeParseError(f"实施编码第1–18位不是有效的统一社会信用代码：{result['reason'] or '校验失败'}")
    if level not in LEVEL_DIGITS:
        raise CodeParseError(f"实施编码第19位（行使层级）应为1–7，实际为“{level}”")
    if not basic[:4].isdigit():
        raise CodeParseError(f"基本编码“{basic}”前4位应为数字（区划前缀+事项类型）")
    if suffix and not suffix.isdigit():
        raise CodeParseError(f"业务办理项“{suffix}”应为两位数字")
    if suffix == "00":
        raise CodeParseError("业务办理项不能为“00”")
    warnings = tuple(result["parts"].get("warnings", ()))
    return ParsedCode(code=text, uscc=uscc, level=level, basic_code=basic, business_item=suffix, warnings=warnings)

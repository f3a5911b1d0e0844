"""Masking of personal data that people type into a question (GB/T 35273 minimisation) before it is stored.

Citizens write things like “我叫张三，身份证330481199001011234，电话13905730001，社保卡丢了怎么办”. The question log
and the staff queues keep only what is needed to improve the knowledge, so before a question is written to the log
(and wherever a typed text is shown to staff) we mask:

- ID numbers: any 18-character (17 digits + digit/X) or 15-digit run that ``zhengshu.identifiers.check`` classifies
  as a resident ID — also when its check character is wrong (a mistyped ID is still someone's ID);
- phone numbers: mobile numbers (1[3-9] + 9 digits, optionally +86/86 and spaces or hyphens) and fixed lines with
  an area code (0xxx-xxxxxxx); a bare 7–8 digit run is left alone (it is as often an amount or a code);
- names introduced by a cue (我叫 / 本人 / 姓名 / 名字是 / 我是 / 替…办 …) — 2 to 4 Han characters after the cue;
  names without a cue cannot be told from words and are not guessed at.
"""

from __future__ import annotations

import re

from zhengshu.core.masking import mask_id_number, mask_name, mask_phone
from zhengshu.identifiers import check

_ID_RUN = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d(?:[\s-]?\d{4}){2})(?!\d)")
_FIXED = re.compile(r"(?<!\d)(0\d{2,3}[\s-]\d{7,8})(?!\d)")
_NAME_CUE = re.compile(
    r"(我叫|我的名字是|名字是|名字叫|姓名[是为：:]?|本人是|本人|申请人是|申请人[：:]|我是|帮我(?:爸|妈|父亲|母亲|老公|老婆|儿子|女儿)?)"
    r"([\u4e00-\u9fff]{2,4}?)(?=[，,。；;、\s（(]|[办要想的在去，]|身份证|电话|手机|$)"
)
# Words that follow the cues but are not names (我是外地人, 本人身份证 …).
_NOT_NAMES = ("外地", "本地", "个体", "企业", "老人", "残疾", "退休", "学生", "新生", "农民", "居民", "市民", "户主", "海宁",
              "想问", "什么", "需要", "办理", "申请", "身份", "咨询", "要办", "准备", "打算")


def _mask_id(match: re.Match) -> str:
    code = match.group(1)
    if check(code.upper()).get("kind") == "resident_id":
        return mask_id_number(code)
    return code


def _mask_phone(match: re.Match) -> str:
    text = match.group(0)
    digits = re.sub(r"\D", "", match.group(1))
    prefix = text[: text.index(match.group(1)[0])] if text != match.group(1) else ""
    return prefix + mask_phone(digits)


def _mask_name(match: re.Match) -> str:
    cue, name = match.group(1), match.group(2)
    if name.startswith(_NOT_NAMES):
        return match.group(0)
    return cue + mask_name(name)


def mask_personal(text: str) -> str:
    """The text with ID numbers, phone numbers and cued names masked (idempotent)."""
    if not text:
        return text or ""
    text = _ID_RUN.sub(_mask_id, text)
    text = _MOBILE.sub(_mask_phone, text)
    text = _FIXED.sub(lambda m: mask_phone(re.sub(r"\D", "", m.group(1))), text)
    return _NAME_CUE.sub(_mask_name, text)

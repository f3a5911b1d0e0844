"""Check digits of 公民身份号码 (GB 11643, ISO 7064 MOD 11-2) and 统一社会信用代码 (GB 32100, with the
embedded 组织机构代码 check of GB 11714), to make valid demo and test identities."""

from __future__ import annotations

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(region: str, birth: str, seq: int) -> str:
    """``resident_id("330481", "19900315", 3)`` → an 18-character ID number with its check digit."""
    body = f"{region}{birth}{seq % 1000:03d}"
    total = sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def _org_code(body8: str) -> str:
    values = [int(c) if c.isdigit() else ord(c) - 55 for c in body8]
    check = 11 - sum(v * w for v, w in zip(values, ORG_WEIGHTS, strict=True)) % 11
    return body8 + ("X" if check == 10 else "0" if check == 11 else str(check))


def uscc(region: str, serial: int, kind: str = "91") -> str:
    """A 统一社会信用代码 of a company registered in ``region`` (6 digits) with an 8-digit serial."""
    body = kind + region + _org_code(f"{serial % 100_000_000:08d}")
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return body + USCC_CHARS[(31 - total % 31) % 31]

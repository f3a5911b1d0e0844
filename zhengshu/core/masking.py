"""Masking of personal data for display (GB/T 35273 practice): shown in full only after a logged reveal."""

from __future__ import annotations


def mask_id_number(value: str) -> str:
    """``330481199001011234`` → ``330481********1234`` (address code and last four kept)."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    """``张三`` → ``张*``, ``欧阳娜娜`` → ``欧***``; one-character names become ``*``."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1) if len(value) > 1 else "*"


MASKERS = {"id_number": mask_id_number, "phone": mask_phone, "name": mask_name}


def mask(kind: str, value: str) -> str:
    return MASKERS[kind](value or "")

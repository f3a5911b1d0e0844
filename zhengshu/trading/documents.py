"""The bridge to the "七个不准" checker (``zhengshu.trading.checker``): run it on a project's document with the
project's facts and the catalogue overrides kept in ``CheckRule``, and validate a rule against its own tests.
"""

from __future__ import annotations

import hashlib
import json
import re

from django.core.exceptions import ValidationError


class CheckerUnavailable(RuntimeError):
    pass


def checker():
    try:
        from zhengshu.trading import checker as module
    except ImportError as exc:  # the package is built separately; say so instead of pretending
        raise CheckerUnavailable("“七个不准”检查器（zhengshu.trading.checker）尚未安装，无法检查文件") from exc
    return module


def overrides(exclude: str | None = None, extra: dict | None = None) -> list[dict]:
    from zhengshu.trading.models import CheckRule

    rows = [r.as_override() for r in CheckRule.objects.exclude(rule_id=exclude or "").order_by("rule_id")]
    if extra:
        rows.append(extra)
    return rows


def rules_version(rows: list[dict]) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def run_checker(content: bytes, filename: str, facts: dict):
    """(text, findings, rules version) for one file."""
    module = checker()
    rows = overrides()
    try:
        result = module.check_document(content, filename, facts=facts, rules=module.load_rules(rows, strict=False))
    except module.ExtractionError as exc:
        raise ValueError(str(exc)) from None
    return result.text, list(result.findings), rules_version(rows)


def validate_rule(rule) -> None:
    """A catalogue edit is saved only when the checker accepts it: known group and sections, a compiling
    pattern, and its own hit/miss examples passing (the checker's ``validate_rule``)."""
    for name in ("hit_examples", "miss_examples", "sections"):
        value = getattr(rule, name)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError({name: ["应为字符串列表"]})
    if rule.pattern:
        try:
            re.compile(rule.pattern)
        except re.error as exc:
            raise ValidationError({"pattern": [f"正则表达式有误：{exc}"]}) from None
    try:
        module = checker()
    except CheckerUnavailable as exc:
        raise ValidationError({"pattern": [f"{exc}；规则无法验证，暂不能保存"]}) from None
    base = module.load_rules(overrides(exclude=rule.rule_id), strict=False)
    errors = module.validate_rule(rule.as_override(), base)
    if errors:
        raise ValidationError({"pattern": errors})

"""The rule catalogue: built-in rules from ``data/rules.yaml`` plus supervisors' overrides."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .segment import SECTION_KINDS

DATA = Path(__file__).resolve().parent / "data"
SEVERITIES = ("high", "medium", "low", "info")
SEVERITY_LABELS = {"high": "高", "medium": "中", "low": "低", "info": "提示"}
RULE_ID = re.compile(r"^[A-Z]{1,4}-[0-9A-Z]{1,6}$")
OVERRIDE_KEYS = {"id", "enabled", "severity", "group", "basis", "message", "suggestion", "pattern", "patterns",
                 "sections", "tests", "title", "exceptions"}


class RuleError(ValueError):
    """A rule or an override that cannot be used; ``errors`` holds the Chinese reasons."""

    def __init__(self, errors: list[str]):
        super().__init__("；".join(errors))
        self.errors = errors


@dataclass
class Rule:
    id: str
    title: str
    group: str
    basis: str
    severity: str
    message: str
    suggestion: str = ""
    patterns: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    lawful: list[dict] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    severity_by_section: dict = field(default_factory=dict)
    when: dict = field(default_factory=dict)
    check: str | None = None
    keywords: str = ""
    params: dict = field(default_factory=dict)
    enabled: bool = True
    builtin: bool = True
    tests: dict = field(default_factory=dict)
    compiled: list[re.Pattern] = field(default_factory=list, repr=False)
    compiled_exceptions: re.Pattern | None = field(default=None, repr=False)
    compiled_lawful: list[tuple[dict, re.Pattern]] = field(default_factory=list, repr=False)
    compiled_keywords: re.Pattern | None = field(default=None, repr=False)

    def applies_to(self, facts: dict) -> bool:
        for key, allowed in self.when.items():
            value = facts.get(key)
            if value not in (None, "") and value not in allowed:
                return False
        return True

    def as_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "group": self.group, "basis": self.basis,
                "severity": self.severity, "message": self.message, "suggestion": self.suggestion,
                "patterns": list(self.patterns), "exceptions": list(self.exceptions), "sections": list(self.sections),
                "check": self.check, "enabled": self.enabled, "builtin": self.builtin, "tests": self.tests}


@dataclass
class RuleSet:
    rules: list[Rule]
    groups: dict[str, str]
    macros: dict[str, str]

    def __post_init__(self):
        self.by_id = {r.id: r for r in self.rules}

    def __iter__(self):
        return iter(self.rules)

    def __len__(self):
        return len(self.rules)

    def get(self, rule_id: str) -> Rule | None:
        return self.by_id.get(rule_id)

    @property
    def enabled(self) -> list[Rule]:
        return [r for r in self.rules if r.enabled]


def expand(pattern: str, macros: dict[str, str]) -> str:
    for name, value in macros.items():
        pattern = pattern.replace("{" + name + "}", value)
    return pattern


def _compile(rule: Rule, macros: dict[str, str]) -> list[str]:
    errors = []
    rule.compiled = []
    for i, pattern in enumerate(rule.patterns, 1):
        try:
            rule.compiled.append(re.compile(expand(pattern, macros)))
        except re.error as exc:
            errors.append(f"规则 {rule.id} 的第{i}个正则无效：{exc}（{pattern}）")
    try:
        rule.compiled_exceptions = (re.compile("|".join(f"(?:{expand(p, macros)})" for p in rule.exceptions))
                                    if rule.exceptions else None)
    except re.error as exc:
        errors.append(f"规则 {rule.id} 的例外正则无效：{exc}")
    try:
        rule.compiled_keywords = re.compile(expand(rule.keywords, macros)) if rule.keywords else None
    except re.error as exc:
        errors.append(f"规则 {rule.id} 的预筛词无效：{exc}")
    rule.compiled_lawful = []
    for item in rule.lawful:
        try:
            rule.compiled_lawful.append((item, re.compile(expand(item["pattern"], macros))))
        except (re.error, KeyError) as exc:
            errors.append(f"规则 {rule.id} 的合法例外无效：{exc}")
    return errors


def _rule_from(data: dict, builtin: bool) -> Rule:
    patterns = data.get("patterns")
    if patterns is None and data.get("pattern"):
        patterns = [data["pattern"]] if isinstance(data["pattern"], str) else list(data["pattern"])
    return Rule(id=data["id"], title=data.get("title") or data.get("message") or data["id"],
                group=data.get("group", "7N-2"), basis=data.get("basis", ""), severity=data.get("severity", "medium"),
                message=data.get("message", ""), suggestion=data.get("suggestion", ""),
                patterns=list(patterns or []), exceptions=list(data.get("exceptions") or []),
                lawful=list(data.get("lawful") or []), sections=list(data.get("sections") or []),
                severity_by_section=dict(data.get("severity_by_section") or {}), when=dict(data.get("when") or {}),
                check=data.get("check"), keywords=data.get("keywords") or "", params=dict(data.get("params") or {}),
                enabled=bool(data.get("enabled", True)), builtin=builtin,
                tests=dict(data.get("tests") or {}))


@lru_cache(maxsize=1)
def _builtin_data() -> dict:
    with open(DATA / "rules.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@lru_cache(maxsize=1)
def _builtin_ruleset() -> RuleSet:
    data = _builtin_data()
    macros = {k: v for k, v in data["macros"].items()}
    rules = [_rule_from(item, builtin=True) for item in data["rules"]]
    errors = [e for r in rules for e in _compile(r, macros)]
    if errors:
        raise RuleError(errors)
    return RuleSet(rules, dict(data["groups"]), macros)


def _structural_errors(override: dict, groups: dict, existing: Rule | None) -> list[str]:
    errors = []
    rid = override.get("id")
    label = f"规则 {rid}" if rid else "规则"
    if not rid or not isinstance(rid, str):
        return ["规则缺少编号 id"]
    unknown = set(override) - OVERRIDE_KEYS
    if unknown:
        errors.append(f"{label}：不认识的字段 {', '.join(sorted(unknown))}")
    if existing is None:
        if not RULE_ID.match(rid):
            errors.append(f"{label}：编号格式应为\"字母-编号\"，如 QX-40、ZJ-01")
        if not (override.get("pattern") or override.get("patterns")):
            errors.append(f"{label}：新规则必须给出正则 pattern")
        if not override.get("message"):
            errors.append(f"{label}：新规则必须给出提示信息 message")
    if "severity" in override and override["severity"] not in SEVERITIES:
        errors.append(f"{label}：严重程度只能是 high、medium、low、info，收到 {override['severity']!r}")
    if "group" in override and override["group"] not in groups:
        errors.append(f"{label}：分组 {override['group']!r} 不存在（可用：{', '.join(groups)}）")
    bad = [s for s in override.get("sections") or [] if s not in SECTION_KINDS]
    if bad:
        errors.append(f"{label}：条款位置 {', '.join(bad)} 不存在（可用：{', '.join(SECTION_KINDS)}）")
    tests = override.get("tests") or {}
    if not isinstance(tests, dict) or any(k not in ("hit", "miss") for k in tests) or not all(
            isinstance(v, list) and all(isinstance(x, str) for x in v) for v in tests.values()):
        errors.append(f"{label}：tests 应为 {{\"hit\": [文本…], \"miss\": [文本…]}}")
    if "enabled" in override and not isinstance(override["enabled"], bool):
        errors.append(f"{label}：enabled 只能是 true 或 false")
    return errors


def _apply(ruleset: RuleSet, override: dict) -> Rule:
    existing = ruleset.get(override["id"])
    if existing is None:
        return _rule_from(override, builtin=False)
    rule = copy.copy(existing)
    for key in ("enabled", "severity", "group", "basis", "message", "suggestion", "title", "sections", "tests"):
        if key in override and override[key] is not None:
            setattr(rule, key, copy.deepcopy(override[key]))
    extra = override.get("patterns") or ([override["pattern"]] if override.get("pattern") else [])
    if extra:
        rule.patterns = list(existing.patterns) + list(extra)
        rule.keywords = ""  # the pre-filter words were chosen for the built-in patterns only
    if override.get("exceptions"):
        rule.exceptions = list(existing.exceptions) + list(override["exceptions"])
    if "severity" in override:
        rule.severity_by_section = {}
    return rule


def validate_rule(override: dict, base: RuleSet | None = None) -> list[str]:
    """Chinese errors for one override (empty when it is usable): structure, bad regex, failing own tests."""
    base = base or _builtin_ruleset()
    errors = _structural_errors(override, base.groups, base.get(override.get("id") or ""))
    if errors:
        return errors
    rule = _apply(base, override)
    errors = _compile(rule, base.macros)
    if errors:
        return errors
    from .engine import check_text  # a cycle only at call time

    probe = copy.copy(rule)
    probe.enabled = True
    single = RuleSet([probe], base.groups, base.macros)
    tests = override.get("tests") if override.get("tests") is not None else rule.tests
    for text in (tests or {}).get("hit", []):
        if not any(f.rule == rule.id for f in check_text(text, {}, single)):
            errors.append(f"规则 {rule.id}：应命中的测试文本未命中：{text}")
    for text in (tests or {}).get("miss", []):
        hits = [f for f in check_text(text, {}, single) if f.rule == rule.id]
        if hits:
            errors.append(f"规则 {rule.id}：不应命中的测试文本被命中（\"{hits[0].text}\"）：{text}")
    return errors


def load_rules(overrides: list[dict] | None = None, strict: bool = True) -> RuleSet:
    """The built-in catalogue with ``overrides`` applied in order.

    An override changes a built-in rule (enable, severity, group, basis, message, suggestion, extra patterns) or
    adds a new pattern rule. With ``strict`` an unusable override raises ``RuleError``; otherwise it is skipped and
    the reasons are kept in ``ruleset.skipped``.
    """
    base = _builtin_ruleset()
    rules = {r.id: r for r in base.rules}
    order = [r.id for r in base.rules]
    skipped: list[str] = []
    for override in overrides or []:
        errors = validate_rule(override, RuleSet(list(rules.values()), base.groups, base.macros))
        if errors:
            if strict:
                raise RuleError(errors)
            skipped.extend(errors)
            continue
        rule = _apply(RuleSet(list(rules.values()), base.groups, base.macros), override)
        _compile(rule, base.macros)
        if rule.id not in rules:
            order.append(rule.id)
        rules[rule.id] = rule
    ruleset = RuleSet([rules[i] for i in order], dict(base.groups), dict(base.macros))
    ruleset.skipped = skipped
    return ruleset

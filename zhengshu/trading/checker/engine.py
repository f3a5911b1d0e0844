"""Running the catalogue over a text: pattern matches placed in their clause and sentence, lawful exceptions,
numeric comparisons against the project's facts, and the date checks."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .extract import extract_text
from .rules import RuleSet, load_rules
from .segment import OTHER, SECTION_LABELS, Section, Structure, segment
from .textutil import amounts, fact_number, fmt_yuan, normalize, parse_date, percents, to_number

SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1, "info": 0}
_BOUNDARY = re.compile(r"[。；;！？!?\n]")


@dataclass(slots=True)
class Finding:
    rule: str
    group: str
    basis: str
    severity: str
    start: int
    end: int
    text: str
    message: str
    suggestion: str = ""
    section: str = OTHER

    def as_dict(self, full: bool = True) -> dict:
        out = {"rule": self.rule, "group": self.group, "basis": self.basis, "severity": self.severity,
               "start": self.start, "end": self.end, "text": self.text, "message": self.message}
        if full:
            out["suggestion"] = self.suggestion
            out["section"] = self.section
        return out


@dataclass
class CheckResult:
    text: str
    findings: list[Finding]
    sections: list[Section]
    structure: Structure | None = field(default=None, repr=False)

    def as_dict(self) -> dict:
        return {"findings": [f.as_dict() for f in self.findings],
                "sections": [s.as_dict() for s in self.sections], "chars": len(self.text)}


# Fact values may be the Chinese terms of the issue or the trading app's codes; both are understood.
_FACT_ALIASES = {
    "regime": {"works": "工程招标", "工程": "工程招标", "procurement": "政府采购", "采购": "政府采购"},
    "kind": {"construction": "工程施工", "施工": "工程施工", "goods": "货物", "services": "服务", "service": "服务",
             "design": "勘察设计监理"},
    "method": {"open": "公开招标", "invited": "邀请招标", "consultation": "竞争性磋商", "negotiation": "竞争性谈判",
               "inquiry": "询价", "single": "单一来源", "direct": "直接发包"},
}


def normalize_facts(facts: dict | None) -> dict:
    """The facts with codes (``works``, ``goods``, ``open`` …) turned into the Chinese terms the rules use."""
    out = dict(facts or {})
    for key, aliases in _FACT_ALIASES.items():
        value = out.get(key)
        if isinstance(value, str):
            out[key] = aliases.get(value.strip(), value.strip())
    return out


class _Context:
    """What the checks of one text share: the text, its normalised copy, structure, sentences, facts."""

    def __init__(self, text: str, facts: dict | None):
        self.text = text
        self.norm = normalize(text)
        self.structure = segment(self.norm)
        self.bounds = [m.start() for m in _BOUNDARY.finditer(self.norm)]
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.norm)]
        self.facts = normalize_facts(facts)

    def sentence(self, start: int, end: int | None = None) -> tuple[int, int]:
        """The sentence holding ``start``: from after the previous 。；！？ or line break to the next one."""
        i = bisect_left(self.bounds, start)
        s = self.bounds[i - 1] + 1 if i > 0 else 0
        e = self.bounds[i] if i < len(self.bounds) else len(self.norm)
        return s, e

    def lines_with(self, regex: re.Pattern) -> list[tuple[int, int]]:
        """The (start, end) of every line holding a match of ``regex``, in order."""
        starts, norm = self.line_starts, self.norm
        out, last = [], -1
        for m in regex.finditer(norm):
            if m.start() <= last:
                continue
            i = bisect_right(starts, m.start()) - 1
            end = norm.find("\n", m.start())
            last = end if end >= 0 else len(norm)
            out.append((starts[i], last))
        return out

    def section_of(self, pos: int) -> str:
        clause = self.structure.clause_at(pos)
        return clause.kind if clause else OTHER


# ---------------------------------------------------------------- numeric checks
# A check gets the match, its sentence and the facts; it returns None (no finding), or (severity, message).


def _estimate(facts: dict) -> tuple[float | None, str]:
    if facts.get("regime") == "政府采购":
        value = fact_number(facts, "budget_yuan", "estimated_price_yuan")
        return value, "预算金额"
    return fact_number(facts, "estimated_price_yuan", "budget_yuan"), "估算价"


def _pattern_index(match: re.Match, rule) -> int:
    """Which of the rule's patterns matched (numeric checks treat the amount pattern, the first, apart)."""
    for i, regex in enumerate(rule.compiled):
        if regex is match.re:
            return i
    return -1


def _against_estimate(what: str, amount: float, cap: float, facts: dict) -> tuple[str, str] | None:
    """An amount stated in the document against the project's estimate (budget): over ``cap`` is high; without
    the estimate it is a hint only."""
    estimate, label = _estimate(facts)
    if not estimate:
        return "info", f"{what}{fmt_yuan(amount)}：未提供项目{label}，无法核对是否超过{cap:.0%}"
    ratio = amount / estimate
    if ratio > cap + 1e-9:
        return "high", f"{what}{fmt_yuan(amount)}，为{label}{fmt_yuan(estimate)}的{ratio:.2%}，超过{cap:.0%}"
    return None


def check_bid_bond(match: re.Match, sentence: str, sent_start: int, facts: dict, rule) -> tuple[str, str] | None:
    if _pattern_index(match, rule) != 0:
        return "high", rule.message  # the form and refund patterns are violations by themselves
    local = match.start() - sent_start
    tail = sentence[local:]
    pcts = percents(tail)
    if pcts:
        pct = pcts[0][0]
        return ("high", f"投标保证金为{pct:g}%，超过法定上限2%") if pct > 2 else None
    found = amounts(tail)
    return _against_estimate("投标保证金", found[0][0], 0.02, facts) if found else None


def check_performance_bond(match, sentence, sent_start, facts, rule):
    if _pattern_index(match, rule) not in (0, 1):
        return "high", "履约保证金限定现金（转账）形式"
    local = match.start() - sent_start
    window = sentence[max(0, local - 12):]
    pcts = [p for p in percents(window)]
    if pcts:
        pct = max(p[0] for p in pcts)
        return ("high", f"履约保证金为{pct:g}%，超过中标合同金额的10%") if pct > 10 else None
    found = amounts(sentence[local:])
    return _against_estimate("履约保证金", found[0][0], 0.10, facts) if found else None


_PERSONS = re.compile(r"从业人员|员工|职工|在职人员|在册人员")
_ALWAYS_SCALE = re.compile(r"从业人员|员工|职工|在职人员|在册人员|纳税|缴税|利润|年产值|产值")


def check_scale(match, sentence, sent_start, facts, rule):
    text = match.group(0)
    if facts.get("regime") == "政府采购":
        return "high", "政府采购不得以注册资本、资产总额、营业收入、从业人员、利润、纳税额等规模条件作为资格要求或评审因素"
    if _ALWAYS_SCALE.search(text):
        return "high", "以从业人员、纳税额、利润、产值等规模条件限制投标，与项目实际需要无关"
    if "分" in text[-3:]:
        return "high", "以注册资本、营业收入等规模条件作为加分因素"
    estimate, label = _estimate(facts)
    found = amounts(text)
    if not found:
        return "medium", rule.message + "，需结合项目规模复核"
    threshold = max(a for a, _, _ in found)
    if estimate:
        if threshold > estimate * 0.5:
            return "high", f"规模门槛{fmt_yuan(threshold)}超过{label}{fmt_yuan(estimate)}的一半，明显超出项目需要"
        return None
    return "medium", f"规模门槛{fmt_yuan(threshold)}：未提供{label}，需复核是否超出项目实际需要"


_COUNT = re.compile(r"(?:不少于|至少|≥|>=|不低于)?\s*(\d+|[一二两三四五六七八九十])\s*(?:个|项|份|家)")


def check_experience(match, sentence, sent_start, facts, rule):
    text = match.group(0)
    window = re.match(r"近\s*(1|一|一个|2|二|两)\s*年", text)
    if window:
        return "medium", f"业绩时间窗口只有近{window.group(1)}年，短于3年，过窄"
    found = amounts(text)
    if not found:
        m = _COUNT.search(text)
        n = to_number(m.group(1)) if m else None
        if n is not None and n >= 3:
            return "medium", f"要求类似业绩{n:g}项，数量偏多，需说明必要性"
        return None
    threshold = max(a for a, _, _ in found)
    estimate, label = _estimate(facts)
    if estimate:
        if threshold > estimate:
            return "high", f"业绩金额门槛{fmt_yuan(threshold)}高于本项目{label}{fmt_yuan(estimate)}"
        if threshold > estimate * 0.8:
            return "medium", f"业绩金额门槛{fmt_yuan(threshold)}超过本项目{label}{fmt_yuan(estimate)}的80%，需复核"
        m = _COUNT.search(sentence[match.end() - sent_start:]) or _COUNT.search(text)
        n = to_number(m.group(1)) if m else None
        if n is not None and n >= 3:
            return "medium", f"要求类似业绩{n:g}项，数量偏多，需说明必要性"
        return None
    return "info", f"业绩金额门槛{fmt_yuan(threshold)}：未提供{label}，无法核对是否超出项目规模"


def check_grade(match, sentence, sent_start, facts, rule):
    estimate, label = _estimate(facts)
    if estimate is None:
        return "info", "要求特级/一级（甲级）资质或一级建造师：未提供估算价，需复核是否与项目规模相适应"
    if estimate < 10_000_000:
        return "medium", f"本项目{label}仅{fmt_yuan(estimate)}，要求特级/一级（甲级）资质或一级建造师明显高于规模需要"
    return None


def check_price_weight(match, sentence, sent_start, facts, rule):
    if facts.get("regime") != "政府采购":
        return None
    kind = facts.get("kind") or ""
    floor = 30 if "货物" in kind else 10 if "服务" in kind else None
    if floor is None:
        return None
    text = match.group(0)
    nums = re.findall(r"(\d+(?:\.\d+)?)\s*(?:分|%)", text) or re.findall(r"[×xX*]\s*(\d+(?:\.\d+)?)", text)
    if not nums:
        return None
    weight = float(nums[0])
    if weight < floor:
        return "high", f"{kind}项目价格分为{weight:g}（满分100计），低于法定下限{floor}%"
    return None


_DAYS = re.compile(r"(\d+|[一二两三四五六七八九十]+)\s*(个工作日|个自然日|日历天|工作日|个月|月|日|天)")


def check_days(match, sentence, sent_start, facts, rule):
    """A time limit stated in the document against ``params``: ``max_days`` (refund, contract) or ``min_days``
    (publicity)."""
    m = _DAYS.search(match.group(0))
    if not m:
        return None
    days = to_number(m.group(1))
    if days is None:
        return None
    unit = "个工作日" if "工作日" in m.group(2) else "日"
    if "月" in m.group(2):
        days, unit = days * 30, "日（按每月30日计）"
    span = days
    if unit == "个工作日" and days >= 1:  # n working days run over at least n + 2 per full week calendar days
        span = days + 2 * ((int(days) - 1) // 5)
        unit = f"个工作日（至少{span:g}日）" if span > days else unit
    if "max_days" in rule.params and span > rule.params["max_days"]:
        return rule.severity, f"{rule.message}：文件规定{days:g}{unit}，法定不超过{rule.params['max_days']}日"
    if "min_days" in rule.params and days < rule.params["min_days"]:
        return rule.severity, f"{rule.message}：文件规定{days:g}{unit}，法定不少于{rule.params['min_days']}日"
    return None


def check_percent(match, sentence, sent_start, facts, rule):
    """A percentage in the match above ``params.max_pct``."""
    found = percents(match.group(0))
    if not found:
        return None
    pct = max(p for p, _, _ in found)
    if pct > rule.params.get("max_pct", 100):
        return rule.severity, f"{rule.message}：文件规定{pct:g}%，上限{rule.params['max_pct']:g}%"
    return None


CHECKS = {"days": check_days, "percent_max": check_percent, "bid_bond": check_bid_bond,
          "performance_bond": check_performance_bond, "scale_vs_estimate": check_scale,
          "experience_vs_estimate": check_experience, "grade_vs_estimate": check_grade,
          "price_weight": check_price_weight}


# ---------------------------------------------------------------- date checks (facts, located in the text)

_DEADLINE_WORDS = re.compile(r"投标截止(?:时间|日期)?|响应文件(?:提交)?截止(?:时间)?|递交(?:投标|响应)文件(?:的)?截止(?:时间)?|开标时间")
_ISSUE_WORDS = re.compile(r"(?:获取|发售|发出|下载)(?:招标|采购)?文件(?:的)?(?:时间|期限|日期)|招标文件(?:发出|发售|获取)(?:时间|期)")
_CLAR_WORDS = re.compile(r"澄清|修改|补遗|答疑")


def _dated_mention(ctx: _Context, words: re.Pattern) -> tuple[re.Match | None, dt.date | None]:
    """The first mention of ``words`` followed by a date in the same sentence (within 40 characters), else the
    first mention."""
    first = None
    for m in words.finditer(ctx.norm):
        first = first or m
        window = re.split(r"[\n。；;]", ctx.norm[m.end():m.end() + 40], maxsplit=1)[0]
        day = parse_date(window)
        if day:
            return m, day
    return first, None


def _locate(ctx: _Context, words: re.Pattern) -> tuple[int, int]:
    m, _ = _dated_mention(ctx, words)
    if not m:
        return 0, 0
    s, e = ctx.sentence(m.start())
    line_end = ctx.norm.find("\n", m.start())
    e = min(e, line_end if line_end >= 0 else len(ctx.norm))
    return m.start(), max(m.end(), e)


def _text_date(ctx: _Context, words: re.Pattern) -> dt.date | None:
    return _dated_mention(ctx, words)[1]


def check_deadlines(ctx: _Context, rule) -> list[tuple[int, int, str, str]]:
    facts = ctx.facts
    out = []
    method = facts.get("method") or ""
    if method and not re.search(r"招标", method):
        return out  # 竞争性磋商/谈判、询价等另有时限，不按招标的20日计
    issue = parse_date(facts.get("doc_issue_date")) or _text_date(ctx, _ISSUE_WORDS)
    deadline = parse_date(facts.get("bid_deadline")) or _text_date(ctx, _DEADLINE_WORDS)
    if issue and deadline:
        days = (deadline - issue).days
        if days < 20:
            s, e = _locate(ctx, _DEADLINE_WORDS)
            # 《招标投标法》第24条 binds 依法必须招标 works; a works tender known to be below the threshold is told so
            optional = facts.get("regime") == "工程招标" and facts.get("must_tender") is False
            out.append((s, e, "low" if optional else "high",
                        f"招标文件{issue:%Y-%m-%d}发出，投标截止{deadline:%Y-%m-%d}，仅{days}日，"
                        + ("本项目非依法必须招标，20日为参照要求" if optional else "少于法定20日")))
    clar = parse_date(facts.get("clarification_date"))
    affects = facts.get("clarification_affects_preparation")
    if clar and deadline and affects is not False:
        days = (deadline - clar).days
        if days < 15:
            original = parse_date(facts.get("original_bid_deadline"))
            extended = f"（原截止{original:%Y-%m-%d}，顺延后仍不足）" if original and original != deadline else "，且未顺延投标截止时间"
            s, e = _locate(ctx, _CLAR_WORDS) if _CLAR_WORDS.search(ctx.norm) else _locate(ctx, _DEADLINE_WORDS)
            sev = "high" if affects else "medium"
            note = "" if affects else "（未说明是否影响投标文件编制，需复核）"
            out.append((s, e, sev, f"澄清或修改于{clar:%Y-%m-%d}发出，距投标截止{deadline:%Y-%m-%d}仅{days}日，"
                                   f"少于15日{extended}{note}"))
    return out


FACT_CHECKS = {"deadlines": check_deadlines}


# ---------------------------------------------------------------- the run

def _lawful(rule, sentence: str, facts: dict) -> bool:
    for item, regex in rule.compiled_lawful:
        if "fact" in item and facts.get(item["fact"]) != item.get("equals", True):
            continue
        if regex.search(sentence):
            return True
    return False


def _run(ctx: _Context, rules: RuleSet) -> list[Finding]:
    findings: list[Finding] = []
    text, norm, facts = ctx.text, ctx.norm, ctx.facts
    for rule in rules:
        if not rule.enabled or not rule.applies_to(facts):
            continue
        if rule.check in FACT_CHECKS:
            for s, e, severity, message in FACT_CHECKS[rule.check](ctx, rule):
                findings.append(Finding(rule.id, rule.group, rule.basis, severity, s, e, text[s:e], message,
                                        rule.suggestion, ctx.section_of(s) if e > s else OTHER))
        seen: set[tuple[int, int]] = set()
        check = CHECKS.get(rule.check) if rule.check else None
        spans = ctx.lines_with(rule.compiled_keywords) if rule.compiled_keywords is not None else [(0, len(norm))]
        for regex in rule.compiled:
            for m in (m for s, e in spans for m in regex.finditer(norm, s, e)):
                if m.end() == m.start():
                    continue
                sent = ctx.sentence(m.start(), m.end())
                if sent in seen:
                    continue
                section = ctx.section_of(m.start())
                if rule.sections and section != OTHER and section not in rule.sections:
                    continue
                sentence = norm[sent[0]:sent[1]]
                if rule.compiled_exceptions is not None and rule.compiled_exceptions.search(sentence):
                    continue
                if rule.compiled_lawful and _lawful(rule, sentence, facts):
                    continue
                severity = rule.severity_by_section.get(section, rule.severity)
                message = rule.message
                if check is not None:
                    verdict = check(m, sentence, sent[0], facts, rule)
                    if verdict is None:
                        continue
                    severity, message = verdict
                    if severity != "info" and rule.severity_by_section.get(section):
                        severity = rule.severity_by_section[section]
                seen.add(sent)
                findings.append(Finding(rule.id, rule.group, rule.basis, severity, m.start(), m.end(),
                                        text[m.start():m.end()], message, rule.suggestion, section))
    findings.sort(key=lambda f: (f.start, -SEVERITY_RANK[f.severity], f.rule))
    return findings


def check_text(text: str, facts: dict | None = None, rules: RuleSet | None = None) -> list[Finding]:
    """Findings for ``text`` (offsets into ``text``) given the project's ``facts``."""
    return _run(_Context(text, facts), rules if rules is not None else load_rules())


def check_document(path_or_bytes, filename: str = "", facts: dict | None = None,
                   rules: RuleSet | None = None) -> CheckResult:
    """Extract the text of a docx / PDF / HTML / plain-text document, segment it and run the catalogue."""
    text = extract_text(path_or_bytes, filename)
    ctx = _Context(text, facts)
    findings = _run(ctx, rules if rules is not None else load_rules())
    return CheckResult(text, findings, ctx.structure.sections, ctx.structure)


def section_label(kind: str) -> str:
    return SECTION_LABELS.get(kind, kind)

"""Recall and false-positive rate of the catalogue on a labelled clause set (JSON lines).

A line is ``{"text", "label": "violate"|"comply", "project": {facts}}`` and may name the rule (``"rule"``) or the
group (``"group"``) it is about. A clause counts as flagged when the run gives at least one finding of severity
high, medium or low ("info" findings are hints that need facts the clause did not have).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .engine import check_text
from .rules import RuleSet, load_rules

FLAGGING = ("high", "medium", "low")
UNLABELLED = "（未标注）"


class DatasetError(ValueError):
    pass


@dataclass
class Tally:
    violate: int = 0
    detected: int = 0
    rule_matched: int = 0
    comply: int = 0
    false_positive: int = 0

    @property
    def recall(self) -> float | None:
        return self.detected / self.violate if self.violate else None

    @property
    def fpr(self) -> float | None:
        return self.false_positive / self.comply if self.comply else None

    @property
    def rule_recall(self) -> float | None:
        return self.rule_matched / self.violate if self.violate else None

    def as_dict(self) -> dict:
        r = lambda v: None if v is None else round(v, 4)  # noqa: E731
        return {"violate": self.violate, "detected": self.detected, "recall": r(self.recall),
                "rule_matched": self.rule_matched, "rule_recall": r(self.rule_recall),
                "comply": self.comply, "false_positive": self.false_positive, "fpr": r(self.fpr)}


@dataclass
class Evaluation:
    total: Tally
    groups: dict[str, Tally]
    group_names: dict[str, str]
    misses: list[dict] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)

    def as_dict(self, details: bool = False) -> dict:
        out = {"lines": self.total.violate + self.total.comply, **self.total.as_dict(),
               "groups": {g: {"name": self.group_names.get(g, g), **t.as_dict()} for g, t in sorted(self.groups.items())}}
        if details:
            out["misses"] = self.misses
            out["false_positives"] = self.false_positives
        return out

    def table(self) -> str:
        def pct(v):
            return "—" if v is None else f"{v:.1%}"

        rows = [("分组", "名称", "违规条款", "检出", "召回率", "合规条款", "误报", "误报率")]
        for g, t in sorted(self.groups.items()):
            name = self.group_names.get(g, "")
            rows.append((g, name[:18], str(t.violate), str(t.detected), pct(t.recall), str(t.comply),
                         str(t.false_positive), pct(t.fpr)))
        t = self.total
        rows.append(("合计", "", str(t.violate), str(t.detected), pct(t.recall), str(t.comply), str(t.false_positive),
                     pct(t.fpr)))
        lines = []
        for row in rows:
            lines.append("  ".join(row))
        lines.append(f"按规则编号命中（违规条款被标注的那条规则检出）：{t.rule_matched}/{t.violate}（{pct(t.rule_recall)}）")
        return "\n".join(lines)


def read_lines(path: str | Path) -> list[dict]:
    out = []
    with open(path, encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DatasetError(f"{path} 第{n}行：不是有效的 JSON（{exc.msg}，第{exc.colno}列）") from None
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise DatasetError(f"{path} 第{n}行：缺少字符串字段 text")
            if "label" in item and item["label"] not in ("violate", "comply"):
                raise DatasetError(f"{path} 第{n}行：label 只能是 violate 或 comply，收到 {item['label']!r}")
            project = item.get("project")
            if project is not None and not isinstance(project, dict):
                raise DatasetError(f"{path} 第{n}行：project 应为对象（项目事实）")
            item["_line"] = n
            out.append(item)
    return out


def evaluate(items: list[dict], rules: RuleSet | None = None) -> Evaluation:
    rules = rules if rules is not None else load_rules()
    total = Tally()
    groups: dict[str, Tally] = {}
    ev = Evaluation(total, groups, dict(rules.groups))
    for item in items:
        if "label" not in item:
            raise DatasetError(f"第{item.get('_line', '?')}行：评估数据缺少 label")
        findings = [f for f in check_text(item["text"], item.get("project") or {}, rules) if f.severity in FLAGGING]
        rule_id = item.get("rule")
        group = item.get("group") or (rules.get(rule_id).group if rule_id and rules.get(rule_id) else UNLABELLED)
        tally = groups.setdefault(group, Tally())
        brief = {"line": item.get("_line"), "rule": rule_id, "text": item["text"],
                 "findings": [f"{f.rule}:{f.text}" for f in findings]}
        for t in (total, tally):
            if item["label"] == "violate":
                t.violate += 1
                t.detected += bool(findings)
                t.rule_matched += any(f.rule == rule_id for f in findings)
            else:
                t.comply += 1
                t.false_positive += bool(findings)
        if item["label"] == "violate" and not findings:
            ev.misses.append(brief)
        elif item["label"] == "comply" and findings:
            ev.false_positives.append(brief)
    return ev

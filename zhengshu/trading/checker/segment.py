"""Chapters, numbered clauses and the part of the document each clause sits in.

Headings are recognised at the start of a line: 第X章/第X部分/第X篇 (level 0), 第X节 (1), 一、 (2), （一） (3),
1. / 1、 (4), 1.1 (5), 1.1.1 (6) …, （1） (10), ① (11). A heading's title decides the kind of its subtree, the
nearest heading with a known kind wins.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

QUALIFICATION, SCORING, REJECTION, PERFORMANCE, TECHNICAL, OTHER = (
    "qualification", "scoring", "rejection", "performance", "technical", "other")
SECTION_KINDS = (QUALIFICATION, SCORING, REJECTION, PERFORMANCE, TECHNICAL, OTHER)
SECTION_LABELS = {QUALIFICATION: "资格要求", SCORING: "评分标准", REJECTION: "否决/无效投标条件",
                  PERFORMANCE: "合同与履约条款", TECHNICAL: "技术与需求", OTHER: "其他"}

# Order matters: the first kind whose words appear in a heading's title wins.
_KIND_WORDS = [
    (REJECTION, r"否决投标|否决其投标|无效投标|投标无效|无效标|废标|响应无效|无效响应|拒收"),
    (QUALIFICATION, r"资格要求|资格条件|资格审查|资格预审|投标人资格|供应商资格|申请人资格|合格投标人|合格供应商|"
                    r"资格标准|资质要求|资格证明|投标人应具备|供应商应具备"),
    (SCORING, r"评分|评标办法|评标标准|评审因素|评审标准|评审办法|评标方法|详细评审|综合评估|评定办法|分值|计分"),
    (PERFORMANCE, r"合同条款|合同主要条款|合同条件|合同专用|合同通用|合同格式|合同文本|合同协议|履约|付款|支付方式|"
                  r"验收|质量保修|售后服务|违约责任|结算|工期要求|交货期"),
    (TECHNICAL, r"技术要求|技术参数|技术规格|技术标准|采购需求|需求书|货物需求|服务需求|服务要求|工程量清单|"
                r"设计要求|建设内容|招标范围|采购内容"),
]
_KIND_RES = [(kind, re.compile(words)) for kind, words in _KIND_WORDS]

_CN = "一二三四五六七八九十百零〇两"
_HEADINGS = [
    (0, re.compile(rf"^\s*(第[{_CN}\d]+[章部篇卷](?:分)?)\s*")),
    (1, re.compile(rf"^\s*(第[{_CN}\d]+节)\s*")),
    (2, re.compile(rf"^\s*([{_CN}]+[、．.])\s*")),
    (3, re.compile(rf"^\s*([（(][{_CN}]+[）)])\s*")),
    (5, re.compile(r"^\s*(\d{1,3}(?:[.．]\d{1,3})+)[.．、]?(?=\s|[^\d.．])\s*")),
    (4, re.compile(r"^\s*(\d{1,3}[、.．])(?!\d)\s*")),
    (10, re.compile(r"^\s*([（(]\d{1,3}[）)])\s*")),
    (11, re.compile(r"^\s*([①-⑳])\s*")),
]
_TITLE_END = re.compile(r"[：:。；;，,\t]")


@dataclass(slots=True)
class Section:
    """A heading and the span it governs."""
    number: str
    title: str
    level: int
    kind: str
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"number": self.number, "title": self.title, "level": self.level, "kind": self.kind,
                "start": self.start, "end": self.end}


@dataclass(slots=True)
class Clause:
    """One line of the document (a paragraph, or a table row) with its place in the structure."""
    start: int
    end: int
    number: str
    kind: str
    heading: int | None = None  # index into the section list when the line is a heading
    path: tuple[int, ...] = field(default=())

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "number": self.number, "kind": self.kind}


_MODAL = re.compile(r"须|应当|不得|必须|方可|否则")


def classify_title(title: str) -> str | None:
    """The kind a heading title names, or None; a sentence-like title (须, 不得 …) names none."""
    if len(title) > 20 or _MODAL.search(title):
        return None
    for kind, regex in _KIND_RES:
        if regex.search(title):
            return kind
    return None


def _heading(line: str) -> tuple[int, str, str] | None:
    for level, regex in _HEADINGS:
        m = regex.match(line)
        if m:
            number = m.group(1)
            if level == 5:
                level = 4 + number.count(".") + number.count("．")
            rest = line[m.end():]
            title = _TITLE_END.split(rest, 1)[0].strip()
            if level <= 1:
                title = rest.strip()[:40]
            return level, number.strip(), title[:40]
    return None


@dataclass
class Structure:
    sections: list[Section]
    clauses: list[Clause]
    _starts: list[int] = field(default_factory=list, repr=False)

    def clause_at(self, pos: int) -> Clause | None:
        if not self._starts:
            self._starts = [c.start for c in self.clauses]
        i = bisect_right(self._starts, pos) - 1
        return self.clauses[i] if i >= 0 else None


def segment(text: str) -> Structure:
    sections: list[Section] = []
    clauses: list[Clause] = []
    stack: list[int] = []  # indexes into sections
    pos = 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if not line.strip():
            continue
        found = _heading(line) if "\t" not in line[:12] else None
        heading_index = None
        number = ""
        if found:
            level, number, title = found
            while stack and sections[stack[-1]].level >= level:
                sections[stack.pop()].end = start
            own = classify_title(title)
            inherited = next((sections[i].kind for i in reversed(stack) if sections[i].kind != OTHER), OTHER)
            sections.append(Section(number, title, level, own or inherited, start, len(text)))
            heading_index = len(sections) - 1
            stack.append(heading_index)
            kind = sections[heading_index].kind
        else:
            kind = next((sections[i].kind for i in reversed(stack) if sections[i].kind != OTHER), OTHER)
        clauses.append(Clause(start, end, number, kind, heading_index, tuple(stack)))
    for i in stack:
        sections[i].end = len(text)
    return Structure(sections, clauses)

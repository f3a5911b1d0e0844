"""Evaluation of the retrieval on a labelled set, and the plain baseline it is compared with.

A labelled line is ``{"question": …, "targets": [实施编码…]}`` (empty targets = no answer); the shipped set
``data/questions.jsonl`` names its targets by item name instead (``"target_names"``, resolved to every public
item of that name, since codes differ between installations) and marks a ``"split"`` (train / holdout).

Metrics over the answerable questions: Hit@1, Hit@3 (a target among the first 1 / 3 answers of the ranking),
MRR@10; ``refused_answerable`` = share of answerable questions the assistant called "no answer". Over the
no-answer questions: ``no_answer_recognised`` = share called "no answer".
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import rjieba

from zhengshu.assistant.engine import Bm25Index, Knowledge
from zhengshu.assistant.text import normalize

SHIPPED = Path(__file__).resolve().parent / "data" / "questions.jsonl"


@dataclass
class Labelled:
    question: str
    targets: set[str]
    split: str = ""
    line: int = 0


class LabelError(ValueError):
    """A labelled question file that cannot be read; the message names the line."""


def read_labelled(path: Path, *, split: str | None = None) -> list[Labelled]:
    from zhengshu.assistant.demo import codes_for_names

    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelError(f"{Path(path).name} 第 {number} 行不是合法的 JSON：{exc.msg}") from None
        if not isinstance(data, dict) or not isinstance(data.get("question"), str):
            raise LabelError(f"{Path(path).name} 第 {number} 行缺少字符串字段 question")
        targets = {str(c).strip().upper() for c in data.get("targets") or []}
        names = data.get("target_names") or []
        if names:
            resolved = codes_for_names(names)
            if not resolved:
                raise LabelError(f"{Path(path).name} 第 {number} 行：目录中没有名为“{'、'.join(names)}”的公开事项")
            targets |= set(resolved)
        if split and data.get("split", "") != split:
            continue
        rows.append(Labelled(data["question"], targets, data.get("split", ""), number))
    return rows


class NameBaseline:
    """Plain BM25 over item names: rjieba words, no aliases, no n-grams, no other fields, no re-ranking."""

    def __init__(self, items: list[tuple[str, str]]):
        self.index = Bm25Index()
        self.names: dict[int, tuple[str, str]] = {}
        from zhengshu.assistant.engine import FIELDS

        FIELDS.setdefault("baseline", (1.0, 0.75))
        docs = [(i + 1, code, name, ["w:" + w for w in rjieba.cut_for_search(normalize(name)) if w.strip()])
                for i, (code, name) in enumerate(items)]
        total = sum(len(d[3]) for d in docs)
        self.index.avg = {"baseline": max(1.0, total / max(1, len(docs)))}
        for key, code, name, tokens in docs:
            self.names[key] = (code, name)
            self.index.add(key, {"baseline": tuple(tokens)})

    def ranking(self, question: str, k: int = 10) -> tuple[list[str], bool]:
        words = {"w:" + w: 1.0 for w in rjieba.cut_for_search(normalize(question)) if w.strip()}
        ranked = self.index.search(words, k)
        return [self.names[key][0] for key, _s in ranked], not ranked


def assistant_ranking(kb: Knowledge, question: str, k: int = 10) -> tuple[list[str], bool]:
    from zhengshu.assistant.ask import check_input

    if check_input(question) is not None:
        return [], True
    result = kb.search(question, limit=k)
    return [h.item.code for h in result.hits], result.no_answer


def score(rows: list[Labelled], rank) -> dict:
    """Metrics of ``rank(question) -> (codes, no_answer)`` on ``rows``; plus per-question latency."""
    answerable = [r for r in rows if r.targets]
    unanswerable = [r for r in rows if not r.targets]
    hit1 = hit3 = rr = refused = recognised = 0.0
    misses, latencies = [], []
    for row in rows:
        started = time.perf_counter()
        codes, no_answer = rank(row.question)
        latencies.append(time.perf_counter() - started)
        if row.targets:
            # A refused question is no hit, even if its "您是不是想问" list held the target.
            position = None if no_answer else next((i for i, c in enumerate(codes[:10]) if c in row.targets), None)
            hit1 += position == 0
            hit3 += position is not None and position < 3
            rr += 1 / (position + 1) if position is not None else 0
            refused += no_answer
            if position is None or position >= 3 or no_answer:
                misses.append({"line": row.line, "question": row.question, "position": position,
                               "refused": no_answer})
        else:
            recognised += no_answer
            if not no_answer:
                misses.append({"line": row.line, "question": row.question, "answered": codes[:1]})
    n, m = max(1, len(answerable)), max(1, len(unanswerable))
    latencies.sort()
    return {
        "questions": len(rows), "answerable": len(answerable), "no_answer_questions": len(unanswerable),
        "hit_at_1": round(hit1 / n, 4), "hit_at_3": round(hit3 / n, 4), "mrr_at_10": round(rr / n, 4),
        "no_answer_recognised": round(recognised / m, 4) if unanswerable else None,
        "refused_answerable": round(refused / n, 4),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 2) if latencies else 0.0,
        "misses": misses,
    }


def evaluate(path: Path, *, split: str | None = None, baseline: bool = False) -> dict:
    from zhengshu.assistant.engine import knowledge
    from zhengshu.govservices.selectors import published_items

    rows = read_labelled(path, split=split)
    kb = knowledge()
    result = {"file": str(path), "split": split or "all", "assistant": score(rows, lambda q: assistant_ranking(kb, q))}
    if baseline:
        base = NameBaseline(list(published_items().values_list("implementation_code", "name")))
        result["baseline"] = score(rows, base.ranking)
    return result

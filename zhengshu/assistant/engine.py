"""Retrieval for the Q&A assistant: BM25F over weighted fields of the published item guides and the curated
FAQ entries, with words (rjieba) and character bigrams, alias expansion and a structural re-ranking.

The index lives in the process (``knowledge()``) and follows the catalogue: before each question a cheap
fingerprint of the catalogue and the curated tables is read; when it changed, only the items whose version
in force changed are re-indexed (and the FAQ documents, a few hundred, are rebuilt). An import through
``zhengshu services import-items`` is therefore searchable at the next question, in any process.

Scoring (ADR 0013): score(q, d) = Σ_t qw(t) · idf(t) · tf'(t, d) / (k1 + tf'(t, d)), where
tf'(t, d) = Σ_f w_f · tf_f(t, d) / (1 − b_f + b_f · len_f(d) / avglen_f) (BM25F with per-field weights).
Confidence = the idf-weighted share of the question's tokens the best document contains; a question is
"no answer" when confidence < ``MIN_CONFIDENCE`` or score < ``MIN_SCORE``.
"""

from __future__ import annotations

import heapq
import math
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

from zhengshu.assistant.text import field_tokens, normalize, query_tokens

K1 = 1.2
# field → (weight, length normalisation b)
FIELDS: dict[str, tuple[float, float]] = {
    "name": (6.0, 0.5),
    "keywords": (5.0, 0.3),
    "curated": (4.0, 0.3),
    "result": (1.5, 0.5),
    "faq": (1.0, 0.75),
    "materials": (1.2, 0.75),
    "conditions": (0.5, 0.75),
    "department": (0.6, 0.5),
    "answer": (0.6, 0.75),
}
MIN_CONFIDENCE = 0.2
MIN_SCORE = 2.0
MAX_QUESTION = 300  # characters used for retrieval; longer questions are cut (the log keeps 500)
MAX_ALTERNATIVES = 4
RARE_SHARE = 0.05  # tokens in at most 5% of the documents (and at least RARE_MIN) give the candidates
RARE_MIN = 200

# Words that tell one variant of an item from another (设立/变更/注销 …); used by the re-ranking.
ACTIONS = ("设立", "新办", "变更", "注销", "延续", "补领", "补证", "补换", "换领", "换证", "挂失", "迁入", "迁移",
           "转移", "提取", "贷款", "首次", "抵押", "预告", "更正", "查询", "备案", "认定", "审验", "复审", "核准",
           "预售", "购房", "租房", "离婚", "结婚", "成立", "异地", "参保", "退休", "待遇", "死亡", "出生", "延期")

# What the question asks about → the part of the card to put first.
INTENTS: dict[str, tuple[str, ...]] = {
    "materials": ("材料", "带什么", "带啥", "要什么", "准备什么", "证件", "资料", "复印件", "原件"),
    "time": ("多久", "几天", "多长时间", "时限", "多少天", "什么时候能", "要等"),
    "fee": ("多少钱", "收费", "费用", "要钱", "免费", "交钱", "花钱"),
    "place": ("在哪", "哪里办", "地址", "地点", "窗口", "去哪"),
    "online": ("网上", "在线", "手机", "浙里办", "不用跑", "线上"),
    "conditions": ("条件", "能不能办", "符合", "资格", "够不够"),
}


class Bm25Index:
    """A BM25F index that can add and remove single documents (keys: int)."""

    def __init__(self, avg: dict[str, float] | None = None):
        self.postings: dict[str, dict[int, float]] = defaultdict(dict)
        self.doc_terms: dict[int, tuple[str, ...]] = {}
        self.avg = dict(avg or {})

    def __len__(self) -> int:
        return len(self.doc_terms)

    def add(self, key: int, fields: dict[str, tuple[str, ...]]) -> None:
        if key in self.doc_terms:
            self.remove(key)
        weighted: dict[str, float] = defaultdict(float)
        for name, tokens in fields.items():
            if not tokens:
                continue
            weight, b = FIELDS[name]
            avg = self.avg.get(name) or len(tokens)
            factor = weight / (1 - b + b * len(tokens) / avg)
            for token, count in Counter(tokens).items():
                weighted[token] += factor * count
        postings = self.postings
        for token, tf in weighted.items():
            postings[token][key] = tf / (K1 + tf)
        self.doc_terms[key] = tuple(weighted)

    def remove(self, key: int) -> None:
        for token in self.doc_terms.pop(key, ()):
            posting = self.postings.get(token)
            if posting is not None:
                posting.pop(key, None)
                if not posting:
                    del self.postings[token]

    def idf(self, token: str) -> float:
        df = len(self.postings.get(token, ()))
        n = len(self.doc_terms)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def search(self, weights: dict[str, float], k: int) -> list[tuple[int, float]]:
        """Top ``k`` (key, score). Tokens in at most ``RARE_SHARE`` of the documents are scored over their whole
        posting lists and give the candidates; commoner tokens only add to those candidates (a document that
        shares nothing but common tokens with the question cannot reach the top). Without any rare token every
        token is scored in full."""
        n = len(self.doc_terms)
        limit = max(RARE_MIN, int(n * RARE_SHARE))
        present = [(token, qw, posting) for token, qw in weights.items() if (posting := self.postings.get(token))]
        rare = [t for t in present if len(t[2]) <= limit]
        common = [t for t in present if len(t[2]) > limit] if rare else []
        acc: dict[int, float] = defaultdict(float)
        for token, qw, posting in (rare or present):
            w = qw * self.idf(token)
            for key, sat in posting.items():
                acc[key] += w * sat
        for token, qw, posting in common:
            w = qw * self.idf(token)
            get = posting.get
            for key in acc:
                sat = get(key)
                if sat is not None:
                    acc[key] += w * sat
        return heapq.nlargest(k, acc.items(), key=itemgetter(1))

    def coverage(self, weights: dict[str, float], key: int) -> float:
        """idf-weighted share of the query tokens document ``key`` contains (unknown tokens count as missed)."""
        total = got = 0.0
        for token, qw in weights.items():
            w = qw * self.idf(token)
            total += w
            posting = self.postings.get(token)
            if posting is not None and key in posting:
                got += w
        return got / total if total else 0.0


@lru_cache(maxsize=100_000)
def _tokens(text: str, unigrams: bool = False) -> tuple[str, ...]:
    return tuple(field_tokens(text, unigrams=unigrams))


@dataclass
class ItemDoc:
    """What the index keeps of one published item (its version in force)."""

    item_id: int
    version_id: int
    code: str
    name: str
    department_id: int | None
    department_name: str
    data: dict = field(repr=False)


@dataclass
class FaqDoc:
    faq_id: int
    question: str
    answer: str
    item_codes: list[str]


def item_fields(data: dict) -> dict[str, tuple[str, ...]]:
    materials = "；".join(m.get("name", "") for m in data.get("materials") or [])
    return {
        "name": _tokens(data.get("name") or "", True),
        "keywords": _tokens(data.get("keywords") or ""),
        "result": _tokens(data.get("result_name") or ""),
        "faq": _tokens(data.get("faq") or ""),
        "materials": _tokens(materials),
        "conditions": _tokens(data.get("acceptance_conditions") or ""),
        "department": _tokens((data.get("department") or {}).get("name") or ""),
    }


def faq_fields(question: str, phrasings: list[str], answer: str) -> dict[str, tuple[str, ...]]:
    return {"curated": _tokens("；".join([question, *phrasings])), "answer": _tokens(answer)}


@dataclass
class Hit:
    item: ItemDoc
    score: float
    faq: FaqDoc | None = None


@dataclass
class Result:
    question: str
    hits: list[Hit]
    no_answer: bool
    confidence: float
    score: float
    refused: str = ""
    intents: list[str] = field(default_factory=list)
    faq: FaqDoc | None = None
    expanded: str = ""


class Knowledge:
    """The in-process index over items and FAQ entries, with the alias table."""

    def __init__(self):
        self.index = Bm25Index()
        self.items: dict[int, ItemDoc] = {}
        self.by_code: dict[str, int] = {}
        self.faqs: dict[int, FaqDoc] = {}
        self.aliases: list[tuple[str, str]] = []
        self.fingerprint: tuple | None = None
        self.catalogue_print: tuple | None = None
        self.curated_print: tuple | None = None
        self.lock = threading.RLock()
        self.stats = {"full_builds": 0, "item_updates": 0}

    # --- building -------------------------------------------------------------------------

    def set_averages(self, docs: list[dict[str, tuple[str, ...]]]) -> None:
        sums: dict[str, int] = defaultdict(int)
        for fields in docs:
            for name, tokens in fields.items():
                sums[name] += len(tokens)
        self.index.avg = {name: max(1.0, total / max(1, len(docs))) for name, total in sums.items()}

    def put_item(self, doc: ItemDoc, fields: dict | None = None) -> None:
        old = self.items.get(doc.item_id)
        if old is not None and self.by_code.get(old.code) == doc.item_id:
            del self.by_code[old.code]
        self.items[doc.item_id] = doc
        self.by_code[doc.code] = doc.item_id
        self.index.add(doc.item_id, fields or item_fields(doc.data))

    def drop_item(self, item_id: int) -> None:
        doc = self.items.pop(item_id, None)
        if doc is not None:
            self.by_code.pop(doc.code, None)
        self.index.remove(item_id)

    def set_faqs(self, faqs: list[tuple[FaqDoc, list[str]]]) -> None:
        for faq_id in list(self.faqs):
            self.index.remove(-faq_id)
        self.faqs = {}
        for doc, phrasings in faqs:
            self.faqs[doc.faq_id] = doc
            self.index.add(-doc.faq_id, faq_fields(doc.question, phrasings, doc.answer))

    def set_aliases(self, pairs: list[tuple[str, str]]) -> None:
        grouped: dict[str, list[str]] = defaultdict(list)
        for phrase, target in pairs:
            phrase = normalize(phrase)
            if phrase and normalize(target) not in grouped[phrase]:
                grouped[phrase].append(normalize(target))
        self.aliases = sorted(((p, " ".join(t)) for p, t in grouped.items()), key=lambda a: -len(a[0]))

    # --- asking ---------------------------------------------------------------------------

    def expand(self, text: str) -> str:
        """Replace each alias phrase found in the question (longest first, no overlaps) by its targets."""
        spans: list[tuple[int, int, str]] = []
        for phrase, target in self.aliases:
            start = text.find(phrase)
            while start >= 0:
                end = start + len(phrase)
                if all(end <= s or start >= e for s, e, _t in spans):
                    spans.append((start, end, target))
                start = text.find(phrase, start + 1)
        if not spans:
            return text
        out, pos = [], 0
        for start, end, target in sorted(spans):
            out += [text[pos:start], " ", target, " "]
            pos = end
        out.append(text[pos:])
        return "".join(out)

    def search(self, question: str, *, town_id: int | None = None, limit: int = 1 + MAX_ALTERNATIVES) -> Result:
        text = normalize(question)[:MAX_QUESTION]
        expanded = self.expand(text)
        intents = [name for name, words in INTENTS.items() if any(w in text for w in words)]
        weights = query_tokens(expanded)
        result = Result(question=question, hits=[], no_answer=True, confidence=0.0, score=0.0,
                        intents=intents, expanded=expanded)
        if not weights:
            result.refused = "问题中没有可检索的内容" if text else "问题为空"
            return result
        ranked = self.index.search(weights, 80)
        if not ranked:
            result.refused = "知识库中没有相关内容"
            return result
        actions = [a for a in ACTIONS if a in expanded]
        scores: dict[int, tuple[float, FaqDoc | None]] = {}
        for key, score in ranked:
            if key > 0:
                doc = self.items.get(key)
                if doc is not None:
                    score *= self._structure(doc, actions)
                    if score > scores.get(key, (0.0, None))[0]:
                        scores[key] = (score, None)
            else:
                faq = self.faqs.get(-key)
                for code in faq.item_codes if faq else ():
                    item_id = self.by_code.get(code)
                    if item_id is not None and score >= scores.get(item_id, (0.0, None))[0]:
                        scores[item_id] = (score, faq)
        top_key = ranked[0][0]
        result.confidence = self.index.coverage(weights, top_key)
        top_faq = self.faqs.get(-top_key) if top_key < 0 else None
        result.score = ranked[0][1]
        # One hit per item name: the same item offered by 12 towns is one answer (the asker's town first).
        seen: dict[str, Hit] = {}
        for item_id, (score, faq) in sorted(scores.items(), key=lambda kv: -kv[1][0]):
            doc = self.items[item_id]
            hit = seen.get(doc.name)
            if hit is None:
                if len(seen) >= limit:
                    continue
                seen[doc.name] = Hit(doc, score, faq)
            elif town_id and doc.department_id == town_id and hit.item.department_id != town_id:
                hit.item = doc
        result.hits = list(seen.values())
        result.faq = top_faq
        if top_faq is not None and not top_faq.item_codes:
            result.hits = []  # a general FAQ (opening hours, proxies …): its answer alone, no unrelated card
        if top_faq is not None and not result.hits:
            result.no_answer = result.confidence < MIN_CONFIDENCE
            return result
        result.no_answer = not result.hits or result.confidence < MIN_CONFIDENCE or result.score < MIN_SCORE
        if result.no_answer:
            result.refused = "把握不足"
        return result

    @staticmethod
    def _structure(doc: ItemDoc, actions: list[str]) -> float:
        """Re-ranking by the item's structure: the variant named in the question (设立/变更/注销 …) wins."""
        if not actions:
            return 1.0
        named = [a for a in ACTIONS if a in doc.name]
        if any(a in named for a in actions):
            return 1.25
        if named:
            return 0.8
        return 1.0


_knowledge = Knowledge()


def knowledge() -> Knowledge:
    """The process's index, brought up to date with the database first (see ``zhengshu.assistant.loader``)."""
    from zhengshu.assistant.loader import refresh

    refresh(_knowledge)
    return _knowledge


def reset() -> None:
    """Forget the process's index (tests; the next question rebuilds it)."""
    global _knowledge
    _knowledge = Knowledge()
    _tokens.cache_clear()

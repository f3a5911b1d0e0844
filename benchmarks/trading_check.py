"""Benchmark of the "七个不准" checker on a generated 100-page tender document, beside a baseline.

    .venv/bin/python benchmarks/trading_check.py [--chars 200000] [--repeat 3]

The document is a construction tender (docx, about 200,000 characters, tables included: 须知前附表, 评分表 and a
long 工程量清单) with eight planted violations. Rows:
- extraction of the docx text (tables in reading order);
- segmentation into chapters and numbered clauses;
- the rule run (every enabled rule, lawful exceptions, numeric checks against the project's facts);
- the whole ``check_document`` (what the upload page and ``zhengshu trading check`` do);
- the baseline: the same patterns and exceptions applied the obvious way, clause by clause and rule by rule,
  on the already-extracted text (no extraction, no numeric checks).

Prints a table (wall and CPU seconds of the fastest of ``--repeat`` runs), how many planted violations were found
and how many other findings appeared; nothing is asserted about speed. No Django needed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def best(fn, repeat: int):
    """(wall seconds, CPU seconds) of the fastest of ``repeat`` runs, and the result."""
    times, result = [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    return min(times), result


def baseline(text: str, rules) -> int:
    """Clause by clause, rule by rule, pattern by pattern; exceptions checked on the clause."""
    from zhengshu.trading.checker.textutil import normalize

    norm = normalize(text)
    hits = 0
    for line in norm.split("\n"):
        for rule in rules.enabled:
            for regex in rule.compiled:
                m = regex.search(line)
                if m and not (rule.compiled_exceptions and rule.compiled_exceptions.search(line)):
                    hits += 1
                    break
    return hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=200_000, help="文档目标字数")
    parser.add_argument("--repeat", type=int, default=3, help="每项重复次数（取最快一次）")
    args = parser.parse_args()

    from zhengshu.trading.checker import check_document, extract_text, load_rules, segment
    from zhengshu.trading.checker.engine import _Context, _run
    from zhengshu.trading.checker.sampledoc import FACTS, generate

    data, planted = generate(args.chars)
    rules = load_rules()
    text = extract_text(data, "bench.docx")
    pages = len(text) / 2000  # about 2,000 characters on a page of a Chinese tender document

    rows = []
    t, _ = best(lambda: extract_text(data, "bench.docx"), args.repeat)
    rows.append(("提取 docx 文字（含表格）", t))
    t, structure = best(lambda: segment(text), args.repeat)
    rows.append((f"分章分条（{len(structure.sections)} 个标题，{len(structure.clauses)} 行）", t))
    t, findings = best(lambda: _run(_Context(text, FACTS), rules), args.repeat)
    rows.append((f"规则检查（{len(rules.enabled)} 条规则）", t))
    t, result = best(lambda: check_document(data, "bench.docx", FACTS, rules), args.repeat)
    rows.append(("check_document 全流程", t))
    total = t
    t, base_hits = best(lambda: baseline(text, rules), args.repeat)
    rows.append(("基线：逐行×逐规则×逐正则匹配（不含提取）", t))

    found = {rule for rule, _ in planted if any(f.rule == rule and f.text in text for f in result.findings)}
    planted_texts = [p for _, p in planted]
    others = [f for f in result.findings if not any(f.text in p for p in planted_texts)]
    print(f"文档：{len(data) / 1024:.0f} KB docx，{len(text):,} 字（约 {pages:.0f} 页），"
          f"{text.count(chr(9)):,} 个表格单元分隔")
    print(f"{'项目':<44}{'秒':>8}{'CPU 秒':>9}")
    for name, (seconds, cpu) in rows:
        print(f"{name:<44}{seconds:>8.3f}{cpu:>9.3f}")
    print(f"全流程相对基线：{rows[-1][1][0] / total[0]:.1f} 倍（基线不含提取和数值核对）")
    print(f"预埋违规 {len(planted)} 条，检出 {len(found)} 条；其他发现 {len(others)} 条；基线命中 {base_hits} 行")
    for f in others:
        print(f"  其他发现：{f.rule} {f.text}")


if __name__ == "__main__":
    main()

"""Benchmark of the Q&A assistant: answer quality on the labelled set and speed with 10,000 items, each beside
the plain baseline (BM25 over item names, rjieba words, no aliases, no n-grams) run in the same process.

    ./run bench assistant [--items 10000] [--repeat 3]

1. Quality on the demo catalogue (391 items of Haining's departments and 12 towns, seeded as by ``./run demo``)
   with the shipped labelled set ``zhengshu/assistant/data/questions.jsonl``: Hit@1, Hit@3, MRR@10, share of
   no-answer questions recognised, share of answerable ones refused — for the tuning part (train), the part
   not tuned on (holdout) and all.
2. Speed: the catalogue is grown to ``--items`` published items generated from the demo catalogue's patterns
   (every demo item name with the towns' and departments' variants and business-item suffixes, real materials
   pool), then: full index build (from the database, as after a restart), one incremental update (an item
   re-published), and the latency per question of every labelled question (``--repeat`` times; the
   assistant's time includes its per-question freshness check against the database), p50/p95/max.

Everything runs in a fresh SQLite database in a temporary directory (or ``ZHENGSHU_DATABASE_URL``) inside a
transaction that is rolled back. Nothing is asserted about speed; the table is printed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import setup_django  # noqa: E402  (benchmarks/ is the script's directory)



def seed_demo() -> None:
    from zhengshu.core.demo import SEEDERS

    for order, _name, fn in sorted(SEEDERS, key=lambda s: (s[0], s[1])):
        if order <= 110 or order == 150:
            fn()


SUFFIXES = ("", "（个人）", "（单位）", "（首次）", "（变更）", "（延续）", "（注销）", "（补办）", "（网上申请）",
            "（窗口受理）", "（承诺制）", "（跨省通办）")


def grow(total: int) -> int:
    """Add generated published items until the catalogue has ``total``; returns how many were added."""
    from zhengshu.govservices.demo import build_item, demo_items, save_published
    from zhengshu.govservices.models import ServiceItem
    from zhengshu.orgs.models import Department

    departments = {d.code: d for d in Department.objects.all()}
    rows = demo_items(departments)
    towns = [d for c, d in departments.items() if c.startswith("HN-3304")]
    rnd = random.Random(7)
    need = total - ServiceItem.objects.count()
    new_items, seq = [], 50_000
    while len(new_items) < need:
        dept, name, kind, _s = rows[len(new_items) % len(rows)]
        round_ = len(new_items) // len(rows)
        suffix = SUFFIXES[round_ % len(SUFFIXES)]
        owner = towns[(len(new_items) + round_) % len(towns)] if round_ % 3 == 2 else dept
        seq += 1
        item, materials = build_item(owner, f"{name}{suffix}", kind, seq, rnd, cross_region=False)
        new_items.append((item, materials))
    save_published(new_items)
    return len(new_items)


def quality_rows() -> list[tuple]:
    from zhengshu.assistant import engine
    from zhengshu.assistant.evaluate import SHIPPED, NameBaseline, assistant_ranking, read_labelled, score
    from zhengshu.govservices.selectors import published_items

    engine.reset()
    kb = engine.knowledge()
    base = NameBaseline(list(published_items().values_list("implementation_code", "name")))
    rows = []
    for split in ("train", "holdout", None):
        labelled = read_labelled(SHIPPED, split=split)
        for label, rank in (("智能问答", lambda q: assistant_ranking(kb, q)), ("基线：名称BM25", base.ranking)):
            r = score(labelled, rank)
            rows.append((split or "all", label, r))
    return rows


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def speed_rows(repeat: int) -> dict:
    from zhengshu.assistant import engine
    from zhengshu.assistant.evaluate import SHIPPED, NameBaseline, read_labelled
    from zhengshu.assistant.loader import refresh
    from zhengshu.govservices.models import ServiceItem
    from zhengshu.govservices.selectors import published_items

    questions = [r.question for r in read_labelled(SHIPPED)]
    engine.reset()
    started = time.perf_counter()
    kb = engine.knowledge()
    build = time.perf_counter() - started
    items = len(kb.items)
    started = time.perf_counter()
    pairs = list(published_items().values_list("implementation_code", "name"))
    base = NameBaseline(pairs)
    base_build = time.perf_counter() - started
    times, base_times = [], []
    for _ in range(repeat):
        for q in questions:
            t = time.perf_counter()
            engine.knowledge().search(q)
            times.append(time.perf_counter() - t)
            t = time.perf_counter()
            base.ranking(q)
            base_times.append(time.perf_counter() - t)
    # one incremental update: an item edited and re-published
    from zhengshu.govservices.catalogue_io import _publish_all

    item = ServiceItem.objects.order_by("pk").first()
    item.keywords = "基准测试增量更新"
    item.save()
    _publish_all([item])
    started = time.perf_counter()
    done = refresh(kb)
    incremental = time.perf_counter() - started
    hit = kb.search("基准测试增量更新").hits
    return {"items": items, "build": build, "base_build": base_build, "times": times, "base_times": base_times,
            "incremental": incremental, "incremental_items": done["items"],
            "incremental_found": bool(hit) and hit[0].item.item_id == item.pk, "questions": len(questions)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from django.db import connection, transaction

    with transaction.atomic():  # everything the benchmark writes is rolled back
        t = time.perf_counter()
        seed_demo()
        seeded = time.perf_counter() - t
        quality = quality_rows()
        t = time.perf_counter()
        added = grow(args.items)
        grown = time.perf_counter() - t
        speed = speed_rows(args.repeat)
        transaction.set_rollback(True)
    print(f"\n智能问答基准（数据库 {connection.vendor}；演示目录装载 {seeded:.1f} s，扩充 {added} 项 {grown:.1f} s）\n")
    print("1. 标注集（zhengshu/assistant/data/questions.jsonl，演示目录 391 项）")
    header = (f"{'部分':<8}{'方法':<16}{'问题':>5}{'可答':>5}{'无答案':>6}{'Hit@1':>8}{'Hit@3':>8}{'MRR@10':>8}"
              f"{'无答案识别':>10}{'可答被拒':>9}")
    print(header)
    for split, label, r in quality:
        recognised = "—" if r["no_answer_recognised"] is None else f"{r['no_answer_recognised']:.1%}"
        print(f"{split:<8}{label:<14}{r['questions']:>7}{r['answerable']:>6}{r['no_answer_questions']:>7}"
              f"{r['hit_at_1']:>8.3f}{r['hit_at_3']:>8.3f}{r['mrr_at_10']:>8.3f}{recognised:>12}"
              f"{r['refused_answerable']:>10.1%}")
    s = speed
    print(f"\n2. 速度（已发布事项 {s['items']} 项；问题 {s['questions']} 个 × {args.repeat} 次）")
    print(f"{'方法':<16}{'建索引 s':>10}{'p50 ms':>9}{'p95 ms':>9}{'最大 ms':>9}")
    for label, build, times in (("智能问答", s["build"], s["times"]), ("基线：名称BM25", s["base_build"], s["base_times"])):
        ms = [x * 1000 for x in times]
        print(f"{label:<14}{build:>12.2f}{statistics.median(ms):>9.2f}{percentile(ms, 0.95):>9.2f}{max(ms):>9.2f}")
    print(f"\n增量更新：1 项重新发布后刷新 {s['incremental'] * 1000:.1f} ms（重建 {s['incremental_items']} 项），"
          f"新关键词{'可' if s['incremental_found'] else '不可'}检索。")
    print("智能问答的每题耗时包含向数据库核对目录是否变化（1 条按主键的 SQL）。")


if __name__ == "__main__":
    main()

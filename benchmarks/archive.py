"""一企一档 benchmark: the archive build over synthetic department tables, beside a plain DuckDB group-by floor.

    ./run bench archive [--records N] [--enterprises M] [--tables T] [--keep DIR]

Generates ``T`` (70) resources in a real pipeline store (Parquet batches committed through ``Store.commit``;
the pipeline's own validation is not part of this benchmark): one registry (市场监管登记, one row per
enterprise) and T − 1 department tables sharing the remaining records. Every department record names one
enterprise, with noise:

- 90 %: the USCC (and the name);
- 4 %: the organisation code only (half of them written ``XXXXXXXX-X``);
- 5 %: the name only, in a variant that normalises to the registered name: ``海宁市`` instead of ``海宁``, no
  region prefix, spaces inside, the trade in full- or half-width brackets, ``股份公司`` for ``股份有限公司`` or
  ``有限责任公司`` for ``有限公司``;
- 1 %: a decoy — a company absent from the registry whose name is one character away from a registered one
  (truth: no enterprise; linking it is a false positive).

Each variant runs in its own child process (peak memory = the child's ``VmHWM``, DuckDB included):

  (a) floor: plain DuckDB group-by over the same rows (coalesce(USCC, org code, name) → count)
  (b) the archive build (``zhengshu.pipeline.linking.build``, full): linking, profiles, lineage, review queue

then precision and recall of (b) against the generator's truth. Nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_AVOID = set("海宁市浙江嘉兴省有限责任公司股份厂行")
POOL = "".join(c for c in (chr(0x4E50 + 3 * k) for k in range(460)) if c not in _AVOID)[:400]
DECOY = "".join(c for c in (chr(0x7A00 + 5 * k) for k in range(60)) if c not in _AVOID and c not in POOL)[:50]
TRADES = ["纺织", "皮革", "经编", "家纺", "光伏", "电子", "机械", "食品", "物流", "服饰", "新材料", "科技", "建设",
          "贸易", "化工", "包装", "印染", "五金", "塑业", "建材"]
SUFFIXES = ["有限公司", "股份有限公司", "有限责任公司"]
CATEGORIES = ["tax", "social", "credit_good", "credit_bad", "penalty", "licence", "policy", "other"]


def _list(values) -> str:
    return "[" + ", ".join("'" + v + "'" for v in values) + "]"


def _name_parts(e: str) -> tuple[str, str, str]:
    """SQL for the core characters, trade and suffix of enterprise ``e`` (an integer expression)."""
    core = " || ".join(f"substr('{POOL}', (hash({e} * 4 + {k}) % 400)::INT + 1, 1)" for k in range(4))
    trade = f"{_list(TRADES)}[({e} % 20)::INT + 1]"
    suffix = f"{_list(SUFFIXES)}[(({e} // 7) % 3)::INT + 1]"
    return core, trade, suffix


def _uscc(e: str) -> str:
    return f"'91330481M' || lpad(CAST({e} AS VARCHAR), 8, '0') || 'X'"


def schema(t: int) -> dict:
    if t == 0:
        return {"resource": "bench/registry", "name": "企业登记（基准）", "provider": "HN-SJJ", "key": ["uscc"],
                "items": [
                    {"name": "uscc", "label": "统一社会信用代码", "type": "string", "required": True, "check": "uscc",
                     "link": "uscc"},
                    {"name": "ent_name", "label": "企业名称", "type": "string", "link": "enterprise_name"},
                    {"name": "legal_rep", "label": "法定代表人", "type": "string", "sensitive": True},
                    {"name": "capital", "label": "注册资本", "type": "decimal", "unit": "万元"},
                    {"name": "status", "label": "登记状态", "type": "string"},
                    {"name": "established", "label": "成立日期", "type": "date"}]}
    return {"resource": f"bench/t{t:02d}", "name": f"部门数据{t:02d}（基准）", "provider": "HN-X", "key": ["rec_no"],
            "items": [
                {"name": "rec_no", "label": "记录号", "type": "integer", "required": True},
                {"name": "uscc", "label": "统一社会信用代码", "type": "string", "check": "uscc", "link": "uscc"},
                {"name": "org_code", "label": "组织机构代码", "type": "string", "link": "org_code"},
                {"name": "ent_name", "label": "企业名称", "type": "string", "link": "enterprise_name"},
                {"name": "event_date", "label": "日期", "type": "date"},
                {"name": "amount", "label": "金额", "type": "decimal", "unit": "元"}]}


def sources(tables: int):
    from zhengshu.pipeline.linking import Source
    from zhengshu.pipeline.schema import validate_schema

    out = [Source("bench/registry", validate_schema(schema(0)), "registration", 10)]
    out += [Source(f"bench/t{t:02d}", validate_schema(schema(t)), CATEGORIES[t % len(CATEGORIES)], 100)
            for t in range(1, tables)]
    return out


def generate(work: Path, records: int, enterprises: int, tables: int) -> None:
    import duckdb

    from zhengshu.pipeline.store import BatchInfo, Store, empty_stats

    store = Store(work / "pipeline")
    con = duckdb.connect(config={"preserve_insertion_order": False, "memory_limit": "4GB"})
    per = (records - enterprises) // (tables - 1)
    for t in range(tables):
        path = work / f"gen-{t:02d}.parquet"
        if t == 0:
            core, trade, suffix = _name_parts("i")
            sql = (f"SELECT {_uscc('i')} AS uscc, '海宁' || {core} || {trade} || {suffix} AS ent_name, "
                   f"'张' || substr('{POOL}', (i % 97)::INT + 1, 1) AS legal_rep, "
                   f"CAST((i % 5000) + 10 AS DECIMAL(24, 6)) AS capital, "
                   f"['存续', '在业', '注销'][(i % 3)::INT + 1] AS status, "
                   f"DATE '2000-01-01' + CAST(i % 8000 AS INTEGER) AS established, i + 1 AS _ord, i AS _truth "
                   f"FROM range({enterprises}) AS r(i)")
        else:
            n = per if t < tables - 1 else records - enterprises - per * (tables - 2)
            core, trade, suffix = _name_parts("e")
            decoy_core = " || ".join(f"substr('{DECOY}', (i % 50)::INT + 1, 1)" if k == 2 else
                                     f"substr('{POOL}', (hash(e * 4 + {k}) % 400)::INT + 1, 1)" for k in range(4))
            variant = (f"CASE v WHEN 0 THEN '海宁市' || {core} || {trade} || {suffix} "
                       f"WHEN 1 THEN {core} || {trade} || {suffix} "
                       f"WHEN 2 THEN '海宁 ' || {core} || ' ' || {trade} || ' ' || {suffix} "
                       f"WHEN 3 THEN '海宁' || {core} || (CASE WHEN i % 2 = 0 THEN '（' || {trade} || '）' "
                       f"ELSE '(' || {trade} || ')' END) || {suffix} "
                       f"ELSE '海宁' || {core} || {trade} || (CASE {suffix} WHEN '股份有限公司' THEN '股份公司' "
                       f"WHEN '有限公司' THEN '有限责任公司' ELSE '有限公司' END) END")
            sql = (f"SELECT CASE WHEN m < 900 THEN {_uscc('e')} END AS uscc, "
                   f"CASE WHEN m >= 900 AND m < 940 THEN CASE WHEN i % 2 = 0 THEN 'M' || lpad(CAST(e AS VARCHAR), 8, "
                   f"'0') ELSE 'M' || substr(lpad(CAST(e AS VARCHAR), 8, '0'), 1, 7) || '-' || "
                   f"substr(lpad(CAST(e AS VARCHAR), 8, '0'), 8, 1) END END AS org_code, "
                   f"CASE WHEN m < 940 THEN '海宁' || {core} || {trade} || {suffix} WHEN m < 990 THEN {variant} "
                   f"ELSE '海宁' || {decoy_core} || {trade} || {suffix} END AS ent_name, "
                   f"{t}::BIGINT * 1000000000 + i AS rec_no, "
                   f"DATE '2020-01-01' + CAST(i % 1500 AS INTEGER) AS event_date, "
                   f"CAST(i % 100000 AS DECIMAL(24, 6)) AS amount, i + 1 AS _ord, "
                   f"CASE WHEN m < 990 THEN e END AS _truth FROM (SELECT i, "
                   f"(hash(i * 131 + {t}) % {enterprises})::BIGINT AS e, (hash(i * 17 + {t * 7919}) % 1000)::INT AS m, "
                   f"(hash(i * 29 + {t}) % 5)::INT AS v FROM range({n}) AS r(i))")
        con.execute(f"COPY ({sql}) TO '{path}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 262144)")
        rows = con.execute(f"SELECT count(*) FROM '{path}'").fetchone()[0]
        sch = schema(t)
        batch = f"20260101T{t // 60:02d}{t % 60:02d}00-bench{t:05d}"
        info = BatchInfo(batch, sch["resource"], path.name, f"bench-{t}-{records}-{enterprises}",
                         dt.datetime(2026, 1, 1, 0, t // 60, t % 60, tzinfo=dt.UTC), rows, rows, 0, 0.0, empty_stats())
        store.commit(info, path, None, rows)
    con.close()


def files(work: Path) -> list[Path]:
    return sorted((work / "pipeline" / "lake").rglob("*.parquet"))


def run_floor(work: Path, tables: int) -> int:
    import duckdb

    con = duckdb.connect(config={"preserve_insertion_order": False, "memory_limit": "4GB"})
    parts = []
    for path in files(work):
        cols = con.execute(f"SELECT name FROM parquet_schema('{path}')").fetchall()
        names = {c[0] for c in cols}
        org = "org_code" if "org_code" in names else "NULL"
        parts.append(f"SELECT coalesce(uscc, {org}, ent_name) AS k FROM read_parquet('{path}')")
    groups = con.execute(f"SELECT count(*), sum(n) FROM (SELECT k, count(*) AS n FROM ({' UNION ALL '.join(parts)}) "
                         f"GROUP BY k)").fetchone()
    return int(groups[1])


def run_build(work: Path, tables: int) -> int:
    from zhengshu.pipeline.linking import build
    from zhengshu.pipeline.store import Store

    shutil.rmtree(work / "archive", ignore_errors=True)
    figures = build(work / "archive", Store(work / "pipeline"), sources(tables), full=True)
    (work / "figures.json").write_text(json.dumps(figures))
    return figures["linked"] + figures["unlinked"]


def evaluate(work: Path) -> dict:
    import duckdb

    from zhengshu.pipeline.linking.build import current_generation

    gen = current_generation(work / "archive")
    con = duckdb.connect(config={"preserve_insertion_order": False, "memory_limit": "4GB"})
    batches = {b: i for i, b in enumerate(gen.batches)}
    from zhengshu.pipeline.linking.lake import committed_batches
    from zhengshu.pipeline.store import Store

    parts = [f"SELECT {batches[b.batch_id]}::UINTEGER AS bid, _ord AS ord, _truth FROM read_parquet('{b.path}')"
             for b in committed_batches(Store(work / "pipeline"))]
    tp, predicted, truth = con.execute(
        f"SELECT count(*) FILTER (WHERE p = t._truth), count(p), count(t._truth) FROM ("
        f"SELECT bid, ord, CAST(substr(uscc, 10, 8) AS BIGINT) AS p FROM read_parquet('{gen.file('links')}')) AS l "
        f"JOIN ({' UNION ALL '.join(parts)}) AS t USING (bid, ord)").fetchone()
    con.close()
    return {"precision": tp / predicted if predicted else 0.0, "recall": tp / truth if truth else 0.0,
            "true_positive": tp, "predicted": predicted, "truth": truth}


VARIANTS = {"floor": run_floor, "build": run_build}


def child(variant: str, work: str, tables: str) -> None:
    start = time.perf_counter()
    n = VARIANTS[variant](Path(work), int(tables))
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    status = Path("/proc/self/status").read_text() if Path("/proc/self/status").exists() else ""
    hwm = [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")]
    print(json.dumps({"rows": n, "seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
                      "peak_mb": (hwm[0] if hwm else usage.ru_maxrss) / 1024}))


def measure(variant: str, work: Path, tables: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", variant, str(work), str(tables)], capture_output=True,
                         text=True, check=False)
    if out.returncode:
        raise SystemExit(f"{variant} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=30_000_000)
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--tables", type=int, default=70)
    parser.add_argument("--keep", help="keep the generated store in this directory (reused when present)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-archive-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        marker = work / "generated.json"
        wanted = {"records": args.records, "enterprises": args.enterprises, "tables": args.tables, "names": 2}
        if not marker.exists() or json.loads(marker.read_text()) != wanted:
            shutil.rmtree(work / "pipeline", ignore_errors=True)
            for old in work.glob("gen-*.parquet"):
                old.unlink()
            start = time.perf_counter()
            generate(work, args.records, args.enterprises, args.tables)
            marker.write_text(json.dumps(wanted))
            print(f"generated {args.records:,} records in {args.tables} tables about {args.enterprises:,} enterprises "
                  f"in {time.perf_counter() - start:.1f} s", flush=True)
        floor = measure("floor", work, args.tables)
        print(f"  floor: {floor['seconds']:.2f} s", flush=True)
        built = measure("build", work, args.tables)
        print(f"  build: {built['seconds']:.2f} s", flush=True)
        figures = json.loads((work / "figures.json").read_text())
        quality = evaluate(work)
        n = args.records
        load = os.getloadavg()[0]
        print(f"\nrecords = {n:,}; tables = {args.tables}; enterprises = {args.enterprises:,}; cpu = {os.cpu_count()}; "
              f"load average now {load:.1f}\n")
        print(f"| {'variant':<52} | {'seconds':>8} | {'records/s':>11} | {'× floor':>7} | {'CPU s':>7} | "
              f"{'peak MB':>8} |")
        print(f"|{'-' * 54}|{'-' * 10}|{'-' * 13}|{'-' * 9}|{'-' * 9}|{'-' * 10}|")
        for label, r in (("(a) floor: DuckDB group-by over the same rows", floor),
                         ("(b) archive build: linking + profiles + lineage", built)):
            print(f"| {label:<52} | {r['seconds']:>8.2f} | {n / r['seconds']:>11,.0f} | "
                  f"{r['seconds'] / floor['seconds']:>7.2f} | {r['cpu']:>7.2f} | {r['peak_mb']:>8.0f} |")
        shown = {k: figures[k] for k in ("enterprises", "linked", "unlinked", "review")}
        print(f"\nbuild figures: {json.dumps(shown)}")
        print(f"build steps (s): {json.dumps(figures.get('steps', {}))}")
        print(f"precision {quality['precision']:.4f} ({quality['true_positive']:,} of {quality['predicted']:,} links "
              f"correct); recall {quality['recall']:.4f} (of {quality['truth']:,} linkable records)")
        print(f"extrapolated to 300,000,000 records (linear): {built['seconds'] * 300_000_000 / n / 60:.1f} min")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

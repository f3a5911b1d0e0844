"""Ingest benchmark: the aggregation pipeline beside DuckDB's own floor and a pandas baseline.

    .venv/bin/python benchmarks/ingest.py --rows N [--keep DIR]

Generates an enterprise-registration file (统一社会信用代码, 名称, 法定代表人身份证号, 注册资本 "200万元",
成立日期, 登记状态, 行政区划, 联系电话, 地址) with about 5% bad rows (wrong check characters, unknown
codes, bad dates and enums, duplicated keys, ragged rows), as UTF-8 and as GBK, then runs each variant
in its own child process and prints wall seconds, rows/s, the child's CPU seconds (user + system, its own
worker processes included, which stay meaningful when other work shares the cores) and its peak memory (``VmHWM``):

  (a) floor: DuckDB ``read_csv`` + ``count(*)`` of the UTF-8 file
  (b) the full pipeline on the UTF-8 file (standardise, validate, Parquet batch + quarantine, commit)
  (c) the full pipeline on the GBK file
  (d) baseline: pandas ``read_csv`` + the same rules written with pandas/Python, no Parquet

Nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
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

SCHEMA = {
    "resource": "bench/enterprise",
    "name": "企业登记信息（基准）",
    "provider": "HN-SJJ",
    "key": ["uscc"],
    "items": [
        {"name": "uscc", "label": "统一社会信用代码", "type": "string", "required": True, "check": "uscc"},
        {"name": "name", "label": "企业名称", "type": "string", "required": True, "max_length": 100},
        {"name": "legal_id", "label": "法定代表人身份证号", "type": "string", "check": "idcard", "sensitive": True},
        {"name": "capital", "label": "注册资本", "type": "decimal", "unit": "万元"},
        {"name": "founded", "label": "成立日期", "type": "date", "required": True},
        {"name": "status", "label": "登记状态", "type": "string", "enum": ["存续", "在业", "吊销", "注销", "迁出"]},
        {"name": "division", "label": "行政区划", "type": "string", "check": "division"},
        {"name": "phone", "label": "联系电话", "type": "string", "check": "phone"},
        {"name": "address", "label": "住所", "type": "string", "max_length": 200},
    ],
}
HEADER = [i["label"] for i in SCHEMA["items"]]
TOWNS = ["硖石街道", "海洲街道", "海昌街道", "马桥街道", "许村镇", "长安镇", "周王庙镇", "盐官镇", "丁桥镇",
         "斜桥镇", "袁花镇", "黄湾镇"]
WORDS = ["宏达", "恒信", "盛世", "锦程", "东方", "华联", "鑫源", "天成", "永盛", "佳美", "金鹰", "正泰", "海宁",
         "潮城", "皮革", "经编", "纺织", "家纺", "光伏", "机械"]
KINDS = ["有限公司", "股份有限公司", "经编厂", "皮革有限公司", "科技有限公司", "贸易商行"]
DIVISIONS = ["330481", "330402", "330411", "330421", "330424", "330482", "330483"]
STATUSES = ["存续", "在业", "吊销", "注销", "迁出"]


def _pick(options: list[str], salt: int) -> str:
    """SQL: one of ``options``, chosen by a hash of the row number."""
    items = ", ".join("'" + o + "'" for o in options)
    return f"([{items}])[CAST(1 + hash(n, {salt}) % {len(options)} AS BIGINT)]"


def generate(path: Path, rows: int) -> None:
    """UTF-8 CSV with about 5% bad rows, built in DuckDB (check characters by the pipeline's own SQL
    builders, whose agreement with ``zhengshu.identifiers`` is tested) and written in blocks."""
    import duckdb

    from zhengshu.pipeline import expr

    d = expr.DUCKDB
    _, c9, _ = expr.orgcode_sql(d, "b")
    _, id_check, _ = expr.idcard_sql(d, "p", "NULL", __import__("datetime").date.today())
    r = lambda salt, m: f"CAST(hash(n, {salt}) % {m} AS BIGINT)"  # noqa: E731
    sql = f"""
    WITH u AS (SELECT range AS n, key_of(range) AS uscc,
                 '330481' || CAST(1950 + {r(2, 50)} AS VARCHAR) || lpad(CAST(1 + {r(3, 12)} AS VARCHAR), 2, '0')
                 || lpad(CAST(1 + {r(4, 28)} AS VARCHAR), 2, '0') || lpad(CAST({r(5, 1000)} AS VARCHAR), 3, '0') AS p
          FROM range({rows})),
    v AS (SELECT *, p || {id_check} AS idno, {r(6, 1000)} AS bad, {r(7, 7)} AS kind FROM u),
    w AS (SELECT n, bad, kind,
        CASE WHEN bad < 50 AND kind = 0
             THEN substr(uscc, 1, 17) || CASE WHEN substr(uscc, 18, 1) = '0' THEN '1' ELSE '0' END
             WHEN bad < 50 AND kind = 5 AND n > 0 THEN key_of(n - 1)
             ELSE uscc END AS f0,
        '海宁' || {_pick(WORDS, 8)} || {_pick(WORDS, 9)} || {_pick(KINDS, 10)} AS f1,
        CASE WHEN bad < 50 AND kind = 1
             THEN substr(idno, 1, 17) || CASE WHEN substr(idno, 18, 1) = 'X' THEN '0' ELSE 'X' END
             ELSE idno END AS f2,
        CASE {r(11, 3)} WHEN 0 THEN CAST(1 + {r(12, 5000)} AS VARCHAR) || '万元'
             WHEN 1 THEN CAST(10 + {r(13, 9990)} AS VARCHAR) || '.' || lpad(CAST({r(14, 100)} AS VARCHAR), 2, '0')
             ELSE CAST((1 + {r(15, 900)}) * 1000 AS VARCHAR) || '元' END AS f3,
        CASE WHEN bad < 50 AND kind = 2 THEN '2021-02-30'
             ELSE CASE {r(16, 3)} WHEN 0 THEN strftime(DATE '1990-01-01' + CAST({r(17, 12000)} AS INTEGER), '%Y-%m-%d')
                  WHEN 1 THEN strftime(DATE '1990-01-01' + CAST({r(17, 12000)} AS INTEGER), '%Y年%-m月%-d日')
                  ELSE strftime(DATE '1990-01-01' + CAST({r(17, 12000)} AS INTEGER), '%Y%m%d') END END AS f4,
        CASE WHEN bad < 50 AND kind = 3 THEN '歇业' ELSE {_pick(STATUSES, 18)} END AS f5,
        CASE WHEN bad < 50 AND kind = 4 THEN '999999' ELSE {_pick(DIVISIONS, 19)} END AS f6,
        CASE {r(20, 2)}
             WHEN 0 THEN '1' || {_pick(list("3589"), 21)} || lpad(CAST({r(22, 1000000000)} AS VARCHAR), 9, '0')
             ELSE '0573-8' || lpad(CAST({r(23, 10000000)} AS VARCHAR), 7, '0') END AS f7,
        '浙江省海宁市' || {_pick(TOWNS, 24)} || {_pick(WORDS, 25)} || '路' || CAST(1 + {r(26, 999)} AS VARCHAR) || '号' AS f8
      FROM v)
    SELECT CASE WHEN bad < 50 AND kind = 6 THEN concat_ws(',', f0, f1, f2, f3, f4, f5)
                WHEN bad BETWEEN 50 AND 59
                THEN concat_ws(',', f0, '"' || f1 || chr(10) || '（分支机构）"', f2, f3, f4, f5, f6, f7, f8)
                ELSE concat_ws(',', f0, f1, f2, f3, f4, f5, f6, f7, f8) END AS line
    FROM w"""
    con = duckdb.connect()
    con.execute(f"CREATE MACRO org9(b) AS b || {c9}")
    c18 = expr.uscc_sql(d, "(x || '0')")[1]
    con.execute(f"CREATE MACRO uscc18(x) AS x || {c18}")
    con.execute("CREATE MACRO body8(n) AS CASE WHEN n % 3 = 0 THEN 'M' ELSE '0' END "
                "|| lpad(CAST(n AS VARCHAR), 7, '0')")
    region = _pick(["0481", "0402", "0411", "0482"], 1)
    con.execute(f"CREATE MACRO key_of(n) AS uscc18('9133' || {region} || org9(body8(n)))")
    cur = con.execute(sql)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(HEADER) + "\n")
        while chunk := cur.fetchmany(200_000):
            out.write("\n".join([row[0] for row in chunk]) + "\n")


def to_gbk(source: Path, target: Path) -> None:
    with open(source, encoding="utf-8") as src, open(target, "w", encoding="gbk", newline="") as dst:
        shutil.copyfileobj(src, dst, 8 << 20)


# -- variants (each runs in a child process) ---------------------------------------------------------
def run_floor(path: str) -> int:
    import duckdb

    return duckdb.connect().execute(f"SELECT count(*) FROM read_csv('{path}', all_varchar=true, "
                                    f"ignore_errors=true)").fetchone()[0]


def run_pipeline(path: str) -> int:
    from zhengshu.pipeline import Store, ingest

    store_root = Path(tempfile.mkdtemp(prefix="bench-store-"))
    try:
        result = ingest(path, SCHEMA["resource"], SCHEMA, Store(store_root))
        return result["read"]
    finally:
        shutil.rmtree(store_root, ignore_errors=True)


def run_pandas(path: str) -> int:
    import pandas as pd

    from zhengshu.identifiers import divisions, resident_id, uscc

    df = pd.read_csv(path, dtype=str, keep_default_na=False, on_bad_lines="skip", engine="c")
    u = df["统一社会信用代码"].str.strip().str.upper()
    ok = u.map(lambda c: uscc.validate_uscc(c).valid if c else False)
    ids = df["法定代表人身份证号"].str.strip()
    ok &= ids.map(lambda c: resident_id.validate_resident_id(c).valid if c else True)
    ok &= df["登记状态"].isin(STATUSES) | (df["登记状态"] == "")
    known = divisions.known_codes()
    ok &= df["行政区划"].isin(known) | (df["行政区划"] == "")
    dates = df["成立日期"].str.replace("年", "-").str.replace("月", "-").str.replace("日", "")
    ok &= pd.to_datetime(dates, errors="coerce", format="mixed").notna()
    ok &= ~(u.duplicated() & ok)
    return int(len(df))


VARIANTS = {"floor": run_floor, "pipeline": run_pipeline, "pandas": run_pandas}


def child(variant: str, path: str) -> None:
    start = time.perf_counter()
    n = VARIANTS[variant](path)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)  # e.g. the GBK transcoding's worker processes
    # VmHWM: the peak resident set of this process's own memory map. (ru_maxrss would carry over the
    # parent's peak across fork + exec on Linux.)
    status = Path("/proc/self/status").read_text() if Path("/proc/self/status").exists() else ""
    hwm = [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")]
    cpu = usage.ru_utime + usage.ru_stime + workers.ru_utime + workers.ru_stime
    print(json.dumps({"rows": n, "seconds": seconds, "cpu": cpu,
                      "peak_mb": (hwm[0] if hwm else usage.ru_maxrss) / 1024}))


def measure(variant: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", variant, str(path)], capture_output=True, text=True,
                         check=False)
    if out.returncode:
        raise SystemExit(f"{variant} failed:\n{out.stderr}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return result  # the child reports its own peak (VmHWM) and CPU time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", help="keep the generated files in this directory")
    parser.add_argument("--skip-pandas", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    work.mkdir(parents=True, exist_ok=True)
    utf8, gbk = work / f"enterprises-{args.rows}.utf8.csv", work / f"enterprises-{args.rows}.gbk.csv"
    try:
        if not utf8.exists():
            start = time.perf_counter()
            generate(utf8, args.rows)
            print(f"UTF-8 file written in {time.perf_counter() - start:.1f} s", flush=True)
            to_gbk(utf8, gbk)
            print(f"generated {args.rows:,} rows in {time.perf_counter() - start:.1f} s: "
                  f"UTF-8 {utf8.stat().st_size / 1e6:.0f} MB, GBK {gbk.stat().st_size / 1e6:.0f} MB", flush=True)
        rows = []
        plan = [("(a) floor: DuckDB read_csv + count(*), UTF-8", "floor", utf8),
                ("(b) pipeline, UTF-8", "pipeline", utf8),
                ("(c) pipeline, GBK", "pipeline", gbk)]
        if not args.skip_pandas:
            plan.append(("(d) baseline: pandas read + validate, UTF-8", "pandas", utf8))
        for label, variant, path in plan:
            r = measure(variant, path)
            rows.append((label, r))
            print(f"  {label}: {r['seconds']:.2f} s", flush=True)
        floor = rows[0][1]["seconds"]
        load = os.getloadavg()[0]
        print(f"\nrows = {args.rows:,}; cpu = {os.cpu_count()}; load average now {load:.1f}\n")
        print(f"| {'variant':<46} | {'seconds':>8} | {'rows/s':>11} | {'× floor':>7} | {'CPU s':>7} | "
              f"{'rows/CPU-s':>10} | {'peak MB':>8} |")
        print(f"|{'-' * 48}|{'-' * 10}|{'-' * 13}|{'-' * 9}|{'-' * 9}|{'-' * 12}|{'-' * 10}|")
        for label, r in rows:
            print(f"| {label:<46} | {r['seconds']:>8.2f} | {args.rows / r['seconds']:>11,.0f} | "
                  f"{r['seconds'] / floor:>7.2f} | {r['cpu']:>7.2f} | {args.rows / r['cpu']:>10,.0f} | "
                  f"{r['peak_mb']:>8.0f} |")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Ingest on DuckDB: one parallel validation pass in source order, then the writes (ADR 0014).

1. The source is prepared (``sources``): UTF-8 files in place, GBK/GB18030 transcoded in one pass.
2. Pass 1: DuckDB reads the CSV in parallel, standardises, types and validates every row with the SQL of
   ``expr`` and writes typed values, the first failing rule (``_e``) and, for rejected rows, the source text to
   an uncompressed Parquet work file, in source order (``preserve_insertion_order``): a row's position there
   is its position among the parsed rows. Rows whose column count is wrong never reach the SELECT: DuckDB's
   reader puts them in its rejects table (``store_rejects``). Nothing in this pass may reorder rows (code
   lookups are a bitmap macro, not a join).
3. Duplicate keys among valid rows come from the keys alone (group by key, join back the later occurrences).
4. The valid, non-duplicate rows are written to the batch's Parquet file; the rejected rows and duplicates
   (a few percent) get their record number, rule, column and Chinese reason in the quarantine file.
   Statistics come from Parquet metadata and the quarantine.
5. ``Store.commit`` renames the files into place and records the batch in one manifest transaction.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from . import expr
from .schema import validate_schema
from .sources import Prepared, SourceError, display_url, is_database_url, prepare_database, prepare_file
from .store import BatchInfo, Store, empty_stats

Progress = Callable[[str], None] | None


class IngestError(ValueError):
    """An ingest that cannot run (missing columns, unreadable file, …); Chinese message."""


def division_codes() -> list[str]:
    """Valid 6-digit division codes, as ``identifiers.divisions`` accepts them."""
    from zhengshu.identifiers import divisions

    known = set(divisions.known_codes())
    for code in list(known):
        record = divisions.lookup(code)
        if record is not None and record.level == "地级":
            summary = code[:4] + "01"
            if summary not in known and divisions.municipal_district_parent(summary) is not None:
                known.add(summary)
    return sorted(known)


@contextmanager
def locked(store: Store):
    """One ingest at a time per store (the lock dies with the process)."""
    with open(store.root / "ingest.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def connect(work: Path, threads: int | None = None):
    """A DuckDB connection for one ingest: code tables loaded, ``_code_known`` defined.

    ``preserve_insertion_order`` stays on: the validation pass writes its rows to a Parquet work file in
    source order, so a row's position there is its position in the source (see ``_ingest``). ``_code_known`` tests a 6-digit code
    against a bitmap literal: a lookup that keeps that order (a join would not) and costs next to nothing.
    """
    import duckdb

    con = duckdb.connect(config={"threads": threads or os.cpu_count() or 1, "memory_limit": "3GB",
                                 "temp_directory": str(work / "spill"), "preserve_insertion_order": True})
    codes = division_codes()
    con.execute("CREATE TEMP TABLE _divcodes AS SELECT DISTINCT unnest(?::VARCHAR[]) AS code", [codes])
    bits = bytearray(b"0" * 1_000_000)
    for code in codes:
        if len(code) == 6 and code.isdigit():
            bits[int(code)] = ord("1")
    # Six digits exactly: the number's own text is the value (no sign, space, point or exponent).
    con.execute(f"CREATE TEMP MACRO _code_known(x) AS coalesce(CASE WHEN TRY_CAST(x AS INTEGER) BETWEEN 100000 "
                f"AND 999999 AND CAST(TRY_CAST(x AS INTEGER) AS VARCHAR) = x "
                f"THEN get_bit('{bits.decode()}'::BIT, TRY_CAST(x AS INTEGER)) = 1 END, false)")
    return con


def _csv_options(prep: Prepared) -> str:
    cols = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(prep.header)))
    delim = prep.delimiter.replace("'", "''")
    return (f"header=true, delim='{delim}', quote='\"', escape='\"', columns={{{cols}}}, strict_mode=true, "
            f"store_rejects=true, rejects_table='_rej', rejects_scan='_rejscan', max_line_size=4194304")


# The validated rows are a work file read once more and deleted: written fast rather than small.
WORK_COMPRESSION = "uncompressed"


def batch_id_for(resource: str, fingerprint_hint: str) -> str:
    now = dt.datetime.now(dt.UTC)
    tail = hashlib.sha256(f"{resource}\0{fingerprint_hint}\0{time.time_ns()}".encode()).hexdigest()[:10]
    return f"{now:%Y%m%dT%H%M%S}-{tail}"


def ingest(path, resource: str, schema: dict, store: Store, progress: Progress = None, *,
           table: str | None = None, watermark: str | None = None, threads: int | None = None) -> dict:
    """Ingest a file (or a database table, when ``path`` is a database URL) into ``store``.

    Returns ``{"batch_id", "read", "accepted", "rejected", "seconds"}``; for content already committed
    the earlier batch's figures with ``"existing": True``.
    """
    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    schema = validate_schema(schema)
    if schema["resource"] != resource:
        raise IngestError(f"数据项定义属于资源 {schema['resource']}，与 --resource {resource} 不一致")
    with locked(store):
        store.sweep()
        batch_id = batch_id_for(resource, str(path))
        work = store.work_dir(batch_id)
        try:
            return _ingest(path, resource, schema, store, batch_id, work, say, started, table, watermark, threads)
        except BaseException:
            store.discard(batch_id)
            raise


def _existing(info: BatchInfo, started: float) -> dict:
    return {"batch_id": info.batch_id, "read": info.read, "accepted": info.accepted, "rejected": info.rejected,
            "seconds": round(time.perf_counter() - started, 3), "existing": True}


def _ingest(path, resource, schema, store: Store, batch_id, work: Path, say, started, table, watermark_col,
            threads) -> dict:
    say("读取来源")
    try:
        if is_database_url(str(path)):
            if not table:
                raise IngestError("从数据库归集需要指定表名（--table）")
            since = store.watermark(resource, f"{display_url(str(path))}#{table}") if watermark_col else None
            prep = prepare_database(str(path), table, watermark_col, since, work)
        else:
            prep = prepare_file(Path(path), work)
    except SourceError as exc:
        raise IngestError(str(exc)) from None
    if prep.fingerprint is not None and (earlier := store.find_fingerprint(resource, prep.fingerprint)):
        say(f"内容与已归集的批次 {earlier.batch_id} 相同，不重复归集")
        store.discard(batch_id)
        return _existing(earlier, started)

    plan = expr.build_plan(schema, prep.header)
    missing = [f"“{i['label']}”（{i['name']}）" for i in schema["items"]
               if i["required"] and i["name"] not in plan.matched]
    if missing:
        raise IngestError(f"文件 {prep.source_name} 缺少必填数据项的列：{'、'.join(missing)}；表头为：{'、'.join(prep.header)}")

    con = connect(work, threads)
    try:
        say("标准化并校验")
        names = ", ".join(plan.item_names())
        # Pass 1, parallel and in source order: every row standardised, typed and judged, written to one
        # Parquet file in source order (a stream: memory stays bounded however long the file); a row's
        # position in that file (``_r``) is its position among the parsed rows. Rejected rows keep their
        # source text (``_raw``).
        source = f"read_csv('{_sql_path(prep.path)}', {_csv_options(prep)}) AS src"
        validated = work / "validated.parquet"
        try:
            con.execute(f"COPY (WITH {plan.stages(source, carry='')} SELECT {names}, _e0 AS _e, "
                        f"CASE WHEN _e0 <> 0 THEN {plan.raw_list()} END AS _raw FROM val) "
                        f"TO '{_sql_path(validated)}' (FORMAT parquet, COMPRESSION {WORK_COMPRESSION}, "
                        f"ROW_GROUP_SIZE 122880)")
        except Exception as exc:  # DuckDB's IO/conversion errors
            raise IngestError(f"读取文件 {prep.source_name} 失败：{str(exc).splitlines()[0]}") from None
        con.execute(f"CREATE TEMP VIEW _v AS SELECT *, file_row_number AS _r FROM "
                    f"read_parquet('{_sql_path(validated)}', file_row_number = true)")
        # Pass 2: key duplicates among the valid rows (the first occurrence is kept), from the keys alone.
        keys = plan.schema["key"]
        if keys:
            on = " AND ".join(f"v.{k} IS NOT DISTINCT FROM k.{k}" for k in keys)
            con.execute(f"CREATE TEMP TABLE _dup AS WITH k AS (SELECT {', '.join(keys)}, min(_r) AS _first "
                        f"FROM _v WHERE _e = 0 GROUP BY ALL HAVING count(*) > 1) "
                        f"SELECT v._r AS r, k._first AS _first FROM _v AS v JOIN k ON {on} "
                        f"WHERE v._e = 0 AND v._r > k._first")
        else:
            con.execute("CREATE TEMP TABLE _dup (r BIGINT, _first BIGINT)")
        say("写入 Parquet")
        accepted_path = work / "accepted.parquet"
        # _ord: the row's position among the parsed rows (a ragged row is not parsed; the quarantine turns
        # positions into record numbers, which would cost an ASOF join over every accepted row here).
        rows = f"SELECT {names}, _r + 1 AS _ord FROM _v WHERE _e = 0 AND _r NOT IN (SELECT r FROM _dup)"
        con.execute(f"COPY ({rows}) TO '{_sql_path(accepted_path)}' "
                    f"(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 262144)")
        if _count(con, accepted_path) == 0:
            accepted_path.unlink()
            accepted_path = None
        say("整理拒收明细")
        quarantine_path, rejected, rule_counts, item_bad, item_nulls_rejected = _quarantine(con, plan, prep, work)
        accepted = _count(con, accepted_path)
        nulls = _null_counts(con, accepted_path, plan)
        stats = empty_stats()
        for item in schema["items"]:
            n = item["name"]
            stats["items"][n] = {"nulls": nulls.get(n, 0) + item_nulls_rejected.get(n, 0),
                                 "invalid": item_bad.get(n, 0)}
        stats["rules"] = rule_counts
        stats["duplicates"] = rule_counts.get("duplicate", 0)
        stats["ragged"] = rule_counts.get("ragged", 0)
        new_versions = _new_versions(con, store, resource, schema, accepted_path)
        stats["new_versions"] = new_versions
    finally:
        con.close()
    fingerprint = prep.wait_fingerprint()
    if earlier := store.find_fingerprint(resource, fingerprint):
        say(f"内容与已归集的批次 {earlier.batch_id} 相同，不重复归集")
        store.discard(batch_id)
        return _existing(earlier, started)
    seconds = round(time.perf_counter() - started, 3)
    info = BatchInfo(batch_id, resource, prep.source_name, fingerprint, dt.datetime.now(dt.UTC),
                     accepted + rejected, accepted, rejected, seconds, stats)
    say("提交批次")
    committed = store.commit(info, accepted_path, quarantine_path,
                             new_records=accepted - new_versions if schema["key"] else accepted,
                             watermark=prep.watermark)
    if committed.batch_id != batch_id:
        return _existing(committed, started)
    return {"batch_id": batch_id, "read": accepted + rejected, "accepted": accepted, "rejected": rejected,
            "seconds": seconds}


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _files_sql(files: list[Path]) -> str:
    return "[" + ", ".join(f"'{_sql_path(f)}'" for f in files) + "]"


def _count(con, path: Path | None) -> int:
    if path is None:
        return 0
    return int(con.execute(f"SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata('{_sql_path(path)}')")
               .fetchone()[0])


def _null_counts(con, path: Path | None, plan: expr.Plan) -> dict[str, int]:
    if path is None:
        return {}
    rows = con.execute(f"SELECT path_in_schema, sum(stats_null_count) FROM parquet_metadata('{_sql_path(path)}') "
                       f"GROUP BY path_in_schema").fetchall()
    names = set(plan.item_names())
    return {str(p): int(n or 0) for p, n in rows if str(p) in names}


def _ragged_rows(con) -> int:
    """Tables ``_ragged`` (rows whose column count is wrong, from DuckDB's rejects table) and ``_shiftc``.

    A parsed row's ordinal o (``_r`` + 1 in ``_v``) becomes its record number o + k by an ASOF join on
    ``_shiftc(t, k)``: k ragged rows come before every parsed ordinal above t. Returns the ragged count.
    """
    # ``line`` counts the header as line 1.
    con.execute("CREATE TEMP TABLE _ragged AS SELECT line - 1 AS r, arg_min(error_type, column_idx) AS error_type, "
                "arg_min(csv_line, column_idx) AS csv_line, arg_min(error_message, column_idx) AS error_message "
                "FROM _rej WHERE line IS NOT NULL GROUP BY line")
    con.execute("CREATE TEMP TABLE _shift AS SELECT r - row_number() OVER (ORDER BY r) AS t FROM "
                "(SELECT DISTINCT r FROM _ragged)")
    con.execute("CREATE TEMP TABLE _shiftc AS SELECT t, sum(n) OVER (ORDER BY t) AS k FROM "
                "(SELECT t, count(*) AS n FROM _shift GROUP BY t)")
    return int(con.execute("SELECT count(*) FROM _ragged").fetchone()[0])


def _quarantine(con, plan: expr.Plan, prep: Prepared, work: Path):
    """Write the quarantine Parquet; returns (path | None, rejected, rule counts, invalid per item, nulls)."""
    d = plan.dialect
    n_cols = len(prep.header)
    _ragged_rows(con)
    # Rejected rows with their source text, and the duplicates, whose text was not kept (they passed every
    # rule): their values as read after standardisation stand in for it.
    matched = {index: name for name, index in plan.matched.items()}
    typed_text = "[" + ", ".join(f"CAST(v.{matched[i]} AS VARCHAR)" if i in matched else "CAST(NULL AS VARCHAR)"
                                 for i in range(len(prep.header))) + "]"
    con.execute(f"CREATE TEMP VIEW _q AS SELECT _r + 1 AS _ord, _e, _raw, CAST(NULL AS BIGINT) AS _first "
                f"FROM _v WHERE _e <> 0 UNION ALL SELECT d.r + 1, {plan.dup_code}, {typed_text}, d._first + 1 "
                f"FROM _dup AS d JOIN _v AS v ON v._r = d.r")
    unpack = ", ".join(f"_raw[{i + 1}] AS c{i}" for i in range(n_cols))
    rule_case = "CASE _e " + " ".join(f"WHEN {c.code} THEN {d.lit(c.rule)}" for c in plan.checks) + \
        f" WHEN {plan.dup_code} THEN 'duplicate' END"
    col_case = ("CASE val._e " + " ".join(f"WHEN {c.code} THEN {d.lit(c.item['label'])}" for c in plan.checks)
                + " END") if plan.checks else "CAST(NULL AS VARCHAR)"
    headers = "[" + ", ".join(d.lit(h) for h in prep.header) + "]"
    dup_reason = (f"CASE WHEN q._dupfirst IS NOT NULL THEN "
                  f"{d.lit('主键（' + '、'.join(plan.key_labels()) + '）与本批第')} || "
                  f"CAST(q._dupfirst + coalesce(s2.k, 0) AS VARCHAR) || '行重复，保留首次出现的行' ELSE q._reason0 END")
    source = f"(SELECT _ord, _e, _raw, _first, {unpack} FROM _q) AS src"
    stages = plan.stages(source, carry="_ord, _e, _raw, _first")
    nulls_sel = ", ".join(f"count(*) FILTER (WHERE s_{n} IS NULL) AS n_{n}" for n in plan.item_names())
    target = work / "quarantine.parquet"
    s_cols = ", ".join("s_" + n for n in plan.item_names())
    con.execute(f"CREATE TEMP TABLE _qpre AS WITH {stages} SELECT "
                f"val._ord AS _o, {col_case} AS _column, "
                f"{rule_case.replace('_e', 'val._e', 1)} AS _rule, {plan.reason_case('val._e')} AS _reason0, "
                f"val._first AS _dupfirst, map({headers}, val._raw) AS _raw{', ' + s_cols if s_cols else ''} "
                f"FROM val")
    con.execute(f"CREATE TEMP TABLE _qrows AS SELECT q._o + coalesce(s1.k, 0) AS _row, q._column, q._rule, "
                f"{dup_reason} AS _reason, q._raw{', ' + s_cols if s_cols else ''} FROM _qpre AS q "
                f"ASOF LEFT JOIN _shiftc AS s1 ON q._o > s1.t ASOF LEFT JOIN _shiftc AS s2 ON q._dupfirst > s2.t")
    nulls_row = con.execute(f"SELECT {nulls_sel} FROM _qrows").fetchone() if plan.item_names() else ()
    item_nulls = dict(zip(plan.item_names(), (int(v) for v in nulls_row)))
    con.execute(
        f"COPY (SELECT _row, _column, _rule, _reason, _raw FROM _qrows UNION ALL "
        f"SELECT r, NULL, 'ragged', '第' || CAST(r AS VARCHAR) || '行' || "
        f"CASE error_type WHEN 'MISSING COLUMNS' THEN '列数少于表头' WHEN 'TOO MANY COLUMNS' THEN '列数多于表头' "
        f"ELSE '无法解析' END || '（表头{n_cols}列）：' || error_message, "
        f"map(['原始行'], [csv_line]) FROM _ragged ORDER BY 1) TO '{_sql_path(target)}' "
        f"(FORMAT parquet, COMPRESSION zstd)")
    counts = dict(con.execute(f"SELECT _rule, count(*) FROM read_parquet('{_sql_path(target)}') GROUP BY 1")
                  .fetchall())
    rejected = sum(counts.values())
    by_item = {c.item["name"]: 0 for c in plan.checks}
    for code, n in con.execute("SELECT CAST(_e AS INTEGER), count(*) FROM _q GROUP BY 1").fetchall():
        if code and code != plan.dup_code and plan.checks[code - 1].rule != "required":
            name = plan.checks[code - 1].item["name"]
            by_item[name] = by_item.get(name, 0) + n
    if rejected == 0:
        target.unlink(missing_ok=True)
        return None, 0, {}, by_item, item_nulls
    return target, rejected, {str(k): int(v) for k, v in counts.items()}, by_item, item_nulls


def _new_versions(con, store: Store, resource: str, schema: dict, accepted: Path | None) -> int:
    keys = schema["key"]
    earlier = [p for p in store.accepted_files(resource) if p.exists()]
    if not keys or accepted is None or not earlier:
        return 0
    cols = ", ".join(keys)
    sql = (f"SELECT count(*) FROM (SELECT {cols} FROM read_parquet('{_sql_path(accepted)}')) AS n "
           f"SEMI JOIN (SELECT DISTINCT {cols} FROM read_parquet({_files_sql(earlier)}, union_by_name=true)) AS o "
           f"ON " + " AND ".join(f"n.{k} = o.{k}" for k in keys))
    return int(con.execute(sql).fetchone()[0])

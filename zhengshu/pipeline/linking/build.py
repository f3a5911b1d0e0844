"""The archive build: link every record of the configured resources to an enterprise, in DuckDB SQL.

One code path serves the full and the incremental build: a full build is an incremental build from an empty
previous generation with every committed batch new. What a build reads and writes (``<root>`` is
``DATA_DIR/archive``)::

    <root>/CURRENT                      the name of the current generation (replaced atomically)
    <root>/gen-000042/links.parquet     one row per current record: rid, cat, bid, ord, uscc, method, org, name,
                                        name_raw (lineage: resource = rid, batch = bid, record = ord)
    <root>/gen-000042/enterprises.parquet   one row per enterprise: counts per category, registration facts,
                                        each fact a struct {v, rid, bid, ord} (its lineage)
    <root>/gen-000042/names.parquet     the name index: (normalised name, USCC, supporting records)
    <root>/gen-000042/review.parquet    near matches awaiting a decision, with their evidence
    <root>/gen-000042/state.json        rid → resource, bid → batch, the decisions applied, the figures

Linking of one record, in this order: its USCC; else its 组织机构代码 (an ``org_code`` item, or a 9-character
code in the USCC item) against characters 9–17 of the known USCCs, when exactly one enterprise has it; else a
confirmed review decision for its normalised name; else its normalised name when exactly one enterprise in the
name index carries it. Everything else stays unlinked; unlinked names one edit away from an indexed name (or
carried by two enterprises) become review candidates.

Incremental: a new batch supersedes the earlier versions of its keys; the name index and the set of known
USCCs are updated by difference; only the new records and the earlier records whose name or organisation code
now resolves differently are (re)linked, and only the enterprises of changed rows have their profile recomputed
(``touched``). The result equals a full build (a test holds them equal).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

from zhengshu.pipeline.store import Store

from .lake import LakeBatch, committed_batches
from .names import name_sql, org_sql, uscc_sql
from .sources import CATEGORIES, FACTS, Decision, Source, sources_fingerprint

STATE = "state.json"
CURRENT = "CURRENT"
FORMAT = 1
_CATS = ", ".join(f"c{i}" for i in range(len(CATEGORIES)))


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


# -- generations --------------------------------------------------------------------------------------------


class Generation:
    """One finished build: its directory and state."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.state = json.loads((self.path / STATE).read_text(encoding="utf-8"))

    def file(self, name: str) -> Path:
        return self.path / f"{name}.parquet"

    @property
    def resources(self) -> list[str]:
        return self.state["resources"]

    @property
    def batches(self) -> list[str]:
        return self.state["batches"]


def current_generation(root: Path | str) -> Generation | None:
    pointer = Path(root) / CURRENT
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = Path(root) / name
    return Generation(path) if (path / STATE).exists() else None


@contextmanager
def _lock(root: Path):
    with open(root / "build.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _connect(work: Path, memory_limit: str, threads: int | None) -> duckdb.DuckDBPyConnection:
    config = {"memory_limit": memory_limit, "temp_directory": str(work / "spill"), "preserve_insertion_order": False}
    if threads:
        config["threads"] = threads
    return duckdb.connect(config=config)


# -- the build ----------------------------------------------------------------------------------------------


def build(root: Path | str, store: Store, sources: list[Source], decisions: list[Decision] = (), *,
          full: bool = False, memory_limit: str = "4GB", threads: int | None = None,
          keep: int = 2) -> dict:
    """Build (or update) the archive under ``root``; returns the figures.

    ``{"enterprises", "linked", "unlinked", "review", "touched", "batches", "full", "generation", "seconds"}``;
    ``batches`` = new batches read, ``touched`` = enterprises whose profile was recomputed; ``steps`` gives each
    step's [wall, CPU] seconds.
    """
    started = time.perf_counter()
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    with _lock(root):
        prev = None if full else current_generation(root)
        fingerprint = sources_fingerprint(sources)
        by_res = {s.resource: s for s in sources if s.link_items()}
        batches = committed_batches(store, set(by_res))
        if prev is not None and (prev.state.get("sources") != fingerprint or prev.state.get("format") != FORMAT
                                 or not set(prev.batches) <= {b.batch_id for b in batches}):
            prev = None  # the configuration changed (or the lake lost a batch): rebuild everything
        resources = list(prev.resources) if prev else []
        bids = list(prev.batches) if prev else []
        for code in sorted(by_res):
            if code not in resources:
                resources.append(code)
        known = set(bids)
        new = [b for b in batches if b.batch_id not in known]
        bids.extend(b.batch_id for b in new)
        dec = _decisions(decisions)
        if prev is not None and not new and dec == prev.state.get("decisions"):
            return {**prev.state["figures"], "touched": 0, "batches": 0, "full": False,
                    "generation": prev.path.name, "seconds": round(time.perf_counter() - started, 3)}
        number = int(prev.path.name.split("-")[1]) + 1 if prev else _next_number(root)
        out = root / f"gen-{number:06d}"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        con = _connect(out, memory_limit, threads)
        try:
            figures = _Build(con, out, prev, by_res, resources, bids, new, batches, dec).run()
        except BaseException:
            con.close()
            shutil.rmtree(out, ignore_errors=True)
            raise
        con.close()
        shutil.rmtree(out / "spill", ignore_errors=True)
        state = {"format": FORMAT, "sources": fingerprint, "resources": resources, "batches": bids,
                 "decisions": dec, "figures": {k: figures[k] for k in ("enterprises", "linked", "unlinked", "review")},
                 "categories": list(CATEGORIES), "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        (out / STATE).write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        _fsync_tree(out)
        tmp = root / (CURRENT + ".tmp")
        tmp.write_text(out.name, encoding="utf-8")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, root / CURRENT)
        _prune(root, out.name, keep)
        figures.update(batches=len(new), full=prev is None, generation=out.name,
                       seconds=round(time.perf_counter() - started, 3))
        return figures


def _decisions(decisions) -> list[list]:
    """Decisions as a sorted list; for one (name, USCC) the latest (highest seq) answer counts."""
    latest: dict[tuple[str, str], Decision] = {}
    for d in decisions:
        old = latest.get((d.name, d.uscc))
        if old is None or d.seq >= old.seq:
            latest[(d.name, d.uscc)] = d
    return sorted([d.name, d.uscc, bool(d.confirmed), int(d.seq)] for d in latest.values())


def _next_number(root: Path) -> int:
    numbers = [int(p.name.split("-")[1]) for p in root.glob("gen-*") if p.name.split("-")[1].isdigit()]
    return max(numbers, default=0) + 1


def _fsync_tree(path: Path) -> None:
    for file in path.iterdir():
        if file.is_file():
            with open(file, "rb") as handle:
                os.fsync(handle.fileno())
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune(root: Path, current: str, keep: int) -> None:
    """Remove generations older than the ``keep`` newest (the current one included); readers of the previous
    generation keep their files until the next build."""
    gens = sorted(p.name for p in root.glob("gen-*") if p.is_dir() and p.name <= current)
    for name in gens[:-max(keep, 1)]:
        shutil.rmtree(root / name, ignore_errors=True)


class _Build:
    """The SQL of one build, step by step (see the module docstring)."""

    def __init__(self, con, out: Path, prev: Generation | None, by_res: dict[str, Source], resources: list[str],
                 bids: list[str], new: list[LakeBatch], batches: list[LakeBatch], dec: list[list]):
        self.con, self.out, self.prev, self.by_res = con, out, prev, by_res
        self.rid = {code: i for i, code in enumerate(resources)}
        self.bid = {b: i for i, b in enumerate(bids)}
        self.new, self.batches, self.dec = new, batches, dec
        self.prev_bids = set(prev.batches) if prev else set()

    def sql(self, text: str, params=None):
        return self.con.execute(text, params or [])

    def run(self) -> dict:
        steps: dict[str, float] = {}
        touched = 0
        for step in (self._tables, self._extract, self._supersede, self._direct_delta, self._indexes, self._relink,
                     self._write_links, self._counts, self._facts, self._write_enterprises, self._write_names,
                     self._review):
            started, cpu = time.perf_counter(), time.process_time()
            result = step()
            if step == self._counts:
                touched = result
            steps[step.__name__.strip("_")] = [round(time.perf_counter() - started, 3),
                                               round(time.process_time() - cpu, 3)]
        linked, unlinked = self.sql(
            f"SELECT count(uscc), count(*) - count(uscc) FROM read_parquet({lit(self.out / 'links.parquet')})"
        ).fetchone()
        enterprises = self.sql(f"SELECT count(*) FROM read_parquet({lit(self.out / 'enterprises.parquet')})"
                               ).fetchone()[0]
        review = self.sql(f"SELECT count(*) FROM read_parquet({lit(self.out / 'review.parquet')})").fetchone()[0]
        return {"enterprises": int(enterprises), "linked": int(linked), "unlinked": int(unlinked),
                "review": int(review), "touched": int(touched), "steps": steps}

    # -- inputs ---------------------------------------------------------------------------------------------
    def _tables(self) -> None:
        rows = [(self.rid[code], CATEGORIES.index(s.category), s.authority, s.name_index)
                for code, s in self.by_res.items()]
        self.sql("CREATE TEMP TABLE src (rid USMALLINT, cat UTINYINT, authority INTEGER, names BOOLEAN)")
        if rows:
            self.sql("INSERT INTO src VALUES " + ", ".join("(?, ?, ?, ?)" for _ in rows),
                     [v for row in rows for v in row])
        self.sql("CREATE TEMP TABLE dec AS SELECT * FROM (VALUES (NULL::VARCHAR, NULL::VARCHAR, NULL::BOOLEAN, "
                 "NULL::BIGINT)) t(name, uscc, confirmed, seq) WHERE false")
        if self.dec:
            self.sql("INSERT INTO dec VALUES " + ", ".join("(?, ?, ?, ?)" for _ in self.dec),
                     [v for row in self.dec for v in row])
        links_cols = ("rid USMALLINT, cat UTINYINT, bid UINTEGER, ord BIGINT, uscc VARCHAR, method UTINYINT, "
                      "org VARCHAR, name VARCHAR, name_raw VARCHAR")
        if self.prev:
            self.sql(f"CREATE TEMP VIEW olinks AS SELECT * FROM read_parquet({lit(self.prev.file('links'))})")
            self.sql(f"CREATE TEMP VIEW oent AS SELECT * FROM read_parquet({lit(self.prev.file('enterprises'))})")
            self.sql(f"CREATE TEMP VIEW onames AS SELECT * FROM read_parquet({lit(self.prev.file('names'))})")
        else:
            self.sql(f"CREATE TEMP TABLE olinks ({links_cols})")
            self.sql("CREATE TEMP TABLE onames (name VARCHAR, uscc VARCHAR, n BIGINT)")
            fact_cols = ", ".join(f"{f} STRUCT(v VARCHAR, rid USMALLINT, bid UINTEGER, ord BIGINT)" for f in FACTS)
            cats = ", ".join(f"c{i} BIGINT" for i in range(len(CATEGORIES)))
            self.sql(f"CREATE TEMP TABLE oent (uscc VARCHAR, org VARCHAR, name_norm VARCHAR, n_direct BIGINT, "
                     f"n_total BIGINT, {cats}, {fact_cols})")

    def _keyed(self, resource: str) -> bool:
        """Whether this build must compare keys of ``resource`` (earlier batches, or several new ones)."""
        if not self.by_res[resource].key_items():
            return False
        mine = [b for b in self.new if b.resource == resource]
        earlier = [b for b in self.batches if b.resource == resource and b.batch_id in self.prev_bids]
        return len(mine) > 1 or (bool(mine) and bool(earlier))

    def _key_sql(self, source: Source) -> str:
        keys = source.key_items()
        if len(keys) == 1:
            return f"CAST({q(keys[0])} AS VARCHAR)"
        return "concat_ws('|', " + ", ".join(f"coalesce(CAST({q(k)} AS VARCHAR), '')" for k in keys) + ")"

    def _select(self, batch: LakeBatch, with_key: bool) -> str:
        source = self.by_res[batch.resource]
        links = source.link_items()
        rid, bid = self.rid[batch.resource], self.bid[batch.batch_id]
        cat = CATEGORIES.index(source.category)
        u, o, n = links.get("uscc"), links.get("org_code"), links.get("enterprise_name")
        uscc = uscc_sql(q(u["name"]), u.get("check") == "uscc") if u else "NULL::VARCHAR"
        orgs = [org_sql("_o")] if o else []
        if u:
            orgs.append(f"(CASE WHEN length(_u) BETWEEN 9 AND 11 THEN {org_sql('_u')} END)")
        org = f"coalesce({', '.join(orgs)})" if orgs else "NULL::VARCHAR"
        inner = ", ".join([
            "_ord AS ord", f"{uscc} AS uscc", f"{q(u['name']) if u else 'NULL::VARCHAR'} AS _u",
            f"{q(o['name']) if o else 'NULL::VARCHAR'} AS _o", f"{q(n['name']) if n else 'NULL::VARCHAR'} AS _n",
            f"{self._key_sql(source) if with_key else 'NULL::VARCHAR'} AS key",
        ])
        head = f"SELECT {rid}::USMALLINT AS rid, {cat}::UTINYINT AS cat, {bid}::UINTEGER AS bid, ord, key"
        scan = f"(SELECT {inner} FROM read_parquet({lit(batch.path)}))"
        # Two branches, so that the name and code expressions run only on the rows that need them (a CASE over
        # every row costs twice as much).
        direct_name = name_sql("_n") if source.name_index else "NULL::VARCHAR"
        return (f"{head}, uscc, NULL::VARCHAR AS org, {direct_name} AS name, NULL::VARCHAR AS name_raw "
                f"FROM {scan} WHERE uscc IS NOT NULL UNION ALL "
                f"{head}, NULL::VARCHAR AS uscc, {org} AS org, {name_sql('_n')} AS name, _n AS name_raw "
                f"FROM {scan} WHERE uscc IS NULL")

    def _extract(self) -> None:
        """``nrec``: the link keys of the new batches. When no key must be compared (no resource has earlier
        batches or several new ones) it stays a view over the Parquet files: each later step re-reads the few
        columns it needs, which is cheaper than materialising tens of millions of rows."""
        parts = [self._select(b, self._keyed(b.resource)) for b in self.new if b.path is not None]
        cols = ("rid USMALLINT, cat UTINYINT, bid UINTEGER, ord BIGINT, key VARCHAR, uscc VARCHAR, org VARCHAR, "
                "name VARCHAR, name_raw VARCHAR")
        keyed = any(self._keyed(r) for r in {b.resource for b in self.new})
        if not keyed and 0 < len(parts) <= 512:
            self.sql(f"CREATE TEMP VIEW nrec AS {' UNION ALL '.join(parts)}")
            return
        self.sql(f"CREATE TEMP TABLE nrec ({cols})")
        for start in range(0, len(parts), 64):
            self.sql("INSERT INTO nrec " + " UNION ALL ".join(parts[start:start + 64]))
        # Several new batches of one resource: only the newest version of a key stays.
        self.sql("DELETE FROM nrec USING (SELECT rid, key, max(bid) AS mb FROM nrec WHERE key IS NOT NULL "
                 "GROUP BY ALL HAVING count(*) > 1) AS m WHERE nrec.rid = m.rid AND nrec.key = m.key "
                 "AND nrec.bid < m.mb")

    def _supersede(self) -> None:
        """``supl``: rows of the previous generation whose key a new batch carries again (older versions)."""
        parts = []
        for resource in {b.resource for b in self.new}:
            if not self._keyed(resource):
                continue
            source = self.by_res[resource]
            for b in self.batches:
                if b.resource == resource and b.batch_id in self.prev_bids and b.path is not None:
                    parts.append(f"SELECT {self.rid[resource]}::USMALLINT AS rid, {self.bid[b.batch_id]}::UINTEGER "
                                 f"AS bid, _ord AS ord, {self._key_sql(source)} AS key "
                                 f"FROM read_parquet({lit(b.path)})")
        if parts:
            self.sql(f"CREATE TEMP TABLE supl AS SELECT l.* FROM olinks AS l JOIN (SELECT o.rid, o.bid, o.ord FROM "
                     f"({' UNION ALL '.join(parts)}) AS o SEMI JOIN (SELECT DISTINCT rid, key FROM nrec "
                     f"WHERE key IS NOT NULL) AS n ON o.rid = n.rid AND o.key = n.key) AS s "
                     f"ON l.rid = s.rid AND l.bid = s.bid AND l.ord = s.ord")
        else:
            self.sql("CREATE TEMP TABLE supl AS SELECT * FROM olinks WHERE false")

    # -- enterprises and indexes ----------------------------------------------------------------------------
    def _cat_sums(self, sign: str = "s") -> str:
        return ", ".join(f"coalesce(sum({sign}) FILTER (WHERE cat = {i}), 0)::BIGINT AS c{i}"
                         for i in range(len(CATEGORIES)))

    def _direct_delta(self) -> None:
        """Record counts per enterprise from rows linked by their own USCC (new minus superseded)."""
        counts = ", ".join(f"count(*) FILTER (WHERE cat = {i}) AS c{i}" for i in range(len(CATEGORIES)))
        self.sql(f"CREATE TEMP TABLE dd AS SELECT uscc, count(*) AS n_direct, count(*) AS n_total, {counts} "
                 f"FROM nrec WHERE uscc IS NOT NULL GROUP BY uscc")
        if self.sql("SELECT count(*) FROM supl WHERE method = 1").fetchone()[0]:
            sums = ", ".join(f"sum(c{i})::BIGINT AS c{i}" for i in range(len(CATEGORIES)))
            self.sql(f"CREATE OR REPLACE TEMP TABLE dd AS SELECT uscc, sum(n_direct)::BIGINT AS n_direct, "
                     f"sum(n_total)::BIGINT AS n_total, {sums} FROM (SELECT * FROM dd UNION ALL "
                     f"SELECT uscc, -count(*), -count(*), {counts.replace('count(*) FILTER', '-count(*) FILTER')} "
                     f"FROM supl WHERE method = 1 GROUP BY uscc) GROUP BY uscc")
        self.sql("CREATE TEMP TABLE ent AS SELECT uscc FROM (SELECT uscc, n_direct FROM oent UNION ALL "
                 "SELECT uscc, n_direct FROM dd) GROUP BY uscc HAVING sum(n_direct) > 0")
        # USCCs that appeared or vanished: their organisation codes must be resolved again.
        self.sql("CREATE TEMP TABLE echg AS SELECT uscc FROM (SELECT uscc FROM oent WHERE n_direct > 0) AS a "
                 "FULL JOIN ent AS b USING (uscc) WHERE a.uscc IS NULL OR b.uscc IS NULL")

    def _indexes(self) -> None:
        name_rids = ", ".join(str(self.rid[c]) for c, s in self.by_res.items() if s.name_index) or "NULL"
        self.sql("CREATE TEMP TABLE orgs AS SELECT substr(uscc, 9, 9) AS org, min(uscc) AS uscc, count(*) AS k "
                 "FROM ent GROUP BY 1")
        self.sql("CREATE TEMP TABLE names AS SELECT name, uscc, sum(n)::BIGINT AS n FROM ("
                 "SELECT name, uscc, n FROM onames UNION ALL "
                 f"SELECT name, uscc, 1 FROM nrec WHERE rid IN ({name_rids}) AND uscc IS NOT NULL "
                 "AND name IS NOT NULL UNION ALL "
                 "SELECT name, uscc, -1 FROM supl WHERE method = 1 AND name IS NOT NULL) "
                 "GROUP BY name, uscc HAVING sum(n) > 0")
        self.sql("CREATE TEMP TABLE nmap AS SELECT name, min(uscc) AS uscc, count(*) AS k FROM names GROUP BY name")
        self.sql("CREATE TEMP TABLE cdec AS SELECT name, uscc FROM dec SEMI JOIN ent USING (uscc) WHERE confirmed "
                 "QUALIFY row_number() OVER (PARTITION BY name ORDER BY seq DESC, uscc) = 1")

    def _relink(self) -> None:
        """``rel``: rows to (re)link — the new rows without a USCC and earlier rows whose keys now resolve
        differently (touched names, touched organisation codes, changed decisions)."""
        if self.prev:
            old_dec = {(n, u, c) for n, u, c, _s in self.prev.state.get("decisions", [])}
            now_dec = {(n, u, c) for n, u, c, _s in self.dec}
            self.sql("CREATE TEMP TABLE tdec (name VARCHAR)")
            changed = sorted({n for n, _u, _c in old_dec ^ now_dec})
            if changed:
                self.sql("INSERT INTO tdec VALUES " + ", ".join("(?)" for _ in changed), changed)
            self.sql("INSERT INTO tdec SELECT name FROM dec SEMI JOIN echg USING (uscc)")
            self.sql("CREATE TEMP TABLE tnames AS SELECT DISTINCT name FROM (SELECT coalesce(a.name, b.name) AS name "
                     "FROM onames AS a FULL JOIN names AS b ON a.name = b.name AND a.uscc = b.uscc "
                     "WHERE a.name IS NULL OR b.name IS NULL UNION ALL SELECT name FROM tdec)")
            self.sql("CREATE TEMP TABLE torgs AS SELECT DISTINCT substr(uscc, 9, 9) AS org FROM echg")
            self.sql("CREATE TEMP TABLE ocur AS SELECT * FROM olinks ANTI JOIN supl USING (rid, bid, ord) "
                     "WHERE method <> 1")
            self.sql("CREATE TEMP TABLE relold AS SELECT * FROM ocur WHERE name IN (SELECT name FROM tnames) "
                     "OR org IN (SELECT org FROM torgs)")
        else:
            self.sql("CREATE TEMP TABLE relold AS SELECT * FROM olinks WHERE false")
        self.sql("CREATE TEMP TABLE rel AS SELECT r.rid, r.cat, r.bid, r.ord, "
                 "CASE WHEN o.k = 1 THEN o.uscc WHEN d.uscc IS NOT NULL THEN d.uscc WHEN m.k = 1 THEN m.uscc END "
                 "AS uscc, (CASE WHEN o.k = 1 THEN 2 WHEN d.uscc IS NOT NULL THEN 4 WHEN m.k = 1 THEN 3 ELSE 0 END)"
                 "::UTINYINT AS method, r.org, r.name, r.name_raw FROM ("
                 "SELECT rid, cat, bid, ord, org, name, name_raw FROM nrec WHERE uscc IS NULL UNION ALL "
                 "SELECT rid, cat, bid, ord, org, name, name_raw FROM relold) AS r "
                 "LEFT JOIN orgs AS o ON r.org = o.org LEFT JOIN cdec AS d ON r.name = d.name "
                 "LEFT JOIN nmap AS m ON r.name = m.name")

    def _write_links(self) -> None:
        kept = ("SELECT rid, cat, bid, ord, uscc, method, org, name, name_raw FROM olinks "
                "ANTI JOIN supl USING (rid, bid, ord) ANTI JOIN relold USING (rid, bid, ord)") if self.prev else None
        parts = ["SELECT rid, cat, bid, ord, uscc, 1::UTINYINT AS method, NULL::VARCHAR AS org, name, "
                 "NULL::VARCHAR AS name_raw FROM nrec WHERE uscc IS NOT NULL",
                 "SELECT rid, cat, bid, ord, uscc, method, org, name, name_raw FROM rel"]
        if kept:
            parts.insert(0, kept)
        self.sql(f"COPY ({' UNION ALL '.join(parts)}) TO {lit(self.out / 'links.parquet')} "
                 f"(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 262144)")

    def _counts(self) -> int:
        """Counts per enterprise = previous + direct delta + delta of (re)linked rows; returns touched."""
        self.sql(f"CREATE TEMP TABLE di AS SELECT uscc, sum(CASE WHEN method = 1 THEN s ELSE 0 END)::BIGINT AS "
                 f"n_direct, sum(s)::BIGINT AS n_total, {self._cat_sums()} FROM ("
                 f"SELECT uscc, cat, method, 1 AS s FROM rel WHERE uscc IS NOT NULL UNION ALL "
                 f"SELECT uscc, cat, method, -1 FROM relold WHERE uscc IS NOT NULL UNION ALL "
                 f"SELECT uscc, cat, method, -1 FROM supl WHERE uscc IS NOT NULL AND method <> 1) GROUP BY uscc")
        self.sql("CREATE TEMP TABLE te AS SELECT DISTINCT uscc FROM (SELECT uscc FROM dd UNION ALL "
                 "SELECT uscc FROM di)")
        sums = ", ".join(f"sum(c{i})::BIGINT AS c{i}" for i in range(len(CATEGORIES)))
        self.sql(f"CREATE TEMP TABLE cnt AS SELECT uscc, sum(n_direct)::BIGINT AS n_direct, "
                 f"sum(n_total)::BIGINT AS n_total, {sums} FROM ("
                 f"SELECT uscc, n_direct, n_total, {_CATS} FROM oent SEMI JOIN te USING (uscc) UNION ALL "
                 f"SELECT uscc, n_direct, n_total, {_CATS} FROM dd UNION ALL "
                 f"SELECT uscc, n_direct, n_total, {_CATS} FROM di) GROUP BY uscc HAVING sum(n_direct) > 0")
        return self.sql("SELECT count(*) FROM te").fetchone()[0]

    def _facts(self) -> None:
        """Registration facts of the touched enterprises: per fact the value of the most authoritative source,
        then the newest batch, then the last record; each with its lineage."""
        parts = []
        for code, source in self.by_res.items():
            facts = source.fact_items()
            if not facts:
                continue
            cols = ", ".join(f"CAST({q(facts[f])} AS VARCHAR) AS {f}" if f in facts else f"NULL::VARCHAR AS {f}"
                             for f in FACTS)
            for b in self.batches:
                if b.resource == code and b.path is not None and b.batch_id in self.bid:
                    parts.append(f"SELECT {self.rid[code]}::USMALLINT AS rid, {self.bid[b.batch_id]}::UINTEGER AS "
                                 f"bid, _ord AS ord, {cols} FROM read_parquet({lit(b.path)})")
        aggs = ", ".join(f"arg_min({{'v': {f}, 'rid': r.rid, 'bid': r.bid, 'ord': r.ord}}, "
                         f"(s.authority, -r.bid::BIGINT, -r.ord)) FILTER (WHERE {f} IS NOT NULL) AS {f}"
                         for f in FACTS)
        if not parts:
            nulls = ", ".join(f"NULL::STRUCT(v VARCHAR, rid USMALLINT, bid UINTEGER, ord BIGINT) AS {f}"
                              for f in FACTS)
            self.sql(f"CREATE TEMP TABLE facts AS SELECT NULL::VARCHAR AS uscc, {nulls} WHERE false")
            return
        fact_rids = ", ".join(str(self.rid[c]) for c, s in self.by_res.items() if s.fact_items())
        linked = [f"SELECT rid, bid, ord, uscc FROM {t} WHERE rid IN ({fact_rids}) AND uscc IS NOT NULL"
                  for t in ("nrec", "rel")]
        if self.prev:
            linked.append(f"SELECT rid, bid, ord, uscc FROM olinks ANTI JOIN supl USING (rid, bid, ord) "
                          f"ANTI JOIN relold USING (rid, bid, ord) WHERE rid IN ({fact_rids}) AND uscc IS NOT NULL")
        self.sql(f"CREATE TEMP TABLE facts AS SELECT l.uscc, {aggs} FROM ({' UNION ALL '.join(parts)}) AS r "
                 f"JOIN ({' UNION ALL '.join(linked)}) AS l ON r.rid = l.rid AND r.bid = l.bid AND r.ord = l.ord "
                 f"SEMI JOIN te ON l.uscc = te.uscc JOIN src AS s ON s.rid = r.rid GROUP BY l.uscc")

    def _write_enterprises(self) -> None:
        fact_cols = ", ".join(f"f.{f}" for f in FACTS)
        norm = name_sql("struct_extract(f.name, 'v')")
        self.sql(f"COPY (SELECT * FROM oent ANTI JOIN te USING (uscc) UNION ALL "
                 f"SELECT c.uscc, substr(c.uscc, 9, 9) AS org, {norm} AS name_norm, "
                 f"c.n_direct, c.n_total, {', '.join(f'c.c{i}' for i in range(len(CATEGORIES)))}, {fact_cols} "
                 f"FROM cnt AS c LEFT JOIN facts AS f USING (uscc)) "
                 f"TO {lit(self.out / 'enterprises.parquet')} (FORMAT parquet, COMPRESSION zstd)")

    def _write_names(self) -> None:
        self.sql(f"COPY names TO {lit(self.out / 'names.parquet')} (FORMAT parquet, COMPRESSION zstd)")

    # -- review ---------------------------------------------------------------------------------------------
    def _review(self) -> None:
        """Near matches of the unlinked names (one edit away from an indexed name, or a name two enterprises
        carry), minus the pairs already decided. Blocking by symmetric deletion: two names one edit apart share
        a name-with-one-character-deleted (or one equals such a deletion of the other), so each name is joined
        on itself and its deletions only — exact for one edit, and the blocks stay small even though most
        Chinese company names end in the same few characters (which defeats blocking on halves)."""
        unlinked = ["SELECT rid, bid, ord, name, name_raw FROM rel WHERE method = 0 AND name IS NOT NULL"]
        if self.prev:
            unlinked.append("SELECT rid, bid, ord, name, name_raw FROM olinks ANTI JOIN supl USING (rid, bid, ord) "
                            "ANTI JOIN relold USING (rid, bid, ord) WHERE method = 0 AND name IS NOT NULL")
        self.sql(f"CREATE TEMP TABLE un AS SELECT name, count(*) AS records, any_value(name_raw) AS name_raw, "
                 f"list(DISTINCT rid ORDER BY rid) AS rids, min({{'rid': rid, 'bid': bid, 'ord': ord}}) AS sample "
                 f"FROM ({' UNION ALL '.join(unlinked)}) GROUP BY name")
        variants = ("SELECT name, name AS v FROM {t} UNION ALL SELECT name, left(name, p) || substr(name, p + 2) "
                    "FROM (SELECT name, unnest(range(length(name)::BIGINT)) AS p FROM {t} WHERE length(name) > 1)")
        self.sql(f"CREATE TEMP TABLE uvar AS {variants.format(t='un')}")
        self.sql("CREATE TEMP TABLE lens AS SELECT DISTINCT length(name) AS L FROM un")
        nvar = variants.format(t="(SELECT name FROM nmap SEMI JOIN lens ON abs(length(nmap.name) - lens.L) <= 1)")
        self.sql(f"CREATE TEMP TABLE near AS SELECT DISTINCT u.name, m.name AS cand FROM uvar AS u "
                 f"JOIN ({nvar}) AS m ON u.v = m.v WHERE u.name <> m.name AND levenshtein(u.name, m.name) = 1")
        self.sql(f"COPY (SELECT un.name, un.name_raw, un.records, un.rids, "
                 f"struct_extract(un.sample, 'rid') AS sample_rid, struct_extract(un.sample, 'bid') AS sample_bid, "
                 f"struct_extract(un.sample, 'ord') AS sample_ord, c.uscc, c.cand_name, c.distance, "
                 f"struct_extract(e.name, 'v') AS enterprise_name FROM un JOIN ("
                 f"SELECT near.name, names.uscc, near.cand AS cand_name, 1 AS distance FROM near "
                 f"JOIN names ON names.name = near.cand UNION ALL "
                 f"SELECT un.name, names.uscc, un.name, 0 FROM un JOIN names USING (name)) AS c USING (name) "
                 f"LEFT JOIN read_parquet({lit(self.out / 'enterprises.parquet')}) AS e ON e.uscc = c.uscc "
                 f"ANTI JOIN dec ON dec.name = c.name AND dec.uscc = c.uscc "
                 f"ORDER BY un.records DESC, un.name, c.uscc) TO {lit(self.out / 'review.parquet')} "
                 f"(FORMAT parquet, COMPRESSION zstd)")

"""Reading a finished archive: search, one enterprise with its lineage, its records, the review queue, export.

Every call reads the current generation's Parquet files with a short-lived DuckDB connection; a build that
finishes meanwhile switches ``CURRENT`` atomically and keeps the previous generation, so readers never see a
half-written archive.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb

from zhengshu.pipeline.store import Store

from .build import Generation, current_generation, lit, q
from .lake import committed_batches
from .names import normalize_name, normalize_org, normalize_uscc
from .sources import CATEGORIES, FACTS, METHODS, Source


def _rows(cur) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


class Archive:
    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.gen: Generation | None = current_generation(self.root)

    # -- basics ---------------------------------------------------------------------------------------------
    def __bool__(self) -> bool:
        return self.gen is not None

    def _con(self):
        return duckdb.connect(config={"memory_limit": "1GB", "threads": 1})

    def _query(self, sql: str, params=None) -> list[dict]:
        con = self._con()
        try:
            return _rows(con.execute(sql, params or []))
        finally:
            con.close()

    def _file(self, name: str) -> str:
        assert self.gen is not None
        return f"read_parquet({lit(self.gen.file(name))})"

    def figures(self) -> dict | None:
        if self.gen is None:
            return None
        return {**self.gen.state["figures"], "generation": self.gen.path.name, "built_at": self.gen.state["built_at"]}

    def resource(self, rid: int) -> str:
        return self.gen.resources[rid]

    def batch(self, bid: int) -> str:
        return self.gen.batches[bid]

    def _lineage(self, fact: dict | None) -> dict | None:
        if not fact or fact.get("v") is None:
            return None
        return {"value": fact["v"], "resource": self.resource(fact["rid"]), "batch": self.batch(fact["bid"]),
                "ord": int(fact["ord"])}

    def _enterprise(self, row: dict) -> dict:
        facts = {f: self._lineage(row.get(f)) for f in FACTS}
        return {
            "uscc": row["uscc"], "org_code": row["org"], "name": facts["name"]["value"] if facts["name"] else None,
            "records": int(row["n_total"]), "direct": int(row["n_direct"]),
            "by_category": {c: int(row[f"c{i}"]) for i, c in enumerate(CATEGORIES) if row[f"c{i}"]},
            "facts": facts,
        }

    # -- search and profile ---------------------------------------------------------------------------------
    def search(self, text: str, limit: int = 20) -> list[dict]:
        """By USCC, by 组织机构代码, or by (part of) the normalised name; registered names first."""
        if self.gen is None or not (text or "").strip():
            return []
        text = text.strip()
        uscc, org = normalize_uscc(text), normalize_org(text)
        if uscc:
            where, params = "uscc = ?", [uscc]
        elif org and any(ch.isdigit() for ch in org):
            where, params = "org = ?", [org]
        else:
            key = normalize_name(text) or text
            where, params = "contains(name_norm, ?)", [key]
        rows = self._query(f"SELECT * FROM {self._file('enterprises')} WHERE {where} "
                           f"ORDER BY length(name_norm), name_norm, uscc LIMIT {int(limit)}", params)
        return [self._enterprise(r) for r in rows]

    def enterprise(self, uscc: str) -> dict | None:
        if self.gen is None:
            return None
        rows = self._query(f"SELECT * FROM {self._file('enterprises')} WHERE uscc = ?", [uscc])
        return self._enterprise(rows[0]) if rows else None

    def links(self, uscc: str) -> list[dict]:
        """The enterprise's records: ``{"resource", "batch", "ord", "method", "category"}``."""
        if self.gen is None:
            return []
        rows = self._query(f"SELECT rid, bid, ord, method, cat, name_raw FROM {self._file('links')} "
                           f"WHERE uscc = ? ORDER BY rid, bid, ord", [uscc])
        return [{"resource": self.resource(r["rid"]), "batch": self.batch(r["bid"]), "ord": int(r["ord"]),
                 "method": METHODS[r["method"]], "category": CATEGORIES[r["cat"]], "name_raw": r["name_raw"]}
                for r in rows]

    def link_of(self, resource: str, batch: str, ord_: int) -> dict | None:
        if self.gen is None or resource not in self.gen.resources or batch not in self.gen.batches:
            return None
        rows = self._query(f"SELECT uscc, method FROM {self._file('links')} WHERE rid = ? AND bid = ? AND ord = ?",
                           [self.gen.resources.index(resource), self.gen.batches.index(batch), ord_])
        return {"uscc": rows[0]["uscc"], "method": METHODS[rows[0]["method"]]} if rows else None

    # -- records from the lake ------------------------------------------------------------------------------
    def records(self, uscc: str, store: Store, sources: dict[str, Source]) -> list[dict]:
        """Every current record of the enterprise with its values, key and date (for the timeline)."""
        links = self.links(uscc)
        paths = {b.batch_id: b.path for b in committed_batches(store, {lk["resource"] for lk in links})}
        by_batch: dict[str, list[dict]] = {}
        for link in links:
            by_batch.setdefault(link["batch"], []).append(link)
        out = []
        con = self._con()
        try:
            for batch, group in by_batch.items():
                source = sources.get(group[0]["resource"])
                path = paths.get(batch)
                if source is None or path is None:
                    continue
                ords = sorted({g["ord"] for g in group})
                rows = _rows(con.execute(f"SELECT * FROM read_parquet({lit(path)}) WHERE _ord IN "
                                         f"(SELECT unnest(?::BIGINT[]))", [ords]))
                by_ord = {int(r["_ord"]): r for r in rows}
                for link in group:
                    row = by_ord.get(link["ord"])
                    if row is not None:
                        out.append(self._record(source, batch, link, row))
        finally:
            con.close()
        out.sort(key=lambda r: (r["date"] or "", r["resource"], r["ord"]), reverse=True)
        return out

    @staticmethod
    def _record(source: Source, batch: str, link: dict, row: dict) -> dict:
        items = source.schema.get("items", [])
        values = {i["name"]: row.get(i["name"]) for i in items}
        keys = source.key_items()
        key = "|".join("" if values.get(k) is None else str(values[k]) for k in keys) if keys else f"#{link['ord']}"
        date_item = source.date_item()
        date = values.get(date_item) if date_item else None
        return {"resource": source.resource, "title": source.title, "category": source.category, "batch": batch,
                "ord": link["ord"], "key": key, "method": link["method"], "values": values,
                "date": str(date)[:10] if date is not None else None}

    def record(self, resource: str, batch: str, ord_: int, store: Store, source: Source) -> dict | None:
        """One record of the lake by (resource, batch, ord), with the enterprise it links to."""
        path = next((b.path for b in committed_batches(store, {resource}) if b.batch_id == batch), None)
        if path is None:
            return None
        rows = self._query(f"SELECT * FROM read_parquet({lit(path)}) WHERE _ord = ?", [ord_])
        if not rows:
            return None
        link = self.link_of(resource, batch, ord_) or {"uscc": None, "method": "unlinked"}
        return {**self._record(source, batch, {"ord": ord_, "method": link["method"]}, rows[0]),
                "uscc": link["uscc"]}

    # -- review ---------------------------------------------------------------------------------------------
    def review(self, limit: int = 50, offset: int = 0, name: str | None = None) -> tuple[list[dict], int]:
        """Pending near matches (most records first) and their total."""
        if self.gen is None:
            return [], 0
        where, params = ("WHERE name = ?", [name]) if name else ("", [])
        total = self._query(f"SELECT count(*) AS n FROM {self._file('review')} {where}", params)[0]["n"]
        rows = self._query(f"SELECT * FROM {self._file('review')} {where} ORDER BY records DESC, name, uscc "
                           f"LIMIT {int(limit)} OFFSET {int(offset)}", params)
        for r in rows:
            r["resources"] = [self.resource(i) for i in r.pop("rids")]
            r["sample"] = {"resource": self.resource(r.pop("sample_rid")), "batch": self.batch(r.pop("sample_bid")),
                           "ord": int(r.pop("sample_ord"))}
            r["records"] = int(r["records"])
        return rows, int(total)

    # -- export ---------------------------------------------------------------------------------------------
    def export(self, store: Store, sources: dict[str, Source]) -> Iterator[dict]:
        """One dict per enterprise, by USCC: ``{"uscc", "name", "sources": [{"resource", "key"}]}``."""
        if self.gen is None:
            return
        batches = {b.batch_id: b for b in committed_batches(store, set(self.gen.resources))}
        selects = []
        for bid, batch_id in enumerate(self.gen.batches):
            batch = batches.get(batch_id)
            source = sources.get(batch.resource) if batch else None
            if batch is None or batch.path is None or source is None:
                continue
            keys = source.key_items()
            key = ("concat_ws('|', " + ", ".join(f"coalesce(CAST({q(k)} AS VARCHAR), '')" for k in keys) + ")"
                   if keys else "'#' || CAST(_ord AS VARCHAR)")
            selects.append(f"SELECT {bid}::UINTEGER AS bid, _ord AS ord, {key} AS key "
                           f"FROM read_parquet({lit(batch.path)})")
        codes = ", ".join(f"({i}, {lit(c)})" for i, c in enumerate(self.gen.resources)) or "(0, NULL)"
        keys_sql = " UNION ALL ".join(selects) or "SELECT NULL::UINTEGER AS bid, NULL::BIGINT AS ord, NULL AS key"
        con = self._con()
        try:
            con.execute(f"CREATE TEMP TABLE res AS SELECT * FROM (VALUES {codes}) t(rid, code)")
            cur = con.execute(
                f"SELECT e.uscc, struct_extract(e.name, 'v') AS name, "
                f"to_json(list({{'resource': res.code, 'key': k.key}} ORDER BY res.code, k.key)) AS sources "
                f"FROM {self._file('enterprises')} AS e "
                f"JOIN {self._file('links')} AS l ON l.uscc = e.uscc JOIN ({keys_sql}) AS k ON k.bid = l.bid "
                f"AND k.ord = l.ord JOIN res ON res.rid = l.rid GROUP BY e.uscc, struct_extract(e.name, 'v') "
                f"ORDER BY e.uscc")
            while chunk := cur.fetchmany(1000):
                for uscc, name, src in chunk:
                    yield {"uscc": uscc, "name": name, "sources": json.loads(src)}
        finally:
            con.close()

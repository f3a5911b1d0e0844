"""The lake: immutable Parquet batches per resource, a quarantine per batch, and the manifest.

Layout under the store root::

    manifest.sqlite3                       the manifest (one row per committed batch)
    lake/<resource>/<batch_id>.parquet     accepted rows (typed items, ``_row``)
    quarantine/<resource>/<batch_id>.parquet   rejected rows (``_row``, ``_column``, ``_rule``, ``_reason``, ``_raw``)
    tmp/<batch_id>/                        work in progress; removed on the next open

A batch is visible exactly when its manifest row exists. Files are written under ``tmp/``,
renamed into place (``os.replace``, then the directory is fsynced), and only then is the manifest row
inserted in one SQLite transaction. A process killed at any moment leaves either a committed batch or
files that no manifest row names; ``Store`` removes those leftovers when it is next opened for writing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

MANIFEST = "manifest.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    batch_id     TEXT PRIMARY KEY,
    resource     TEXT NOT NULL,
    source_name  TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    committed_at TEXT NOT NULL,
    read         INTEGER NOT NULL,
    accepted     INTEGER NOT NULL,
    rejected     INTEGER NOT NULL,
    seconds      REAL NOT NULL,
    stats        TEXT NOT NULL,
    new_records  INTEGER NOT NULL,
    watermark    TEXT,
    accepted_file   TEXT,
    quarantine_file TEXT,
    UNIQUE (resource, fingerprint)
);
CREATE INDEX IF NOT EXISTS batches_resource ON batches (resource, committed_at);
"""


def empty_stats() -> dict[str, Any]:
    return {"items": {}, "rules": {}, "duplicates": 0, "ragged": 0, "new_versions": 0}


@dataclass(frozen=True)
class BatchInfo:
    """One committed batch as recorded in the manifest."""

    batch_id: str
    resource: str
    source_name: str
    fingerprint: str
    committed_at: dt.datetime  # aware, UTC
    read: int
    accepted: int
    rejected: int
    seconds: float
    stats: dict[str, Any] = field(default_factory=empty_stats)


def resource_dir_name(resource: str) -> str:
    """A file-system-safe directory name for a resource code such as ``301001/000001``."""
    if not resource or not resource.strip():
        raise ValueError("资源代码不能为空")
    return quote(resource, safe="")


def fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Store:
    """The pipeline's store rooted at ``root``; creates the layout on first use."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.lake = self.root / "lake"
        self.quarantine = self.root / "quarantine"
        self.tmp = self.root / "tmp"
        for path in (self.root, self.lake, self.quarantine, self.tmp):
            path.mkdir(parents=True, exist_ok=True)
        self.manifest_path = self.root / MANIFEST
        with self._connect() as con:
            con.executescript(_SCHEMA)

    # -- manifest -------------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.manifest_path, timeout=30, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        return con

    @staticmethod
    def _info(row: sqlite3.Row | tuple) -> BatchInfo:
        (batch_id, resource, source_name, fingerprint, committed_at, read, accepted, rejected, seconds, stats) = row
        return BatchInfo(batch_id, resource, source_name, fingerprint, dt.datetime.fromisoformat(committed_at),
                         read, accepted, rejected, seconds, json.loads(stats))

    _COLUMNS = ("batch_id, resource, source_name, fingerprint, committed_at, read, accepted, rejected, seconds, "
                "stats")

    def batches(self, resource: str | None = None) -> list[BatchInfo]:
        """Committed batches, oldest first (all resources, or one)."""
        sql = f"SELECT {self._COLUMNS} FROM batches"
        args: tuple = ()
        if resource is not None:
            sql += " WHERE resource = ?"
            args = (resource,)
        with self._connect() as con:
            rows = con.execute(sql + " ORDER BY committed_at, rowid", args).fetchall()
        return [self._info(r) for r in rows]

    def batch(self, batch_id: str) -> BatchInfo | None:
        with self._connect() as con:
            row = con.execute(f"SELECT {self._COLUMNS} FROM batches WHERE batch_id = ?", (batch_id,)).fetchone()
        return self._info(row) if row else None

    def find_fingerprint(self, resource: str, fingerprint: str) -> BatchInfo | None:
        with self._connect() as con:
            row = con.execute(f"SELECT {self._COLUMNS} FROM batches WHERE resource = ? AND fingerprint = ?",
                              (resource, fingerprint)).fetchone()
        return self._info(row) if row else None

    def resources(self) -> list[str]:
        with self._connect() as con:
            return [r[0] for r in con.execute("SELECT DISTINCT resource FROM batches ORDER BY resource")]

    def status(self, resource: str) -> dict[str, int]:
        """``{"batches", "rows"}``; rows = current records (the latest version per key)."""
        with self._connect() as con:
            count, rows = con.execute("SELECT count(*), coalesce(sum(new_records), 0) FROM batches "
                                      "WHERE resource = ?", (resource,)).fetchone()
        return {"batches": int(count), "rows": int(rows)}

    def watermark(self, resource: str, source_name: str) -> str | None:
        """The highest watermark committed for a database source (None before the first batch)."""
        with self._connect() as con:
            row = con.execute("SELECT watermark FROM batches WHERE resource = ? AND source_name = ? "
                              "AND watermark IS NOT NULL ORDER BY committed_at DESC, rowid DESC LIMIT 1",
                              (resource, source_name)).fetchone()
        return row[0] if row else None

    # -- files ----------------------------------------------------------------------------------
    def accepted_files(self, resource: str) -> list[Path]:
        """The Parquet files of a resource's committed batches, oldest first."""
        with self._connect() as con:
            rows = con.execute("SELECT accepted_file FROM batches WHERE resource = ? AND accepted_file IS NOT NULL "
                               "ORDER BY committed_at, rowid", (resource,)).fetchall()
        return [self.root / r[0] for r in rows]

    def batch_files(self) -> list[tuple[str, str, str, Path | None]]:
        """Every committed batch, oldest first: ``(batch_id, resource, committed_at ISO, accepted Parquet or None
        when the batch accepted nothing)``."""
        with self._connect() as con:
            rows = con.execute("SELECT batch_id, resource, committed_at, accepted_file FROM batches "
                               "ORDER BY committed_at, rowid").fetchall()
        return [(b, r, c, self.root / f if f else None) for b, r, c, f in rows]

    def quarantine_file(self, batch_id: str) -> Path | None:
        with self._connect() as con:
            row = con.execute("SELECT quarantine_file FROM batches WHERE batch_id = ?", (batch_id,)).fetchone()
        if row is None:
            raise KeyError(f"批次 {batch_id} 不存在")
        return self.root / row[0] if row[0] else None

    def rejects(self, batch_id: str) -> Iterator[dict]:
        """The batch's rejected rows in row order: ``{"row", "column", "rule", "reason", "values"}``."""
        path = self.quarantine_file(batch_id)
        if path is None:
            return
        import duckdb

        con = duckdb.connect()
        try:
            cur = con.execute("SELECT _row, _column, _rule, _reason, _raw FROM read_parquet(?) ORDER BY _row",
                              [str(path)])
            while chunk := cur.fetchmany(2048):
                for row, column, rule, reason, raw in chunk:
                    yield {"row": int(row), "column": column, "rule": rule, "reason": reason,
                           "values": {k: v for k, v in (raw or {}).items()}}
        finally:
            con.close()

    # -- writing (used by the ingest engine) -----------------------------------------------------
    def work_dir(self, batch_id: str) -> Path:
        path = self.tmp / batch_id
        path.mkdir(parents=True, exist_ok=False)
        return path

    def discard(self, batch_id: str) -> None:
        shutil.rmtree(self.tmp / batch_id, ignore_errors=True)

    def commit(self, info: BatchInfo, accepted: Path | None, quarantine: Path | None,
               new_records: int, watermark: str | None = None) -> BatchInfo:
        """Move finished files into place, then record the batch in one manifest transaction.

        Returns the committed ``info``, or the earlier batch when the same content was committed
        meanwhile (the new files are then removed).
        """
        folder = resource_dir_name(info.resource)
        targets: dict[str, str | None] = {"accepted": None, "quarantine": None}
        for kind, source, base in (("accepted", accepted, self.lake), ("quarantine", quarantine, self.quarantine)):
            if source is None:
                continue
            directory = base / folder
            directory.mkdir(parents=True, exist_ok=True)
            target = directory / f"{info.batch_id}.parquet"
            with open(source, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(source, target)
            fsync_dir(directory)
            targets[kind] = str(target.relative_to(self.root))
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            earlier = con.execute("SELECT batch_id FROM batches WHERE resource = ? AND fingerprint = ?",
                                  (info.resource, info.fingerprint)).fetchone()
            if earlier:
                con.execute("ROLLBACK")
                for rel in targets.values():
                    if rel:
                        (self.root / rel).unlink(missing_ok=True)
                self.discard(info.batch_id)
                return self.batch(earlier[0])  # type: ignore[return-value]
            con.execute(
                "INSERT INTO batches (batch_id, resource, source_name, fingerprint, committed_at, read, accepted, "
                "rejected, seconds, stats, new_records, watermark, accepted_file, quarantine_file) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (info.batch_id, info.resource, info.source_name, info.fingerprint,
                 info.committed_at.astimezone(dt.UTC).isoformat(), info.read, info.accepted, info.rejected,
                 info.seconds, json.dumps(info.stats, ensure_ascii=False), new_records, watermark,
                 targets["accepted"], targets["quarantine"]))
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        finally:
            con.close()
        self.discard(info.batch_id)
        return info

    def sweep(self) -> list[str]:
        """Remove work directories and lake files that no manifest row names (leftovers of a crash).

        Only call this when no other ingest runs on the same store.
        """
        removed: list[str] = []
        for path in self.tmp.iterdir():
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
            removed.append(str(path.relative_to(self.root)))
        with self._connect() as con:
            known = {r[0] for r in con.execute("SELECT accepted_file FROM batches UNION SELECT quarantine_file "
                                               "FROM batches") if r[0]}
        for base in (self.lake, self.quarantine):
            for path in base.rglob("*.parquet"):
                rel = str(path.relative_to(self.root))
                if rel not in known:
                    path.unlink(missing_ok=True)
                    removed.append(rel)
        return removed

"""A deliberately naive loader, the control of the crash test.

It records the batch in the manifest first (autocommit), then writes the rows in place, part after
part, with no temporary names, no transaction around both and no fingerprint check. Killed in
between, it leaves a visible batch whose files are missing or partial; rerun, it loads twice."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
import time
from pathlib import Path

from zhengshu.pipeline.store import Store, resource_dir_name


def load(path: Path, resource: str, store: Store) -> None:
    with open(path, "rb") as handle:
        read = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")) - 1
    batch_id = f"naive-{time.time_ns()}"
    folder = store.lake / resource_dir_name(resource)
    folder.mkdir(parents=True, exist_ok=True)
    rel = f"lake/{resource_dir_name(resource)}/{batch_id}-*.parquet"  # the batch = its part files
    manifest = sqlite3.connect(store.manifest_path, isolation_level=None)
    manifest.execute(
        "INSERT INTO batches (batch_id, resource, source_name, fingerprint, committed_at, read, accepted, "
        "rejected, seconds, stats, new_records, accepted_file) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)",
        (batch_id, resource, path.name, batch_id, dt.datetime.now(dt.UTC).isoformat(), read, read,
         json.dumps({}), read, rel))
    import duckdb

    con = duckdb.connect()
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{path}', all_varchar=true, ignore_errors=true)")
    chunk = 2000
    for k in range(0, read, chunk):
        target = folder / f"{batch_id}-{k // chunk:04d}.parquet"
        con.execute(f"COPY (SELECT * FROM t LIMIT {chunk} OFFSET {k}) TO '{target}' (FORMAT parquet, "
                    f"USE_TMP_FILE false)")


if __name__ == "__main__":
    load(Path(sys.argv[1]), sys.argv[2], Store(Path(sys.argv[3])))

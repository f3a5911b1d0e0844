"""What the linking reads from the pipeline's store: the committed batches and their Parquet files.

``Store`` has no call that returns a batch together with its file, so this module reads the manifest (the
only definition of visibility, see ``zhengshu.pipeline.store``) read-only.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from zhengshu.pipeline.store import MANIFEST, Store


@dataclass(frozen=True)
class LakeBatch:
    batch_id: str
    resource: str
    committed_at: str  # ISO, UTC
    path: Path | None  # accepted Parquet; None when the batch accepted nothing


def committed_batches(store: Store, resources: set[str] | None = None) -> list[LakeBatch]:
    """Committed batches (oldest first) with their accepted file, optionally only of ``resources``."""
    con = sqlite3.connect(f"file:{Path(store.root) / MANIFEST}?mode=ro", uri=True, timeout=30)
    try:
        rows = con.execute("SELECT batch_id, resource, committed_at, accepted_file FROM batches "
                           "ORDER BY committed_at, rowid").fetchall()
    finally:
        con.close()
    return [LakeBatch(b, r, c, Path(store.root) / f if f else None) for b, r, c, f in rows
            if resources is None or r in resources]

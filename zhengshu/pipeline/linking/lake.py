"""What the linking reads from the pipeline's store: the committed batches and their Parquet files
(``Store.batch_files``; the manifest is the only definition of visibility, see ``zhengshu.pipeline.store``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zhengshu.pipeline.store import Store


@dataclass(frozen=True)
class LakeBatch:
    batch_id: str
    resource: str
    committed_at: str  # ISO, UTC
    path: Path | None  # accepted Parquet; None when the batch accepted nothing


def committed_batches(store: Store, resources: set[str] | None = None) -> list[LakeBatch]:
    """Committed batches (oldest first) with their accepted file, optionally only of ``resources``."""
    rows = store.batch_files()
    return [LakeBatch(b, r, c, f) for b, r, c, f in rows
            if resources is None or r in resources]

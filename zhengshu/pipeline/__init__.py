"""The aggregation pipeline (归集): reads department sources, standardises and validates them, commits
Parquet batches. Never imports Django (a convention test enforces it)."""

from .engine import IngestError, ingest  # noqa: E402
from .schema import SchemaError, load_schema  # noqa: E402
from .store import BatchInfo, Store  # noqa: E402

__all__ = ["BatchInfo", "IngestError", "SchemaError", "Store", "ingest", "load_schema"]

"""The aggregation pipeline (归集): reads department sources, standardises and validates them, commits
Parquet batches. Never imports Django (a convention test enforces it)."""

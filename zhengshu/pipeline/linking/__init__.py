"""一企一档: linking every department's records to the enterprise (Django-free, DuckDB SQL).

``build(root, store, sources, decisions)`` writes a generation of Parquet files under ``root``; ``Archive(root)``
reads it. See ``build`` for the linking rules and ``names`` for the normalisation.
"""

from .build import build, current_generation
from .names import normalize_name, normalize_org, normalize_uscc
from .read import Archive
from .sources import CATEGORIES, CATEGORY_LABELS, FACT_LABELS, FACTS, METHOD_LABELS, ConfigError, Decision, Source

__all__ = ["CATEGORIES", "CATEGORY_LABELS", "FACTS", "FACT_LABELS", "METHOD_LABELS", "Archive", "ConfigError",
           "Decision", "Source", "build", "current_generation", "normalize_name", "normalize_org", "normalize_uscc"]

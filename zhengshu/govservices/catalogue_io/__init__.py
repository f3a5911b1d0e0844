"""Import and export of item catalogues (事项目录) as XLSX or CSV.

Sheets: ``事项`` (one row per item) and ``申请材料`` (one row per material, linked by 实施编码). A CSV file
holds one sheet; which one is told by its header (a header with 材料名称 is 申请材料). A materials CSV next to an
items CSV named ``<name>_申请材料.csv`` / ``<name>-申请材料.csv`` is picked up automatically. CSV encodings
UTF-8, UTF-8 with BOM, GBK and GB18030 are detected.

All or nothing: every row is checked first; any rejected row means nothing is written, and every bad row is
reported with its sheet, row number (the sheet's own) and column. Items are matched by 实施编码: a re-import
updates, never duplicates.

Modules: ``reading`` (files, sheets, headers, encodings), ``values`` (cells → field values, row checks),
``importing`` (``import_catalogue``), ``exporting`` (``export_catalogue``).
"""

from __future__ import annotations

from zhengshu.govservices.catalogue_io.exporting import export_catalogue
from zhengshu.govservices.catalogue_io.importing import _publish_all, import_catalogue
from zhengshu.govservices.catalogue_io.reading import (
    ITEM_COLUMNS,
    MATERIAL_COLUMNS,
    ImportError_,
    detect_encoding,
    read_sheets,
)
from zhengshu.govservices.catalogue_io.values import parse_bool, parse_limit, parse_visits

__all__ = ["ITEM_COLUMNS", "MATERIAL_COLUMNS", "ImportError_", "_publish_all", "detect_encoding",
           "export_catalogue", "import_catalogue", "parse_bool", "parse_limit", "parse_visits", "read_sheets"]

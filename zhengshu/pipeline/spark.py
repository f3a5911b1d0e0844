"""The same standardise/validate transformations on Spark (PySpark), for when one machine is outgrown.

The SQL comes from ``expr.build_plan(…, dialect=expr.SPARK)``: the very builder the DuckDB engine
uses, so the rules exist once. Only reading differs: Spark's CSV reader pads short rows with NULL and
drops extra fields, which would hide ragged rows; so each file is parsed by one Spark task with Python's
``csv`` module (``_records``), giving the field count of every record.

Local mode (a test)::

    spark = local_session()
    accepted, rejected = validate(spark, "file.csv", schema)   # DataFrames

On a cluster, build the session the usual way (``SparkSession.builder.master("spark://host:7077")`` or
``spark-submit --master yarn``), put the file on shared storage (``hdfs://…``, ``s3a://…``) and call
``validate`` with it; write ``accepted`` with ``.write.parquet(…)``. The commit protocol of the lake
(temporary names, manifest) stays with ``Store`` on the machine that records the batch.
"""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

from . import expr
from .engine import division_codes
from .schema import validate_schema
from .sources import _first_record, detect_encoding, read_header, sniff_delimiter



def _records(content: bytes, charset: str, delimiter: str, width: int):
    """(record number, field count, fields padded/cut to ``width``) for each data record of one file.

    Spark's own CSV reader pads short rows with NULL and drops extra fields, which would hide ragged
    rows; so each file is parsed by one task (files, not parts of files, are the unit of parallelism).
    """
    import csv
    import io

    text = content.decode({"UTF-8": "utf-8-sig"}.get(charset, charset.lower()))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(reader, None)
    number = 0
    for row in reader:
        if not row:  # a blank line is no record (DuckDB skips it too)
            continue
        number += 1
        fields = (row + [""] * width)[:width]
        yield (number, len(row), *[f if f != "" else None for f in fields])


def local_session(app: str = "zhengshu-pipeline"):
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master("local[1]").appName(app)
            .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
            .config("spark.driver.memory", "1g").config("spark.sql.session.timeZone", "UTC")
            .getOrCreate())


def header_of(path: str | Path) -> tuple[list[str], str, str]:
    """(header, delimiter, Java charset name) read from the start of a local file."""
    path = Path(path)
    with open(path, "rb") as handle:
        sample = handle.read(1 << 20)
    encoding = detect_encoding(sample, str(path))
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False).lstrip("\ufeff")
    first = _first_record(text)
    delimiter = sniff_delimiter(first.splitlines()[0] if first else "", path.suffix.lower())
    charset = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "gbk": "GBK", "gb18030": "GB18030"}[encoding]
    return read_header(first, delimiter), delimiter, charset


def validate(spark, path: str | Path, schema: dict, today: dt.date | None = None, header=None):
    """(accepted, rejected) DataFrames: accepted = typed items + ``_ord``; rejected = ``_row``, ``_rule``."""
    from pyspark.sql.types import IntegerType, LongType, StringType, StructField, StructType

    schema = validate_schema(schema)
    columns, delimiter, charset = header or header_of(path)
    plan = expr.build_plan(schema, columns, expr.SPARK, today)
    n = len(columns)
    struct = StructType([StructField("_ord", LongType()), StructField("_ncols", IntegerType())]
                        + [StructField(f"c{i}", StringType()) for i in range(n)])
    rows = spark.sparkContext.binaryFiles(str(path)).flatMap(
        lambda item: _records(item[1], charset, delimiter, n))
    spark.createDataFrame(rows, struct).cache().createOrReplaceTempView("_src0")
    spark.createDataFrame([(c,) for c in division_codes()], "code string").createOrReplaceTempView("_divcodes")
    spark.sql(f"SELECT *, _ncols <> {n} AS _ragged FROM _src0").createOrReplaceTempView("_src")
    spark.sql(f"WITH {plan.stages('(SELECT * FROM _src WHERE NOT _ragged)')} "
              f"SELECT val.*, {plan.dedup()} FROM val").createOrReplaceTempView("_fin")
    names = ", ".join(plan.item_names())
    accepted = spark.sql(f"SELECT {names}, _ord FROM _fin WHERE _e = 0")
    rule = "CASE _e " + " ".join(f"WHEN {c.code} THEN '{c.rule}'" for c in plan.checks) + \
        f" WHEN {plan.dup_code} THEN 'duplicate' END"
    rejected = spark.sql(f"SELECT _ord AS _row, {rule} AS _rule, {plan.reason_case()} AS _reason FROM _fin "
                         f"WHERE _e <> 0 UNION ALL SELECT _ord, 'ragged', NULL FROM _src WHERE _ragged")
    return accepted, rejected

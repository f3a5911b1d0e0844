"""Spark and DuckDB give identical accepted and rejected rows on the same file (one session per module)."""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pytest

from zhengshu.pipeline import ingest

from .conftest import messy_text

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java (absent here)")

EXTRA = [  # more of the standardisation paths: units, dates, full-width, booleans-free schema
    "91350200MA2YJ1XR9G,午公司,３００万元,２０２１－０３－０４,存续,330481,,,",
    "91350503MA31DKY80A,未公司,1.25亿元,2021/3/4 10:20,在业,330481,138-0000-0000,,",
]


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    import logging

    from zhengshu.pipeline.spark import local_session

    logging.getLogger("py4j").setLevel(logging.WARNING)  # no "closing connection" chatter at exit

    session = local_session("zhengshu-pipeline-test")
    yield session
    session.stop()


def test_spark_and_duckdb_agree(tmp_path, spark, schema, store, encoding="gbk"):
    from zhengshu.pipeline.spark import validate

    path = tmp_path / f"messy-{encoding}.csv"
    path.write_bytes((messy_text() + "\n".join(EXTRA) + "\n").encode(encoding))
    today = dt.date.today()
    result = ingest(path, schema["resource"], schema, store)
    [acc_file] = store.accepted_files(schema["resource"])
    names = [i["name"] for i in schema["items"]]
    duck_accepted = duckdb.connect().execute(
        f"SELECT {', '.join(f'CAST({n} AS VARCHAR)' for n in names)} FROM read_parquet('{acc_file}') "
        f"ORDER BY _ord").fetchall()
    duck_rejected = sorted((r["row"], r["rule"]) for r in store.rejects(result["batch_id"]))

    accepted, rejected = validate(spark, path, schema, today)
    spark_accepted = [
        tuple(r[:-1]) for r in accepted.selectExpr(*[f"CAST({n} AS STRING)" for n in names], "_ord")
        .orderBy("_ord").collect()]
    spark_rows = rejected.collect()
    spark_rejected = sorted((r["_row"], r["_rule"]) for r in spark_rows)

    assert len(duck_accepted) == result["accepted"] == 6
    assert spark_accepted == duck_accepted
    assert spark_rejected == duck_rejected
    # The Chinese reasons come from the same SQL too (DuckDB's quarantine pass adds the first row's
    # number to a duplicate's reason, and words ragged rows from its CSV reader).
    skip = ("ragged", "duplicate")
    spark_reasons = {r["_row"]: r["_reason"] for r in spark_rows if r["_rule"] not in skip}
    duck_reasons = {r["row"]: r["reason"] for r in store.rejects(result["batch_id"]) if r["rule"] not in skip}
    assert spark_reasons == duck_reasons

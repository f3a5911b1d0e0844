"""Database sources, read incrementally by a watermark column: SQLite always, PostgreSQL and MariaDB when
reachable (CI starts both)."""

from __future__ import annotations

import os
import sqlite3
import uuid

import pytest

from zhengshu.pipeline import IngestError, ingest
from zhengshu.pipeline.schema import validate_schema
from zhengshu.pipeline.sources import display_url

from .conftest import U1, U2, U3

SCHEMA = validate_schema({"resource": "db/enterprise", "key": ["uscc"], "items": [
    {"name": "uscc", "label": "统一社会信用代码", "check": "uscc"},
    {"name": "name", "label": "企业名称", "required": True},
    {"name": "updated", "label": "更新时间", "type": "datetime"},
]})
ROWS = [(U1, "甲", "2026-01-01 08:00:00"), (U2, "乙", "2026-01-02 08:00:00"), ("bad", "丙", "2026-01-03 08:00:00")]


def run_incremental(url: str, table: str, insert, store) -> None:
    first = ingest(url, SCHEMA["resource"], SCHEMA, store, table=table, watermark="updated")
    assert (first["read"], first["accepted"], first["rejected"]) == (3, 2, 1)
    # Nothing new: an empty batch records the on-time delivery; asking again is a no-op.
    empty = ingest(url, SCHEMA["resource"], SCHEMA, store, table=table, watermark="updated")
    assert (empty["read"], empty["accepted"], empty["rejected"]) == (0, 0, 0)
    again = ingest(url, SCHEMA["resource"], SCHEMA, store, table=table, watermark="updated")
    assert again.get("existing") is True and again["batch_id"] == empty["batch_id"]
    insert([(U3, "丁", "2026-01-04 08:00:00"), (U1, "甲（更名）", "2026-01-05 08:00:00")])
    delta = ingest(url, SCHEMA["resource"], SCHEMA, store, table=table, watermark="updated")
    assert (delta["read"], delta["accepted"], delta["rejected"]) == (2, 2, 0)
    assert store.batches()[-1].stats["new_versions"] == 1
    assert store.status(SCHEMA["resource"]) == {"batches": 3, "rows": 3}
    assert store.watermark(SCHEMA["resource"], f"{display_url(url)}#{table}").startswith("2026-01-05")


def test_sqlite_source(tmp_path, store):
    db = tmp_path / "dept.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE ent (统一社会信用代码 TEXT, 企业名称 TEXT, updated TEXT)")
    con.executemany("INSERT INTO ent VALUES (?, ?, ?)", ROWS)
    con.commit()

    def insert(rows):
        con.executemany("INSERT INTO ent VALUES (?, ?, ?)", rows)
        con.commit()

    run_incremental(f"sqlite:///{db}", "ent", insert, store)


def test_bad_table_name_and_url(store):
    with pytest.raises(IngestError, match="表名"):
        ingest("sqlite:///x.db", SCHEMA["resource"], SCHEMA, store, table="x; drop", watermark="updated")
    with pytest.raises(IngestError, match="需要指定表名"):
        ingest("sqlite:///x.db", SCHEMA["resource"], SCHEMA, store)


def _pg_url() -> str | None:
    # The pipeline tests run once (./run test skips Django-free packages in its PostgreSQL pass), so
    # they reach the machine's PostgreSQL themselves: the suite's URL, else the one ./run test uses.
    url = os.environ.get("ZHENGSHU_DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = os.environ.get("ZHENGSHU_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/test")
    import psycopg
    from urllib.parse import urlsplit

    url = url.replace("postgres://", "postgresql://", 1)
    # The suite's own database may not exist yet (pytest-django creates test_<name>): fall back to "postgres".
    for candidate in (url, urlsplit(url)._replace(path="/postgres").geturl()):
        try:
            psycopg.connect(candidate, connect_timeout=3).close()
            return candidate
        except Exception:
            continue
    return None


def test_postgresql_source(store):
    url = _pg_url()
    if url is None:
        pytest.skip("PostgreSQL not configured (ZHENGSHU_DATABASE_URL)")
    import psycopg

    table = f"pipeline_src_{uuid.uuid4().hex[:8]}"
    con = psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)
    con.execute(f'CREATE TABLE {table} ("统一社会信用代码" text, "企业名称" text, updated timestamp)')
    try:
        def insert(rows):
            with con.cursor() as cur:
                cur.executemany(f"INSERT INTO {table} VALUES (%s, %s, %s)", rows)

        insert(ROWS)
        run_incremental(url, table, insert, store)
    finally:
        con.execute(f"DROP TABLE {table}")
        con.close()


def test_mariadb_source(store):
    pymysql = pytest.importorskip("pymysql")
    try:
        con = pymysql.connect(host="127.0.0.1", port=3306, user="root", password="", database="test",
                              charset="utf8mb4", autocommit=True, connect_timeout=3)
    except Exception:
        pytest.skip("MariaDB not reachable on 127.0.0.1:3306")
    table = f"pipeline_src_{uuid.uuid4().hex[:8]}"
    with con.cursor() as cur:
        cur.execute(f"CREATE TABLE {table} (`统一社会信用代码` varchar(30), `企业名称` varchar(50), "
                    f"updated datetime) CHARACTER SET utf8mb4")
    try:
        def insert(rows):
            with con.cursor() as cur:
                cur.executemany(f"INSERT INTO {table} VALUES (%s, %s, %s)", rows)

        insert(ROWS)
        run_incremental("mysql://root@127.0.0.1:3306/test", table, insert, store)
    finally:
        with con.cursor() as cur:
            cur.execute(f"DROP TABLE {table}")
        con.close()


def _gbk_lines(n: int) -> list[str]:
    """Lines of Chinese text with a quoted newline now and then and a character only GB18030 encodes (㐀)."""
    out = []
    for i in range(n):
        name = f'"海宁第{i}号\n（分公司）"' if i % 97 == 0 else f"海宁市示范企业{i}号"
        extra = "㐀" if i % 131 == 0 else ""
        out.append(f"9133048{i:011d},{name}{extra},{i}万元")
    return out


def test_a_large_gbk_file_is_transcoded_in_parallel_ranges_exactly_as_in_one_pass(tmp_path):
    import hashlib

    from zhengshu.pipeline.sources import _transcode_serial, transcode

    source = tmp_path / "big.csv"
    source.write_bytes(("\n".join(["统一社会信用代码,企业名称,注册资本", *_gbk_lines(20_000)]) + "\n").encode("gb18030"))
    serial, parallel = tmp_path / "serial.csv", tmp_path / "parallel.csv"
    digest_serial = _transcode_serial(source, serial, "gb18030")
    digest_parallel = transcode(source, parallel, "gb18030", workers=3, min_parallel=0)
    assert digest_parallel == digest_serial == hashlib.sha256(source.read_bytes()).hexdigest()
    assert parallel.read_bytes() == serial.read_bytes()
    assert parallel.read_text(encoding="utf-8").count("㐀") == len(range(0, 20_000, 131))
    assert not list(tmp_path.glob("parallel.csv.part*"))


def test_an_undecodable_byte_is_reported_with_its_line_in_any_range(tmp_path):
    from zhengshu.pipeline.sources import SourceError, transcode

    lines = ["统一社会信用代码,企业名称,注册资本", *_gbk_lines(6_000)]
    data = ("\n".join(lines) + "\n").encode("gb18030")
    offset = sum(len(line.encode("gb18030")) + 1 for line in lines[:5_000])  # in the last of three ranges
    target_line = data[:offset].count(b"\n") + 1  # physical lines: quoted newlines count, as in the message
    broken = data[:offset] + b"\xff\xff" + data[offset:]
    source = tmp_path / "broken.csv"
    source.write_bytes(broken)
    with pytest.raises(SourceError, match=f"约第{target_line}行"):
        transcode(source, tmp_path / "out.csv", "gbk", workers=3, min_parallel=0)
    assert not list(tmp_path.glob("out.csv.part*"))

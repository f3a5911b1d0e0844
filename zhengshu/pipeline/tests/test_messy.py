"""Messy files: every encoding, BOM, quoted newlines, ragged rows, bad codes and enums, duplicates."""

from __future__ import annotations

import collections
import datetime as dt
from decimal import Decimal

import duckdb
import pytest

from zhengshu.pipeline import IngestError, ingest
from zhengshu.pipeline.schema import SchemaError, load_schema, validate_schema

from .conftest import HEADER as HEADER_LINE
from .conftest import MESSY, messy_text

EXPECTED_RULES = collections.Counter(rule for _, rule in MESSY if rule)
ACCEPTED = sum(1 for _, rule in MESSY if rule is None)


def write(tmp_path, encoding: str, name: str = "messy.csv", text: str | None = None):
    path = tmp_path / name
    path.write_bytes((text or messy_text()).encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_each_encoding_gives_exact_counts_and_rules(tmp_path, schema, store, encoding):
    result = ingest(write(tmp_path, encoding), schema["resource"], schema, store)
    assert (result["read"], result["accepted"], result["rejected"]) == (len(MESSY), ACCEPTED, len(MESSY) - ACCEPTED)
    assert result["accepted"] + result["rejected"] == result["read"]
    rejects = list(store.rejects(result["batch_id"]))
    assert collections.Counter(r["rule"] for r in rejects) == EXPECTED_RULES
    # Row numbers are data rows (header excluded), in the order of MESSY.
    expected_rows = {i + 1: rule for i, (_, rule) in enumerate(MESSY) if rule}
    assert {r["row"]: r["rule"] for r in rejects} == expected_rows
    info = store.batches()[0]
    assert info.stats["rules"] == dict(EXPECTED_RULES)
    assert info.stats["duplicates"] == 1 and info.stats["ragged"] == 2


def test_reasons_name_the_column_and_the_fault(tmp_path, schema, store):
    result = ingest(write(tmp_path, "utf-8"), schema["resource"], schema, store)
    by_row = {r["row"]: r for r in store.rejects(result["batch_id"])}
    assert by_row[5]["column"] == "统一社会信用代码"
    assert "第18位校验码应为 L，实际为 X" in by_row[5]["reason"]
    assert by_row[5]["values"]["统一社会信用代码"] == "91110000600037341X"
    assert by_row[6]["reason"] == "主键（统一社会信用代码）与本批第1行重复，保留首次出现的行"
    assert by_row[7]["reason"] == "必填数据项“统一社会信用代码”为空"
    assert "“注册资本”的值“abc”不是有效的数值" == by_row[8]["reason"]
    assert "不是有效的日期" in by_row[9]["reason"] and by_row[9]["column"] == "成立日期"
    assert "“歇业”不在代码表中" in by_row[10]["reason"]
    assert "999999" in by_row[11]["reason"]
    assert "电话" in by_row[12]["reason"]
    assert "第18位校验码应为 X，实际为 Y" in by_row[13]["reason"]
    assert "超过上限20" in by_row[14]["reason"]
    assert "不是有效的整数" in by_row[15]["reason"]
    assert by_row[16]["rule"] == "ragged" and "列数少于表头" in by_row[16]["reason"]
    assert by_row[16]["values"] == {"原始行": "9135021359498494XQ,卯公司,1,2020-01-01"}
    assert "列数多于表头" in by_row[17]["reason"]


def test_accepted_values_are_standardised(tmp_path, schema, store):
    ingest(write(tmp_path, "gbk"), schema["resource"], schema, store)
    [path] = store.accepted_files(schema["resource"])
    rows = duckdb.connect().execute(f"SELECT uscc, name, capital, founded, staff FROM read_parquet('{path}') "
                                    "ORDER BY _ord").fetchall()
    assert rows == [
        ("91110000600037341L", "甲公司", Decimal("200"), dt.date(2020, 1, 5), 12),
        ("91350200776049653A", "乙公司(分公司)", Decimal("0.5"), dt.date(2020, 1, 5), 1200),
        ("91350500798359476R", "丙\n公司", Decimal("1.5"), dt.date(2020, 1, 1), None),
        ("91440101MA5CJQ4N59", "丁公司", Decimal("12000"), dt.date(2020, 1, 5), None),
    ]


def test_same_file_again_is_a_noop_naming_the_earlier_batch(tmp_path, schema, store):
    first = ingest(write(tmp_path, "utf-8"), schema["resource"], schema, store)
    again = ingest(write(tmp_path, "utf-8", name="copy.csv"), schema["resource"], schema, store)
    assert again["batch_id"] == first["batch_id"] and again["existing"] is True
    assert store.status(schema["resource"]) == {"batches": 1, "rows": ACCEPTED}


def test_a_key_seen_before_is_a_new_version(tmp_path, schema, store):
    from .conftest import HEADER, U1, U2

    ingest(write(tmp_path, "utf-8"), schema["resource"], schema, store)
    text = f"{HEADER}\n{U1},甲公司（更名）,300,2020-01-05,存续,330481,,,\n{U2},新公司,1,2021-01-01,存续,330481,,,\n"
    second = ingest(write(tmp_path, "utf-8", "delta.csv", text), schema["resource"], schema, store)
    assert (second["accepted"], second["rejected"]) == (2, 0)
    assert store.batches()[-1].stats["new_versions"] == 2
    assert store.status(schema["resource"]) == {"batches": 2, "rows": ACCEPTED}
    assert store.batches()[-1].rejected == 0 and list(store.rejects(second["batch_id"])) == []


def test_tsv_and_xlsx_sources(tmp_path, schema, store):
    import openpyxl

    from .conftest import HEADER, U1, U2

    tsv = tmp_path / "data.tsv"
    tsv.write_text(HEADER.replace(",", "\t") + f"\n{U1}\t甲\t1\t2020-01-01\t存续\t330481\t\t\t\n", encoding="utf-8")
    assert ingest(tsv, schema["resource"], schema, store)["accepted"] == 1
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append([U2, "乙", 200, dt.datetime(2021, 3, 4), "存续", "330481", None, None, 7])
    sheet.append([U1, "甲", "1万元", 44000, "存续", "330481", None, None, None])  # Excel serial date
    path = tmp_path / "data.xlsx"
    book.save(path)
    result = ingest(path, schema["resource"], schema, store)
    assert (result["read"], result["accepted"]) == (2, 2)
    files = store.accepted_files(schema["resource"])
    got = duckdb.connect().execute(f"SELECT founded FROM read_parquet('{files[-1]}') ORDER BY _ord").fetchall()
    assert got == [(dt.date(2021, 3, 4),), (dt.date(2020, 6, 18),)]


def test_missing_required_column_is_a_file_error(tmp_path, schema, store):
    path = tmp_path / "short.csv"
    path.write_text("企业名称,注册资本\n甲,1\n", encoding="utf-8")
    with pytest.raises(IngestError, match="缺少必填数据项的列：“统一社会信用代码”"):
        ingest(path, schema["resource"], schema, store)
    assert store.batches() == [] and list(store.tmp.iterdir()) == []


def test_schema_loader_reports_where(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("resource: x\nitems:\n  - {name: a, type: money}\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="第1个数据项：type 应为"):
        load_schema(bad)
    with pytest.raises(SchemaError, match="key 中的 b 不是已定义的数据项"):
        validate_schema({"resource": "x", "key": ["b"], "items": [{"name": "a"}]})
    good = tmp_path / "good.yaml"
    good.write_text("resource: x\nkey: a\nitems:\n  - {name: a, label: 甲, check: uscc}\n", encoding="utf-8")
    assert load_schema(good)["items"][0] | {} == {
        "name": "a", "label": "甲", "type": "string", "required": True, "max_length": None, "enum": None,
        "unit": None, "sensitive": False, "check": "uscc", "link": None}


def test_row_numbers_hold_when_the_scan_is_split_across_threads(tmp_path, schema, store):
    """A file of many megabytes is read by several threads at once; every rejected row must still carry
    its own record number and a duplicate must name the first occurrence, however far apart they are."""
    good = [line for line, rule in MESSY if rule is None]
    bad = {line: rule for line, rule in MESSY if rule not in (None, "duplicate")}
    bad_lines = list(bad)
    n = 700_000
    lines, expected = [], {}
    for i in range(1, n + 1):
        if i % 997 == 0:
            line = bad_lines[(i // 997) % len(bad_lines)]
            expected[i] = bad[line]
        else:  # distinct valid rows: a running number in the name keeps them apart; the USCC is unique
            line = good[i % len(good)].replace("公司", f"公司{i}", 1).split(",", 1)[1]
            line = f"{_uscc(i)},{line}"
        lines.append(line)
    lines.append(f"{_uscc(5)},末行重复,1,2020-01-01,存续,330481,,,")  # repeats row 5's key
    expected[n + 1] = "duplicate"
    path = tmp_path / "big.csv"
    path.write_text("\n".join([HEADER_LINE, *lines]) + "\n", encoding="utf-8")
    assert path.stat().st_size > 64_000_000  # several of DuckDB's CSV buffers, read by both threads
    result = ingest(path, schema["resource"], schema, store, threads=2)
    assert result["read"] == n + 1 and result["rejected"] == len(expected)
    rejects = {r["row"]: r for r in store.rejects(result["batch_id"])}
    assert {row: r["rule"] for row, r in rejects.items()} == expected
    assert "与本批第5行重复" in rejects[n + 1]["reason"]
    # Accepted rows carry their position among the parsed rows (_ord; ragged rows are not parsed): the first
    # and the last valid row of the file.
    ragged_before_n = sum(1 for row, rule in expected.items() if rule == "ragged" and row < n)
    con = duckdb.connect()
    lake = store.accepted_files(schema["resource"])[0]
    last = n - ragged_before_n
    rows = dict(con.execute(f"SELECT _ord, uscc FROM read_parquet('{lake}') WHERE _ord IN (1, {last})").fetchall())
    assert rows == {1: _uscc(1), last: _uscc(n)}


def _uscc(i: int) -> str:
    """A valid USCC made from a running number (the check characters come from the reference module)."""
    from zhengshu.identifiers import org_code
    from zhengshu.identifiers.uscc import make_check_char

    body = f"{i:08d}"
    first17 = "91330481" + body + org_code.make_check_char(body)
    return first17 + make_check_char(first17)

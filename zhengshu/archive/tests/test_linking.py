"""Linking edge cases on the real pipeline (Django-free): each name variant, organisation-code-only records,
near-miss decoys that must never link, ambiguous names, remembered decisions, authority and recency."""

from __future__ import annotations

import duckdb
import pytest

from zhengshu.archive.fixtures import ingest_rows, make_uscc, sources
from zhengshu.pipeline.linking import Archive, Decision, build, normalize_name, normalize_org
from zhengshu.pipeline.linking.names import name_sql, org_sql
from zhengshu.pipeline.store import Store

A, B, C = make_uscc(11), make_uscc(12), make_uscc(13)
REG = [
    {"uscc": A, "ent_name": "海宁恒达建设有限公司", "legal_rep": "张三", "capital": "100万元", "status": "存续"},
    {"uscc": B, "ent_name": "海宁华鼎股份有限公司", "legal_rep": "李四", "status": "存续"},
    {"uscc": C, "ent_name": "海宁宏远(嘉兴)纺织有限公司", "legal_rep": "王五", "status": "存续"},
]
SRC = sources(["registration", "penalty", "tax"])


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "pipeline")
    ingest_rows(s, "registration", REG)
    return s


def _penalties(store, parties: list[dict], name="penalty.csv"):
    rows = [{"case_no": f"P{i}", "decided_on": "2024-01-02", **p} for i, p in enumerate(parties, start=1)]
    return ingest_rows(store, "penalty", rows, name)


def _links(archive: Archive) -> dict[str, tuple]:
    """case_no → (uscc, method) of the penalty records."""
    out = {}
    for e in (A, B, C):
        for link in archive.links(e):
            out[(link["resource"], link["ord"])] = (e, link["method"])
    return out


def _by_case(tmp_path, store, cases: list[dict]) -> dict[str, tuple]:
    _penalties(store, cases)
    build(tmp_path / "archive", store, SRC)
    archive = Archive(tmp_path / "archive")
    links = _links(archive)
    resource = SRC[1].resource
    return {c["party"]: links.get((resource, i), (None, "unlinked")) for i, c in enumerate(cases, start=1)}


NAMES = [
    "海宁市恒达建设有限公司", "恒达建设有限公司", "海宁 恒达 建设有限公司", "海宁恒达建设有限责任公司",
    "浙江省海宁市恒达建设有限公司", "ＨＮ海宁恒达建设有限公司", "海宁华鼎股份公司", "海宁（华鼎）股份有限公司",
    "海宁宏远（嘉兴）纺织有限公司", "海宁宏远嘉兴纺织有限公司", "海宁宏远【嘉兴】纺织有限责任公司", "", "   ",
    # blanks from exported spreadsheets: no-break space, en space, zero-width space, BOM, ideographic space
    "海宁\u00a0恒达建设有限公司", "海宁\u2002恒达建设有限公司", "恒达\u200b建设有限公司", "\ufeff海宁恒达建设有限公司",
    "海宁\u3000恒达建设有限公司", "12345678\u00a0-9", "\u300012345678－9",
]


@pytest.mark.parametrize("value", NAMES)
def test_sql_and_python_normalisation_agree(value):
    con = duckdb.connect()
    assert con.execute(f"SELECT {name_sql('$1')}", [value]).fetchone()[0] == normalize_name(value)
    assert con.execute(f"SELECT {org_sql('$1')}", [value]).fetchone()[0] == normalize_org(value)


@pytest.mark.parametrize("variant, expected", [
    ("海宁市恒达建设有限公司", A),          # 海宁市 instead of 海宁
    ("恒达建设有限公司", A),               # no region prefix
    ("海宁 恒达 建设 有限公司", A),          # spaces
    ("海宁恒达建设有限责任公司", A),         # 有限责任公司 for 有限公司
    ("浙江省海宁市恒达建设有限公司", A),      # province and city prefix
    ("海宁华鼎股份公司", B),               # 股份公司 → 股份有限公司
    ("海宁宏远（嘉兴）纺织有限公司", C),      # full-width brackets
    ("海宁宏远嘉兴纺织有限公司", C),         # brackets left out
    ("海宁宏远【嘉兴】纺织有限公司", C),      # other brackets
    ("海宁\u00a0恒达建设有限公司", A),       # a no-break space from a spreadsheet export
])
def test_each_name_variant_links_by_name(tmp_path, store, variant, expected):
    got = _by_case(tmp_path, store, [{"party": variant}])
    assert got[variant] == (expected, "name")


def test_org_code_only_records_link_in_both_spellings_and_in_the_uscc_column(tmp_path, store):
    org = A[8:17]
    cases = [{"party": "某单位甲", "org_code": org}, {"party": "某单位乙", "org_code": f"{org[:8]}-{org[8]}"},
             {"party": "某单位丙", "org_code": f"{org[:8].lower()}－{org[8]}"}]
    got = _by_case(tmp_path, store, cases)
    assert got == {"某单位甲": (A, "org_code"), "某单位乙": (A, "org_code"), "某单位丙": (A, "org_code")}


def test_an_unknown_org_code_stays_unlinked_and_the_name_is_tried_next(tmp_path, store):
    got = _by_case(tmp_path, store, [{"party": "海宁恒达建设有限公司", "org_code": "12345678-9"},
                                     {"party": "无名单位", "org_code": "12345678-9"}])
    assert got == {"海宁恒达建设有限公司": (A, "name"), "无名单位": (None, "unlinked")}


DECOYS = [
    ("海宁恒大建设有限公司", A),    # one character replaced
    ("海宁恒达建设工程有限公司", None),  # two characters more: not even a candidate
    ("海宁恒达建有限公司", A),      # one character left out
    ("海宁恒达新建设有限公司", A),    # one character added
    ("海宁华顶股份有限公司", B),     # one character replaced, other enterprise
]


def test_near_miss_decoys_are_never_linked_and_wait_for_review(tmp_path, store):
    got = _by_case(tmp_path, store, [{"party": name} for name, _ in DECOYS])
    assert all(v == (None, "unlinked") for v in got.values()), got
    rows, total = Archive(tmp_path / "archive").review(limit=100)
    pairs = {(r["name_raw"], r["uscc"]) for r in rows}
    assert pairs == {(name, uscc) for name, uscc in DECOYS if uscc}
    assert total == 4
    evidence = next(r for r in rows if r["name_raw"] == "海宁恒大建设有限公司")
    assert evidence["enterprise_name"] == "海宁恒达建设有限公司" and evidence["distance"] == 1
    assert evidence["records"] == 1 and evidence["resources"] == [SRC[1].resource]
    assert evidence["sample"]["ord"] == 1


def test_a_name_two_enterprises_carry_is_not_linked_but_reviewed(tmp_path):
    s = Store(tmp_path / "pipeline")
    ingest_rows(s, "registration", [{"uscc": A, "ent_name": "海宁同名有限公司"},
                                    {"uscc": B, "ent_name": "海宁市同名有限公司"}])
    ingest_rows(s, "penalty", [{"case_no": "P1", "party": "同名有限公司"}])
    figures = build(tmp_path / "archive", s, SRC)
    assert figures["unlinked"] == 1
    rows, _ = Archive(tmp_path / "archive").review()
    assert {(r["uscc"], r["distance"]) for r in rows} == {(A, 0), (B, 0)}


def test_review_decisions_are_remembered_across_builds(tmp_path, store):
    _penalties(store, [{"party": "海宁恒大建设有限公司"}, {"party": "海宁华顶股份有限公司"}])
    root = tmp_path / "archive"
    build(root, store, SRC)
    decisions = [Decision("恒大建设有限公司", A, True, 1), Decision("华顶股份有限公司", B, False, 2)]
    figures = build(root, store, SRC, decisions)
    assert (figures["unlinked"], figures["review"]) == (1, 0)
    archive = Archive(root)
    assert [lk["method"] for lk in archive.links(A) if lk["resource"] == SRC[1].resource] == ["review"]
    # A later batch and a full rebuild keep both answers: the confirmed name stays linked, the rejected pair
    # does not come back to the queue.
    ingest_rows(store, "penalty", [{"case_no": "P9", "party": "恒大建设有限公司"}], "later.csv")
    later = build(root, store, SRC, decisions)
    assert (later["unlinked"], later["review"]) == (1, 0)
    assert sum(lk["method"] == "review" for lk in Archive(root).links(A)) == 2
    again = build(root, store, SRC, decisions, full=True)
    assert (again["linked"], again["unlinked"], again["review"]) == (later["linked"], 1, 0)
    # Withdrawing the decisions puts both pairs back in the queue.
    back = build(root, store, SRC, [])
    assert (back["unlinked"], back["review"]) == (3, 2)


def test_registration_facts_follow_authority_then_recency_with_lineage(tmp_path, store):
    other = {**sources(["registration"])[0].__dict__}
    from zhengshu.pipeline.linking import Source

    weak = Source("330481-SJJ/ENT-REG", other["schema"], "registration", 200)
    root = tmp_path / "archive"
    build(root, store, [weak])
    newer = ingest_rows(store, "registration", [{"uscc": A, "ent_name": "海宁恒达建设有限公司", "legal_rep": "赵六",
                                                 "status": "注销"}], "reg2.csv")
    build(root, store, [weak])
    facts = Archive(root).enterprise(A)["facts"]
    assert facts["legal_rep"]["value"] == "赵六" and facts["legal_rep"]["batch"] == newer["batch_id"]
    assert facts["capital"] is None  # the newer version carries no capital: the old version is superseded
    assert facts["status"] == {"value": "注销", "resource": "330481-SJJ/ENT-REG", "batch": newer["batch_id"],
                               "ord": 1}


def test_a_more_authoritative_source_wins_over_a_newer_one(tmp_path, store):
    from zhengshu.archive.fixtures import SCHEMAS
    from zhengshu.pipeline.linking import Source
    from zhengshu.pipeline.schema import validate_schema

    second = validate_schema({**SCHEMAS["registration"], "resource": "330481-X/REG2", "name": "另一登记来源"})
    ingest_rows_schema(store, second, [{"uscc": A, "ent_name": "海宁恒达建设有限公司", "legal_rep": "钱七"}])
    srcs = [Source("330481-SJJ/ENT-REG", validate_schema(SCHEMAS["registration"]), "registration", 10),
            Source("330481-X/REG2", second, "registration", 50)]
    build(tmp_path / "archive", store, srcs)
    assert Archive(tmp_path / "archive").enterprise(A)["facts"]["legal_rep"]["value"] == "张三"
    srcs[1] = Source("330481-X/REG2", second, "registration", 5)
    build(tmp_path / "archive", store, srcs)  # the configuration changed: rebuilt in full
    assert Archive(tmp_path / "archive").enterprise(A)["facts"]["legal_rep"]["value"] == "钱七"


def ingest_rows_schema(store, schema, rows):
    import csv
    import tempfile
    from pathlib import Path

    from zhengshu.pipeline import ingest

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([i["label"] for i in schema["items"]])
            for row in rows:
                writer.writerow([row.get(i["name"], "") for i in schema["items"]])
        return ingest(path, schema["resource"], schema, store)


def test_search_by_name_variant_code_and_org_code(tmp_path, store):
    build(tmp_path / "archive", store, SRC)
    archive = Archive(tmp_path / "archive")
    assert [e["uscc"] for e in archive.search("海宁市恒达")] == [A]
    assert [e["uscc"] for e in archive.search(A.lower())] == [A]
    assert [e["uscc"] for e in archive.search(f"{A[8:16]}-{A[16]}")] == [A]
    assert archive.search("不存在的企业ZZQ") == []

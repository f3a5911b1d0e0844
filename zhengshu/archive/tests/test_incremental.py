"""Incremental build: a second round of batches updates only the enterprises it touches, and the result equals a
full build of the same lake."""

from __future__ import annotations

import duckdb

from zhengshu.archive.fixtures import ingest_rows, make_uscc, sources
from zhengshu.pipeline.linking import Decision, build, current_generation
from zhengshu.pipeline.store import Store

A, B, C, D, E = (make_uscc(n) for n in (21, 22, 23, 24, 25))
SRC = sources(["registration", "penalty", "tax"])


def _dump(root) -> dict:
    """A generation as comparable rows: rid/bid numbers replaced by resource codes and batch ids."""
    gen = current_generation(root)
    con = duckdb.connect()
    res = dict(enumerate(gen.resources))
    bat = dict(enumerate(gen.batches))

    def fix(row: dict) -> dict:
        out = {}
        for k, v in row.items():
            if k == "rid":
                out["resource"] = res[v]
            elif k == "bid":
                out["batch"] = bat[v]
            elif isinstance(v, dict) and "rid" in v:
                out[k] = {"v": v["v"], "resource": res[v["rid"]], "batch": bat[v["bid"]], "ord": v["ord"]}
            elif k == "rids":
                out["resources"] = [res[i] for i in v]
            elif k in ("sample_rid", "sample_bid"):
                out[k] = res[v] if k == "sample_rid" else bat[v]
            else:
                out[k] = v
        return out

    def rows(name: str, order: str) -> list[dict]:
        cur = con.execute(f"SELECT * FROM read_parquet('{gen.file(name)}') ORDER BY {order}")
        cols = [d[0] for d in cur.description]
        return sorted((fix(dict(zip(cols, r))) for r in cur.fetchall()), key=repr)

    return {"links": rows("links", "rid, bid, ord"), "enterprises": rows("enterprises", "uscc"),
            "names": rows("names", "name, uscc"), "review": rows("review", "name, uscc"),
            "figures": gen.state["figures"]}


def test_a_second_batch_touches_only_its_enterprises_and_equals_a_full_build(tmp_path):
    store = Store(tmp_path / "pipeline")
    ingest_rows(store, "registration", [
        {"uscc": A, "ent_name": "海宁甲建设有限公司", "legal_rep": "张三", "status": "存续"},
        {"uscc": B, "ent_name": "海宁华鼎股份有限公司", "legal_rep": "李四", "status": "存续"},
        {"uscc": C, "ent_name": "海宁丙纺织有限公司", "legal_rep": "王五", "status": "存续"},
        {"uscc": E, "ent_name": "海宁戊电子有限公司", "legal_rep": "周八", "status": "存续"},
    ], "reg1.csv")
    ingest_rows(store, "penalty", [
        {"case_no": "P1", "uscc": A, "party": "海宁甲建设有限公司"},
        {"case_no": "P2", "party": "海宁新星科技有限公司"},          # not registered yet
        {"case_no": "P3", "party": "某单位", "org_code": B[8:17]},
        {"case_no": "P4", "party": "华鼎股份公司"},                  # name of B
        {"case_no": "P6", "party": "海宁新量科技有限公司"},          # will be one character from D
    ], "pen1.csv")
    ingest_rows(store, "tax", [
        {"record_no": "T1", "uscc": C, "taxpayer": "海宁丙纺织有限公司"},
        {"record_no": "T2", "taxpayer": "海宁市丙纺织有限公司"},
        {"record_no": "T3", "uscc": E, "taxpayer": "海宁戊电子有限公司"},
        {"record_no": "T4", "taxpayer": "戊电子有限公司"},
    ], "tax1.csv")
    root, decisions = tmp_path / "archive", [Decision("新量科技有限公司", D, False, 1)]
    first = build(root, store, SRC, decisions)
    assert (first["enterprises"], first["linked"], first["unlinked"], first["review"]) == (4, 11, 2, 0)
    before = _dump(root)

    ingest_rows(store, "registration", [
        {"uscc": D, "ent_name": "海宁新星科技有限公司", "legal_rep": "吴九", "status": "存续"},     # new enterprise
        {"uscc": B, "ent_name": "海宁华鼎集团股份有限公司", "legal_rep": "李四", "status": "存续"},  # renamed
    ], "reg2.csv")
    ingest_rows(store, "penalty", [
        {"case_no": "P1", "uscc": C, "party": "海宁丙纺织有限公司"},   # new version: now about C
        {"case_no": "P5", "party": "某单位", "org_code": f"{D[8:16]}-{D[16]}"},
    ], "pen2.csv")
    second = build(root, store, SRC, decisions)
    assert second["full"] is False and second["batches"] == 2
    assert second["touched"] == 4  # A (lost P1), B (renamed, lost P4), C (gained P1), D (new); not E
    after = _dump(root)
    unchanged = [e for e in before["enterprises"] if e["uscc"] == E]
    assert unchanged and unchanged == [e for e in after["enterprises"] if e["uscc"] == E]

    full_root = tmp_path / "full"
    full = build(full_root, store, SRC, decisions, full=True)
    assert full["full"] is True and full["touched"] == 5
    assert _dump(full_root) == after
    links = {(r["resource"], r["ord"], r["batch"]): (r["uscc"], r["method"]) for r in after["links"]}
    pen = SRC[1].resource
    pen1 = [b.batch_id for b in store.batches(pen)][0]
    assert links[(pen, 2, pen1)] == (D, 3)        # P2 linked by name once D was registered (method 3 = name)
    assert links[(pen, 4, pen1)] == (None, 0)     # P4: B was renamed, its old name no longer links
    assert links[(pen, 5, pen1)] == (None, 0)     # P6: one character from D, rejected by the reviewer
    assert after["figures"] == {"enterprises": 5, "linked": 13, "unlinked": 2, "review": 0}


def test_nothing_new_is_a_no_op_and_a_decision_alone_relinks_its_name(tmp_path):
    store = Store(tmp_path / "pipeline")
    ingest_rows(store, "registration", [{"uscc": A, "ent_name": "海宁甲建设有限公司"}])
    ingest_rows(store, "penalty", [{"case_no": "P1", "party": "海宁乙建设有限公司"}])
    root = tmp_path / "archive"
    first = build(root, store, SRC)
    again = build(root, store, SRC)
    assert again["generation"] == first["generation"] and again["touched"] == 0
    decided = build(root, store, SRC, [Decision("乙建设有限公司", A, True, 1)])
    assert (decided["touched"], decided["linked"], decided["unlinked"], decided["review"]) == (1, 2, 0, 0)
    assert _dump(root)["links"] == _dump_full(tmp_path, store, [Decision("乙建设有限公司", A, True, 1)])["links"]


def _dump_full(tmp_path, store, decisions):
    build(tmp_path / "full2", store, SRC, decisions, full=True)
    return _dump(tmp_path / "full2")

"""``zhengshu trading check|evaluate|rules``: the command line, run outside this (Django-free) package.

One subprocess runs every command of this module through Django's ``call_command`` (capturing stdout, stderr
and the ``CommandError`` message); one more runs the real ``zhengshu`` entry point for the exit code.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .pdfmaker import make_empty_pdf

DATA = Path(__file__).resolve().parents[1] / "data"
REPO = Path(__file__).resolve().parents[4]

DRIVER = """
import io, json, sys, types, django
django.setup()
from django.core.management import CommandError, call_command
calls = json.loads(sys.argv[1])
results = []
for call in calls:
    saved = sys.modules.get("zhengshu.trading.selectors")
    if call.get("fake_overrides") is not None:
        module = types.ModuleType("zhengshu.trading.selectors")
        module.rule_overrides = lambda rows=call["fake_overrides"]: rows
        sys.modules["zhengshu.trading.selectors"] = module
    out, err = io.StringIO(), io.StringIO()
    error = None
    try:
        call_command("trading", *call["args"], stdout=out, stderr=err)
    except CommandError as exc:
        error = str(exc)
    finally:
        if saved is not None:
            sys.modules["zhengshu.trading.selectors"] = saved
        else:
            sys.modules.pop("zhengshu.trading.selectors", None)
    results.append({"out": out.getvalue(), "err": err.getvalue(), "error": error})
print(json.dumps(results, ensure_ascii=False))
"""

CHECK_TEXT = "第二章 资格要求\n1. 投标人注册地须位于嘉兴市行政区域内。\n2. 投标保证金：人民币30万元。\n"
BATCH = [{"text": "电缆须采用远东品牌。", "project": {}},
         {"text": "电缆应符合国家标准。", "project": {}},
         {"text": "投标保证金：人民币30万元。", "project": {"estimated_price_yuan": 6000000}},
         {"text": "投标保证金：人民币30万元。", "project": {"estimated_price_yuan": 60000000}},
         {"text": "价格分满分为20分。", "project": {"regime": "procurement", "kind": "goods"}}]


def _env():
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "zhengshu.testing_settings"}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    (d / "doc.txt").write_text(CHECK_TEXT, encoding="gbk")
    (d / "bond.txt").write_text("投标保证金：人民币13万元。", encoding="utf-8")
    (d / "facts.json").write_text('{"estimated_price_yuan": 6000000}', encoding="utf-8")
    (d / "batch.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in BATCH) + "\n", "utf-8")
    (d / "bad.jsonl").write_text('{"text": "电缆须采用远东品牌。"}\nnot json\n{"project": {}}\n{"text": "无"}\n', "utf-8")
    (d / "scan.pdf").write_bytes(make_empty_pdf())
    (d / "brand.txt").write_text("电缆须采用远东品牌。", encoding="utf-8")
    b = ["--builtin-only"]
    calls = {
        "check_json": ["check", str(d / "doc.txt"), "--facts", '{"estimated_price_yuan": 6000000}', "--json", *b],
        "check_plain": ["check", str(d / "bond.txt"), "--facts", str(d / "facts.json"), *b],
        "batch": ["check", "--batch", str(d / "batch.jsonl"), "--json", *b],
        "batch_bad": ["check", "--batch", str(d / "bad.jsonl"), "--json", *b],
        "no_file": ["check", *b],
        "scan": ["check", str(d / "scan.pdf"), *b],
        "bad_facts": ["check", str(d / "brand.txt"), "--facts", "{bad", *b],
        "evaluate": ["evaluate", str(DATA / "clauses.jsonl"), *b],
        "evaluate_json": ["evaluate", str(DATA / "clauses_holdout.jsonl"), "--json", *b],
        "rules_json": ["rules", "--json", *b],
        "rules": ["rules", *b],
    }
    payload = [{"args": args} for args in calls.values()]
    payload.append({"args": ["check", str(d / "brand.txt"), "--json"],
                    "fake_overrides": [{"id": "QX-05", "enabled": False},
                                       {"id": "ZJ-01", "pattern": "[", "message": "x"}]})
    proc = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(payload, ensure_ascii=False)], cwd=REPO,
                          env=_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return {**dict(zip(calls, out)), "overrides": out[-1], "dir": d}


def test_check_file_json(results):
    r = results["check_json"]
    assert r["error"] is None
    out = json.loads(r["out"])
    assert [f["rule"] for f in out["findings"]] == ["QX-07", "QX-18"]
    for f in out["findings"]:
        assert CHECK_TEXT[f["start"]:f["end"]] == f["text"]
        assert {"rule", "group", "basis", "severity", "start", "end", "text", "message"} <= set(f)
    assert out["sections"][0]["kind"] == "qualification"


def test_check_facts_from_a_file_and_plain_output(results):
    assert "QX-18" in results["check_plain"]["out"] and "2.17%" in results["check_plain"]["out"]


def test_batch_one_line_per_input_in_order(results):
    out = [json.loads(x) for x in results["batch"]["out"].splitlines()]
    assert [[f["rule"] for f in o["findings"]] for o in out] == [["QX-05"], [], ["QX-18"], [], ["QX-28"]]
    assert set(out[0]["findings"][0]) == {"rule", "group", "basis", "severity", "start", "end", "text", "message"}


def test_batch_bad_line_keeps_the_order_and_fails(results):
    r = results["batch_bad"]
    assert "2 行输入无效" in r["error"]
    rows = [json.loads(x) for x in r["out"].splitlines()]
    assert len(rows) == 4 and rows[0]["findings"] and "第2行" in rows[1]["error"] and "第3行" in rows[2]["error"]
    assert rows[3] == {"findings": []}


def test_check_errors_are_chinese(results):
    assert "二者选一" in results["no_file"]["error"]
    assert "没有文字层" in results["scan"]["error"]
    assert "--facts 不是有效的 JSON" in results["bad_facts"]["error"]


def test_evaluate_table_and_json(results):
    out = results["evaluate"]["out"]
    assert "召回率" in out and "7N-7" in out and "合计" in out
    data = json.loads(results["evaluate_json"]["out"])
    assert data["recall"] >= 0.9 and data["fpr"] <= 0.1 and set(data["groups"]) == {f"7N-{i}" for i in range(1, 8)}


def test_rules_listing(results):
    data = json.loads(results["rules_json"]["out"])
    assert len(data["rules"]) >= 35 and data["groups"]["7N-6"].startswith("不准违规确定中标人")
    assert "QX-05" in results["rules"]["out"]


def test_database_overrides_are_used_when_the_app_provides_them(results):
    r = results["overrides"]
    assert r["error"] is None
    assert json.loads(r["out"])["findings"] == []
    assert "规则覆盖未生效" in r["err"]


def test_entry_point_exit_codes(results):
    d = results["dir"]
    ok = subprocess.run([sys.executable, "-m", "zhengshu.cli", "trading", "check", str(d / "brand.txt"), "--json",
                         "--builtin-only"], cwd=REPO, env=_env(), capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and json.loads(ok.stdout)["findings"][0]["rule"] == "QX-05"

"""The CLI: exact JSON of ingest and status, rejects as CSV (UTF-8 with BOM or GBK) and XLSX."""

from __future__ import annotations

import io
import json

import openpyxl
import yaml

from zhengshu.pipeline.cli import run

from .conftest import MESSY, SCHEMA, messy_text


class Out(io.StringIO):
    def __init__(self):
        super().__init__()
        self.buffer = io.BytesIO()


def cli(root, *argv):
    out, err = Out(), Out()
    code = run(list(argv), root, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue(), out.buffer.getvalue()


def test_ingest_status_rejects(tmp_path):
    data, schema_file, root = tmp_path / "m.csv", tmp_path / "s.yaml", tmp_path / "store"
    data.write_text(messy_text(), encoding="gbk")
    schema_file.write_text(yaml.safe_dump(SCHEMA, allow_unicode=True), encoding="utf-8")
    code, out, err, _ = cli(root, "ingest", str(data), "--resource", SCHEMA["resource"], "--schema",
                            str(schema_file), "--json")
    assert code == 0 and err == ""
    result = json.loads(out)
    assert list(result) == ["batch_id", "read", "accepted", "rejected", "seconds"]
    rejected = sum(1 for _, rule in MESSY if rule)
    assert (result["read"], result["rejected"]) == (len(MESSY), rejected)

    code, out, err, _ = cli(root, "ingest", str(data), "--resource", SCHEMA["resource"], "--schema",
                            str(schema_file), "--json")
    assert json.loads(out)["batch_id"] == result["batch_id"] and "未重复归集" in err

    code, out, _, _ = cli(root, "status", "--resource", SCHEMA["resource"], "--json")
    assert json.loads(out) == {"batches": 1, "rows": result["accepted"]}

    code, _, _, raw = cli(root, "rejects", result["batch_id"], "--format", "csv")
    assert code == 0 and raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("行号,列,规则,原因,统一社会信用代码")
    gbk = tmp_path / "r.csv"
    cli(root, "rejects", result["batch_id"], "--format", "csv", "--encoding", "gbk", "--output", str(gbk))
    assert gbk.read_bytes().decode("gbk").startswith("行号,列,规则,原因")
    xlsx = tmp_path / "r.xlsx"
    code, _, err, _ = cli(root, "rejects", result["batch_id"], "--format", "xlsx", "--output", str(xlsx))
    assert code == 0 and f"已导出 {rejected} 行" in err
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet.max_row == rejected + 1 and sheet["C2"].value == "check:uscc"


def test_errors_are_chinese_with_exit_code(tmp_path):
    root = tmp_path / "store"
    code, _, err, _ = cli(root, "ingest", str(tmp_path / "none.csv"), "--resource", "x")
    assert code == 1 and "资源目录中没有信息资源 x" in err
    schema_file = tmp_path / "s.yaml"
    schema_file.write_text(yaml.safe_dump(SCHEMA, allow_unicode=True), encoding="utf-8")
    code, _, err, _ = cli(root, "ingest", str(tmp_path / "none.csv"), "--resource", SCHEMA["resource"],
                          "--schema", str(schema_file))
    assert code == 1 and "不存在" in err
    code, _, err, _ = cli(root, "rejects", "nope")
    assert code == 1 and "批次 nope 不存在" in err

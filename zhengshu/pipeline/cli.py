"""``zhengshu pipeline …``: ingest, status, rejects. Django-free; the datagov command wraps it.

    zhengshu pipeline ingest FILE|URL --resource CODE [--schema YAML] [--table T --watermark COL] --json
        → {"batch_id", "read", "accepted", "rejected", "seconds"}
    zhengshu pipeline status --resource CODE --json      → {"batches", "rows"}
    zhengshu pipeline rejects BATCH --format csv|xlsx [--output FILE] [--encoding utf-8-sig|gbk]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

from .engine import IngestError, ingest
from .schema import SchemaError, load_schema
from .store import Store

REJECT_HEADER = ["行号", "列", "规则", "原因"]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="zhengshu pipeline", description="数据归集管道：归集、状态、拒收明细")
    sub = p.add_subparsers(dest="action", required=True)
    i = sub.add_parser("ingest", help="归集一个文件或数据库表")
    i.add_argument("source", help="文件（CSV/TSV/XLSX）或数据库地址（postgresql://、mysql://、sqlite:///）")
    i.add_argument("--resource", required=True, help="信息资源代码")
    i.add_argument("--schema", help="数据项定义 YAML（缺省时从资源目录读取）")
    i.add_argument("--table", help="数据库来源的表名")
    i.add_argument("--watermark", help="数据库来源的水位列（增量读取）")
    i.add_argument("--json", action="store_true", help="输出 JSON")
    s = sub.add_parser("status", help="资源的批次数和当前记录数")
    s.add_argument("--resource", required=True)
    s.add_argument("--json", action="store_true")
    r = sub.add_parser("rejects", help="导出一个批次的拒收明细")
    r.add_argument("batch")
    r.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    r.add_argument("--output", help="输出文件（缺省为标准输出）")
    r.add_argument("--encoding", choices=("utf-8-sig", "gbk"), default="utf-8-sig",
                   help="CSV 编码：带 BOM 的 UTF-8（Excel 可直接打开，缺省）或 GBK")
    return p


def _progress(stream) -> Callable[[str], None] | None:
    if not stream.isatty():
        return None
    return lambda message: stream.write(f"… {message}\n") or stream.flush()


def reject_rows(store: Store, batch_id: str):
    """Header + rows for the rejects export: row, column, rule, reason, then the source values."""
    rows = list(store.rejects(batch_id))
    value_keys: list[str] = []
    for row in rows:
        for key in row["values"]:
            if key not in value_keys:
                value_keys.append(key)
    yield REJECT_HEADER + value_keys
    for row in rows:
        yield [row["row"], row["column"] or "", row["rule"], row["reason"]] + \
            [row["values"].get(k) or "" for k in value_keys]


def write_rejects(store: Store, batch_id: str, fmt: str, out, encoding: str = "utf-8-sig") -> int:
    """Write the export to a binary stream; returns the number of rejected rows."""
    if store.batch(batch_id) is None:
        raise KeyError(f"批次 {batch_id} 不存在")
    count = -1
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("拒收明细")
        for row in reject_rows(store, batch_id):
            sheet.append(row)
            count += 1
        buffer = io.BytesIO()
        book.save(buffer)
        out.write(buffer.getvalue())
        return count
    text = io.TextIOWrapper(out, encoding=encoding, errors="replace" if encoding == "gbk" else "strict",
                            newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\r\n")
    for row in reject_rows(store, batch_id):
        writer.writerow(row)
        count += 1
    text.flush()
    text.detach()
    return count


def run(argv: list[str], root: Path, schema_lookup: Callable[[str], dict | None] | None = None,
        stdout=None, stderr=None) -> int:
    """Run one command; returns the exit code. ``schema_lookup`` gives the catalogue's schema."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = parser().parse_args(argv)
    store = Store(root)
    try:
        if args.action == "ingest":
            if args.schema:
                schema = load_schema(args.schema)
            else:
                schema = schema_lookup(args.resource) if schema_lookup else None
                if schema is None:
                    raise SchemaError(f"资源目录中没有信息资源 {args.resource}（或已撤销），请用 --schema 指定数据项定义文件")
            result = ingest(args.source, args.resource, schema, store, _progress(stderr),
                            table=args.table, watermark=args.watermark)
            if result.get("existing"):
                stderr.write(f"内容与已归集的批次 {result['batch_id']} 相同，未重复归集\n")
            shown = {k: result[k] for k in ("batch_id", "read", "accepted", "rejected", "seconds")}
            if args.json:
                stdout.write(json.dumps(shown, ensure_ascii=False) + "\n")
            else:
                stdout.write(f"批次 {shown['batch_id']}：读取 {shown['read']} 行，接收 {shown['accepted']} 行，"
                             f"拒收 {shown['rejected']} 行，用时 {shown['seconds']} 秒\n")
        elif args.action == "status":
            status = store.status(args.resource)
            if args.json:
                stdout.write(json.dumps(status) + "\n")
            else:
                stdout.write(f"资源 {args.resource}：{status['batches']} 个批次，当前 {status['rows']} 条记录\n")
        else:
            if args.output:
                with open(args.output, "wb") as handle:
                    n = write_rejects(store, args.batch, args.format, handle, args.encoding)
                stderr.write(f"已导出 {n} 行拒收明细到 {args.output}\n")
            else:
                if args.format == "xlsx" and stdout.isatty():
                    raise IngestError("xlsx 是二进制文件，请用 --output 指定文件")
                stdout.flush()
                write_rejects(store, args.batch, args.format, stdout.buffer, args.encoding)
    except (IngestError, SchemaError, KeyError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) else str(exc)
        stderr.write(f"错误：{message}\n")
        return 1
    return 0


def main(argv: list[str] | None = None) -> None:  # python -m zhengshu.pipeline.cli --root DIR …
    argv = list(sys.argv[1:] if argv is None else argv)
    root = Path("./var/pipeline")
    if argv[:1] == ["--root"]:
        root, argv = Path(argv[1]), argv[2:]
    raise SystemExit(run(argv, root))


if __name__ == "__main__":
    main()

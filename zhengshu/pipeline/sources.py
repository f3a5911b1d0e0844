"""Sources: files (CSV/TSV/XLSX in UTF-8, UTF-8 with BOM, GBK, GB18030) and databases by URL.

Every source becomes one UTF-8 delimited text file that DuckDB (or Spark) reads, plus a content
fingerprint (SHA-256 of the bytes as delivered) and a source name for the manifest.

- UTF-8 files are read in place; the fingerprint is computed in a thread beside the DuckDB pass.
- GBK/GB18030 files are transcoded by Python's C codec on 8 MB blocks, a large file in line-aligned ranges by one
  worker process per CPU while this process computes the fingerprint; DuckDB then reads the UTF-8 copy.
- XLSX: the first sheet, through openpyxl in read-only mode; dates become ISO text.
- Databases: ``postgresql://…``, ``mysql://…`` / ``mariadb://…``, ``sqlite:///path``; rows newer than
  the last committed watermark, ordered by the watermark column.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

BLOCK = 8 << 20
SAMPLE = 1 << 20


class SourceError(ValueError):
    """A source that cannot be read; the message says which file and why, in Chinese."""


@dataclass
class Prepared:
    path: Path  # UTF-8 delimited text
    delimiter: str
    header: list[str]
    encoding: str  # as detected in the original
    source_name: str
    fingerprint: str | None  # None: being computed by ``hasher``
    hasher: threading.Thread | None = None
    watermark: str | None = None
    _digest: list | None = None

    def wait_fingerprint(self) -> str:
        if self.fingerprint is None and self.hasher is not None:
            self.hasher.join()
            self.fingerprint = self._digest[0]
        return self.fingerprint  # type: ignore[return-value]


def detect_encoding(sample: bytes, name: str = "") -> str:
    """'utf-8-sig', 'utf-8', 'gbk' or 'gb18030' for the first bytes of a text file."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceError(f"文件 {name} 是 UTF-16 编码，请另存为 UTF-8 或 GBK 后再归集")
    for encoding in ("utf-8", "gbk", "gb18030"):  # the first that decodes the sample (a cut-off end is allowed)
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return encoding
    raise SourceError(f"无法识别文件 {name} 的编码（支持 UTF-8、带 BOM 的 UTF-8、GBK、GB18030）")


def sniff_delimiter(line: str, suffix: str) -> str:
    if suffix in (".tsv", ".tab"):
        return "\t"
    counts = {d: line.count(d) for d in (",", "\t", "|", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_header(first: str, delimiter: str) -> list[str]:
    row = next(csv.reader(io.StringIO(first), delimiter=delimiter), None)
    if not row:
        raise SourceError("文件第1行（表头）为空")
    return [h.replace("\ufeff", "").strip() for h in row]


def _first_record(text: str) -> str:
    """The header record (it may hold quoted newlines, rarely)."""
    reader = csv.reader(io.StringIO(text))
    try:
        next(reader)
    except (StopIteration, csv.Error):
        return text.splitlines()[0] if text else ""
    # The reader consumed whole lines; re-join them.
    n = reader.line_num
    return "\n".join(text.splitlines()[:n])


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def prepare_file(path: Path, work: Path, background_hash: bool = True) -> Prepared:
    """Make ``path`` readable as UTF-8 delimited text; see the module docstring."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"文件 {path} 不存在")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return prepare_xlsx(path, work)
    if suffix == ".xls":
        raise SourceError(f"文件 {path} 是旧版 Excel（.xls），请另存为 .xlsx 或 CSV 后再归集")
    with open(path, "rb") as handle:
        sample = handle.read(SAMPLE)
    if not sample.strip():
        raise SourceError(f"文件 {path} 是空文件")
    encoding = detect_encoding(sample, str(path))
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    first = _first_record(text.lstrip("\ufeff"))
    delimiter = sniff_delimiter(first.splitlines()[0] if first else "", suffix)
    header = read_header(first, delimiter)
    if encoding in ("utf-8", "utf-8-sig"):
        if background_hash and path.stat().st_size > 64 * SAMPLE:
            box: list = [None]
            thread = threading.Thread(target=lambda: box.__setitem__(0, hash_file(path)), daemon=True)
            thread.start()
            return Prepared(path, delimiter, header, encoding, path.name, None, thread, _digest=box)
        return Prepared(path, delimiter, header, encoding, path.name, hash_file(path))
    target = work / "source.utf8.csv"
    fingerprint = transcode(path, target, encoding)
    return Prepared(target, delimiter, header, encoding, path.name, fingerprint)


PARALLEL_MIN = 64 << 20  # smaller files are transcoded in this process: starting workers costs more


def transcode(source: Path, target: Path, encoding: str, workers: int | None = None,
              min_parallel: int = PARALLEL_MIN) -> str:
    """GBK/GB18030 → UTF-8; returns the SHA-256 of the source bytes.

    A large file is cut at line ends into one range per CPU and each range is decoded by a worker process (the
    codec holds the GIL); this process hashes the file meanwhile, then appends the parts to ``target`` in order,
    so the result is byte for byte the serial one. Cutting at a line end is safe in both encodings: no GBK or
    GB18030 multi-byte sequence contains the byte 0x0A. A byte that cannot be decoded raises ``SourceError``
    naming the line, counted over the whole file.
    """
    size = source.stat().st_size
    workers = workers or os.cpu_count() or 1
    if workers < 2 or size < max(min_parallel, 1):
        return _transcode_serial(source, target, encoding)
    bounds = _line_bounds(source, size, workers)
    if len(bounds) < 3:
        return _transcode_serial(source, target, encoding)
    parts = [target] + [target.with_name(f"{target.name}.part{i}") for i in range(1, len(bounds) - 1)]
    context = multiprocessing.get_context("spawn")  # never fork a process that may hold threads or connections
    with ProcessPoolExecutor(max_workers=len(parts), mp_context=context) as pool:
        futures = [pool.submit(_transcode_range, str(source), start, end, str(part))
                   for start, end, part in zip(bounds, bounds[1:], parts)]
        digest = hash_file(source)
        results = [f.result() for f in futures]
    lines_before = 0
    for newlines, bad_line in results:
        if bad_line is not None:
            for part in parts[1:]:
                part.unlink(missing_ok=True)
            raise SourceError(f"文件 {source.name} 约第{lines_before + bad_line}行含有 {encoding.upper()} 无法解码的字节")
        lines_before += newlines
    with open(target, "r+b") as out:  # not "ab": copy_file_range refuses a file opened for appending
        out.seek(0, os.SEEK_END)
        for part in parts[1:]:
            with open(part, "rb") as src:
                remaining = os.fstat(src.fileno()).st_size
                while remaining > 0:
                    remaining -= os.copy_file_range(src.fileno(), out.fileno(), remaining)
            part.unlink()
    return digest


def _line_bounds(source: Path, size: int, pieces: int) -> list[int]:
    """Byte offsets 0 < … < size cutting the file into about ``pieces`` ranges, each cut just after a newline."""
    bounds = [0]
    with open(source, "rb") as handle:
        for k in range(1, pieces):
            handle.seek(max(size * k // pieces, bounds[-1]))
            rest = handle.readline()  # up to and including the next newline
            cut = handle.tell()
            if rest and cut < size and cut > bounds[-1]:
                bounds.append(cut)
    return bounds + [size]


def _transcode_range(path: str, start: int, end: int, target: str) -> tuple[int, int | None]:
    """One worker's range: (newlines in it, the 1-based line within it of an undecodable byte, or None)."""
    decoder = codecs.getincrementaldecoder("gb18030")()
    newlines = 0
    with open(path, "rb") as src, open(target, "wb") as dst:
        src.seek(start)
        left = end - start
        while left > 0:
            block = src.read(min(BLOCK, left))
            if not block:
                break
            left -= len(block)
            try:
                dst.write(decoder.decode(block).encode("utf-8"))
            except UnicodeDecodeError as exc:
                return newlines, newlines + 1 + block[:exc.start].count(10)
            newlines += block.count(10)
        try:
            dst.write(decoder.decode(b"", final=True).encode("utf-8"))
        except UnicodeDecodeError:
            return newlines, newlines + 1
    return newlines, None


def _transcode_serial(source: Path, target: Path, encoding: str) -> str:
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("gb18030")()  # a superset of GBK
    line = 1
    with open(source, "rb") as src, open(target, "wb") as dst:
        while block := src.read(BLOCK):
            digest.update(block)
            try:
                dst.write(decoder.decode(block).encode("utf-8"))
            except UnicodeDecodeError as exc:
                raise SourceError(f"文件 {source.name} 约第{line + block[:exc.start].count(10)}行含有 {encoding.upper()} "
                                  f"无法解码的字节") from None
            line += block.count(10)
        try:
            dst.write(decoder.decode(b"", final=True).encode("utf-8"))
        except UnicodeDecodeError:
            raise SourceError(f"文件 {source.name} 约第{line}行含有 {encoding.upper()} 无法解码的字节") from None
    return digest.hexdigest()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def prepare_xlsx(path: Path, work: Path) -> Prepared:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SourceError(f"无法打开 Excel 文件 {path.name}：{exc}") from None
    target = work / "source.xlsx.csv"
    header: list[str] | None = None
    try:
        sheet = book.worksheets[0]
        with open(target, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            for row in sheet.iter_rows(values_only=True):
                cells = [_cell(v) for v in row]
                while cells and cells[-1] == "":
                    cells.pop()
                if header is None:
                    if not cells:
                        continue
                    header = [c.strip() for c in cells]
                    width = len(header)
                    writer.writerow(header)
                    continue
                if not cells:
                    continue  # openpyxl reports trailing formatted-but-empty rows
                writer.writerow(cells + [""] * (width - len(cells)) if len(cells) < width else cells)
    finally:
        book.close()
    if header is None:
        raise SourceError(f"Excel 文件 {path.name} 的第一个工作表是空的")
    return Prepared(target, ",", header, "xlsx", path.name, hash_file(path))


# -- databases ----------------------------------------------------------------------------------
def is_database_url(text: str) -> bool:
    return "://" in str(text) and str(text).split("://", 1)[0].lower() in (
        "postgres", "postgresql", "mysql", "mariadb", "sqlite")


def display_url(url: str) -> str:
    """The URL without its password, for the manifest."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", "@")
        return parts._replace(netloc=netloc).geturl()
    return url


def _connect(url: str):
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        import sqlite3

        return sqlite3.connect(unquote(parts.path[1:] if parts.path.startswith("//") else parts.path)), "?", '"'
    if scheme in ("postgres", "postgresql"):
        import psycopg

        return psycopg.connect(url.replace("postgres://", "postgresql://", 1)), "%s", '"'
    if scheme in ("mysql", "mariadb"):
        try:
            import pymysql
        except ImportError:
            raise SourceError("读取 MySQL/MariaDB 需要安装 pymysql") from None
        return pymysql.connect(host=parts.hostname or "127.0.0.1", port=parts.port or 3306,
                               user=unquote(parts.username or "root"), password=unquote(parts.password or ""),
                               database=parts.path.lstrip("/") or None, charset="utf8mb4"), "%s", "`"
    raise SourceError(f"不支持的数据库地址 {display_url(url)}（支持 postgresql://、mysql://、sqlite:///）")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def prepare_database(url: str, table: str, watermark_column: str | None, since: str | None,
                     work: Path) -> Prepared:
    """Rows of ``table`` with ``watermark_column`` > ``since`` (all rows without a watermark)."""
    import re

    for name, value in (("表名", table), ("水位列", watermark_column)):
        if value is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", value):
            raise SourceError(f"{name} {value!r} 只能包含字母、数字、下划线和点")
    try:
        con, mark, quote = _connect(url)
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(f"无法连接数据库 {display_url(url)}：{exc}") from None
    qt = ".".join(f"{quote}{p}{quote}" for p in table.split("."))
    sql = f"SELECT * FROM {qt}"
    args: tuple = ()
    if watermark_column:
        qw = f"{quote}{watermark_column}{quote}"
        if since is not None:
            sql += f" WHERE {qw} > {mark}"
            args = (since,)
        sql += f" ORDER BY {qw}"
    target = work / "source.db.csv"
    digest = hashlib.sha256()
    top: str | None = None
    try:
        cur = con.cursor()
        cur.execute(sql, args)
        header = [d[0] for d in cur.description]
        widx = header.index(watermark_column) if watermark_column in header else None
        with open(target, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(header)
            while rows := cur.fetchmany(5000):
                buffer = io.StringIO()
                csv.writer(buffer, lineterminator="\n").writerows([_text(v) for v in r] for r in rows)
                chunk = buffer.getvalue()
                digest.update(chunk.encode("utf-8"))
                out.write(chunk)
                if widx is not None:
                    top = _text(rows[-1][widx])
    except Exception as exc:
        raise SourceError(f"读取数据库表 {table} 失败：{exc}") from None
    finally:
        con.close()
    name = f"{display_url(url)}#{table}"
    # The fingerprint covers the rows and where they came from, so an unchanged delta is a no-op.
    digest.update(f"\0{name}\0{since}".encode())
    return Prepared(target, ",", header, "utf-8", name, digest.hexdigest(), watermark=top)

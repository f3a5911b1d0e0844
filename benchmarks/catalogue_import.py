"""Benchmark of the item-catalogue import on generated 2,000- and 20,000-item catalogues, beside a baseline.

    ./run bench catalogue_import [--sizes 2000 20000] [--formats xlsx gbk]

For each size and format (an XLSX workbook with the 事项 and 申请材料 sheets, or two GBK CSV files) rows:
- baseline: the same file read the plain way in the same process (openpyxl read-only ``iter_rows`` over both
  sheets, or ``csv.reader`` over the GBK-decoded text), no checks, no database;
- 首次导入: ``import_catalogue`` into an empty catalogue (every row checked, items, materials, change log and
  quality findings written in one transaction);
- 重复导入: the same file again (every row checked and matched by 实施编码; nothing differs, nothing is written).

Each row gives 事项 rows per second and the peak Python memory (tracemalloc, measured in a second run so that
tracing does not slow the timed one). Everything runs inside one transaction that is rolled back, so the
database (``ZHENGSHU_DATABASE_URL``, or a fresh SQLite file) is left as it was. Nothing is asserted about speed.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import setup_django  # noqa: E402  (benchmarks/ is the script's directory)



def measure(fn) -> tuple[float, float, object]:
    """(seconds, peak MiB, result): timed without tracing, then run again under tracemalloc for the peak."""
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        fn()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return seconds, peak, result


def baseline_xlsx(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for name in ("事项", "申请材料") for _row in workbook[name].iter_rows(values_only=True))
    workbook.close()
    return rows


def baseline_csv(path: Path) -> int:
    rows = 0
    for target in (path, path.with_name(f"{path.stem}_申请材料.csv")):
        rows += sum(1 for _row in csv.reader(io.StringIO(target.read_bytes().decode("gbk"))))
    return rows


def bench(sizes: list[int], formats: list[str], emit) -> None:
    """Run every measurement; ``emit(label, name, rows, seconds, peak_mib)`` is called as each one finishes."""
    from django.db import transaction

    from zhengshu.core.testing import make_personas
    from zhengshu.govservices.catalogue_io import import_catalogue
    from zhengshu.govservices.models import Material, ServiceItem
    from zhengshu.govservices.tests.helpers import catalogue_rows, give_uscc, write_csv, write_xlsx

    folder = Path(tempfile.mkdtemp(prefix="zs-catalogue-bench-"))
    try:
        with transaction.atomic():
            world = make_personas()
            give_uscc(world)
            for size in sizes:
                items, materials = catalogue_rows(world, size)
                for kind in formats:
                    if kind == "xlsx":
                        path, read = write_xlsx(folder, f"c{size}", items, materials), baseline_xlsx
                    else:
                        path, read = write_csv(folder, f"c{size}", items, materials, "gbk"), baseline_csv
                    label = f"{size:,} 项 {'XLSX' if kind == 'xlsx' else 'GBK CSV'}"
                    seconds, peak, _rows = measure(lambda path=path, read=read: read(path))
                    emit(label, "基线：逐行读取（无校验、不写库）", size, seconds, peak)

                    def first(path=path):
                        with transaction.atomic():
                            result = import_catalogue([path])
                            assert result["created"] == size, result["errors"][:3]
                            transaction.set_rollback(True)
                        return result

                    seconds, peak, _ = measure(first)
                    emit(label, "首次导入（校验、写入、质量规则）", size, seconds, peak)
                    with transaction.atomic():
                        import_catalogue([path])
                        assert ServiceItem.objects.count() == size and Material.objects.count() == len(materials)

                        def again(path=path):
                            result = import_catalogue([path])
                            assert (result["created"], result["updated"]) == (0, size), result
                            return result

                        seconds, peak, _ = measure(again)
                        emit(label, "重复导入（全部比对，无变化不写）", size, seconds, peak)
                        transaction.set_rollback(True)
            transaction.set_rollback(True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000], help="事项数")
    parser.add_argument("--formats", nargs="+", choices=["xlsx", "gbk"], default=["xlsx", "gbk"])
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    print(f"数据库：{connection.vendor}")
    print(f"{'文件':<18}{'项目':<28}{'事项行':>8}{'秒':>9}{'行/秒':>10}{'峰值内存MiB':>13}", flush=True)

    def emit(label, name, rows, seconds, peak):
        print(f"{label:<18}{name:<28}{rows:>8}{seconds:>9.2f}{rows / seconds:>10,.0f}{peak:>13.1f}", flush=True)

    bench(args.sizes, args.formats, emit)


if __name__ == "__main__":
    main()

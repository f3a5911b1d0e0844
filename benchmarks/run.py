"""Benchmarks of the foundation, each beside a baseline run in the same process.

    ./run bench [--rows N]

- change log: append through ``record_change`` and ``verify_chain`` (HMAC-SM3 chain), against a
  baseline that reads the same rows the same way and chains them with plain SHA-256, so the difference
  is the cost of the keyed SM3;
- identifiers: ``identifiers.check`` on valid credit codes and ID numbers, against a baseline that only
  matches their shape with a regular expression.

Prints a table; nothing here asserts a speed (tests never do).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import setup_django  # noqa: E402  (benchmarks/ is the script's directory)



def timed(fn, *args) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


def bench_changelog(rows: int) -> list[tuple[str, int, float, float]]:
    from django.db import transaction

    from zhengshu.core.models import ChangeAction, ChangeLogEntry, record_change, verify_chain
    from zhengshu.core.models.changelog import canonical

    def append():
        with transaction.atomic():
            for i in range(rows):
                record_change(action=ChangeAction.SYSTEM, object_type="bench.row", object_id=str(i),
                              object_repr=f"第{i}行", after={"n": i, "名称": "海宁"}, message="基准")

    append_s, _ = timed(append)
    verify_s, result = timed(verify_chain)
    assert result.ok, result.reason

    def baseline():
        digest = "0" * 64
        rows = ChangeLogEntry.objects.order_by("seq").values_list(*ChangeLogEntry.CHAINED_FIELDS)
        for values in rows.iterator(chunk_size=5000):
            digest = hashlib.sha256(digest.encode() + canonical(list(values))).hexdigest()
        return digest

    base_s, _ = timed(baseline)
    total = result.rows
    return [
        ("变更日志追加 record_change", rows, append_s, rows / append_s),
        ("变更日志校验 verify_chain (HMAC-SM3)", total, verify_s, total / verify_s),
        ("基线：同样读行，改用无密钥 SHA-256 链", total, base_s, total / base_s),
    ]


def sample_codes(n: int) -> tuple[list[str], list[str]]:
    from zhengshu.identifiers import org_code, resident_id, uscc

    rng = random.Random(2026)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # letters allowed in both GB 32100 and GB 11714
    credit, ids = [], []
    for _ in range(n):
        org8 = "".join(rng.choice(alphabet) for _ in range(8))
        first17 = "91330481" + org8 + org_code.make_check_char(org8)
        credit.append(first17 + uscc.make_check_char(first17))
        birth = f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        id17 = f"330481{birth}{rng.randint(0, 999):03d}"
        ids.append(id17 + resident_id.make_check_char(id17))
    return credit, ids


def bench_identifiers(n: int) -> list[tuple[str, int, float, float]]:
    from zhengshu import identifiers

    credit, ids = sample_codes(n)
    codes = credit + ids
    check_s, results = timed(lambda: [identifiers.check(c) for c in codes])
    shape = re.compile(r"^(?:[0-9A-HJ-NPQRTUWXY]{18}|\d{17}[\dX])$")
    base_s, _ = timed(lambda: [bool(shape.match(c)) for c in codes])
    valid = sum(r["valid"] for r in results)
    return [
        (f"identifiers.check（{valid}/{len(codes)} 有效）", len(codes), check_s, len(codes) / check_s),
        ("基线：仅用正则判断形状", len(codes), base_s, len(codes) / base_s),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="变更日志行数")
    parser.add_argument("--codes", type=int, default=20_000, help="每类标识码个数")
    args = parser.parse_args()
    setup_django()
    table = bench_changelog(args.rows) + bench_identifiers(args.codes)
    print(f"{'项目':<40}{'数量':>10}{'秒':>10}{'每秒':>14}")
    for name, count, seconds, rate in table:
        print(f"{name:<40}{count:>10}{seconds:>10.2f}{rate:>14,.0f}")


if __name__ == "__main__":
    main()

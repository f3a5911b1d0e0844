"""Crash safety: the ingest process is killed with SIGKILL at 10 random moments; afterwards no partial
batch is visible, and a rerun completes with exact counts. The naive loader fails the same check."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import yaml

from zhengshu.pipeline.store import Store

from .conftest import HEADER, SCHEMA

ROOT = Path(__file__).resolve().parents[3]
RUNNER = ("import sys; from pathlib import Path; from zhengshu.pipeline import ingest, load_schema, Store; "
          "s = load_schema(sys.argv[2]); ingest(Path(sys.argv[1]), s['resource'], s, Store(Path(sys.argv[3])))")
NAIVE = [sys.executable, "-m", "zhengshu.pipeline.tests.naive_loader"]


def make_file(path: Path, rows: int, encoding: str = "gbk") -> tuple[int, int]:
    """A file with good rows and every 20th row bad; returns (accepted, rejected)."""
    from zhengshu.identifiers import org_code, uscc

    lines, bad = [HEADER], 0
    for n in range(rows):
        body = f"{n:08d}"
        first17 = "91330481" + body + org_code.make_check_char(body)
        code = first17 + uscc.make_check_char(first17)
        if n % 20 == 7:
            code, bad = code[:17] + ("0" if code[17] != "0" else "1"), bad + 1
        lines.append(f"{code},企业{n},{n % 900}万元,2020-01-{n % 28 + 1:02d},存续,330481,,,{n % 50}")
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return rows - bad, bad


def visible_problems(root: Path, expected: tuple[int, int]) -> list[str]:
    """What a reader would see wrong: anything but nothing, or exactly one complete batch."""
    store = Store(root)
    batches = store.batches(SCHEMA["resource"])
    if not batches:
        return []
    problems = [f"{len(batches)} batches"] if len(batches) > 1 else []
    for info in batches:
        if (info.accepted, info.rejected) != expected:
            problems.append(f"{info.batch_id}: counts {info.accepted}/{info.rejected}")
    con = duckdb.connect()
    for path in store.accepted_files(SCHEMA["resource"]):
        try:
            n = con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchone()[0]
        except Exception as exc:  # missing or torn file
            problems.append(f"{path.name}: {type(exc).__name__}")
            continue
        if n != expected[0]:
            problems.append(f"{path.name}: {n} rows")
    for info in batches:
        if info.rejected:
            try:
                if sum(1 for _ in store.rejects(info.batch_id)) != info.rejected:
                    problems.append(f"{info.batch_id}: quarantine rows")
            except Exception as exc:
                problems.append(f"{info.batch_id}: quarantine {type(exc).__name__}")
    return problems


def kill_at_random(command: list[str], root: Path, expected, seconds: float, rng: random.Random):
    """Start and SIGKILL the loader 10 times (the store root is the command's last argument).

    A run that finishes before its kill moment has committed its batch; later runs would only find
    the batch and stop, so the next kill then goes to a fresh store. Returns (kills that landed
    mid-run, problems seen, the last store root).
    """
    landed, seen = 0, []
    for i in range(10):
        proc = subprocess.Popen(command[:-1] + [str(root)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.95) * seconds)
        if proc.poll() is None:
            landed += 1
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        seen += visible_problems(root, expected)
        if proc.returncode == 0:
            root = root.with_name(f"{root.name}-{i}")
    return landed, seen, root


def test_sigkill_at_random_moments(tmp_path):
    rng = random.Random(20261127)
    data, schema_file = tmp_path / "big.csv", tmp_path / "schema.yaml"
    expected = make_file(data, 20_000)
    schema_file.write_text(yaml.safe_dump(SCHEMA, allow_unicode=True), encoding="utf-8")
    root = tmp_path / "store"
    command = [sys.executable, "-c", RUNNER, str(data), str(schema_file), str(root)]

    start = time.perf_counter()  # one undisturbed run in another store: how long a run takes
    subprocess.run(command[:-1] + [str(tmp_path / "timing")], cwd=ROOT, check=True)
    seconds = time.perf_counter() - start

    landed, problems, root = kill_at_random(command, root, expected, seconds, rng)
    assert problems == []
    assert landed >= 5, f"only {landed} of 10 kills landed while the ingest was running"

    subprocess.run(command[:-1] + [str(root)], cwd=ROOT, check=True)  # the rerun completes
    assert visible_problems(root, expected) == []
    store = Store(root)
    [info] = store.batches(SCHEMA["resource"])
    assert (info.read, info.accepted, info.rejected) == (20_000, *expected)
    assert store.status(SCHEMA["resource"]) == {"batches": 1, "rows": expected[0]}
    store.sweep()
    assert list(store.tmp.iterdir()) == []
    leftovers = sorted(p.name for p in (root / "lake").rglob("*.parquet"))
    assert leftovers == [f"{info.batch_id}.parquet"]


def test_naive_loader_fails_the_same_check(tmp_path):
    rng = random.Random(7)
    data = tmp_path / "big.csv"
    make_file(data, 20_000, "utf-8")
    root = tmp_path / "store"
    Store(root)
    expected = (20_000, 0)  # the naive loader accepts every parsed row
    command = NAIVE + [str(data), SCHEMA["resource"], str(root)]
    start = time.perf_counter()
    subprocess.run(NAIVE + [str(data), SCHEMA["resource"], str(tmp_path / "timing")], cwd=ROOT, check=True)
    seconds = time.perf_counter() - start
    landed, problems, root = kill_at_random(command, root, expected, seconds, rng)
    subprocess.run(command[:-1] + [str(root)], cwd=ROOT, check=True)  # and a rerun
    problems += visible_problems(root, expected)
    assert landed >= 5
    assert problems != [], "the control should leave a partial batch visible"

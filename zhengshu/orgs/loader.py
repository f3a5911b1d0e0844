"""Load 行政区划 from the shipped GB/T 2260 and NBS files (``zhengshu/data/divisions``)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from zhengshu.core.models import ChangeAction, record_change
from zhengshu.orgs.choices import DivisionLevel
from zhengshu.orgs.models import Division

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "divisions"
HISTORY_LEVELS = {"省级": DivisionLevel.PROVINCE, "地级": DivisionLevel.PREFECTURE, "县级": DivisionLevel.COUNTY}


def _year(text: str) -> int | None:
    text = (text or "").strip()
    return int(text[:4]) if text[:4].isdigit() else None


def _parent_code(code: str, known: set[str]) -> str | None:
    """The nearest existing ancestor: township → county; county → prefecture or province."""
    if len(code) == 9:
        return code[:6] if code[:6] in known else None
    for candidate in (code[:4] + "00", code[:2] + "0000"):
        if candidate != code and candidate in known:
            return candidate
    return None


def read_divisions(data_dir: Path = DATA_DIR) -> list[Division]:
    rows: dict[str, Division] = {}
    with open(data_dir / "mca_history_1981_2024.csv", encoding="utf-8", newline="") as fh:
        for line_no, row in enumerate(csv.DictReader(fh), start=2):
            code = row["代码"].strip()
            level = HISTORY_LEVELS.get(row["级别"].strip())
            if len(code) != 6 or not code.isdigit() or level is None:
                raise ValueError(f"{fh.name} 第 {line_no} 行：区划代码或级别无效（{code!r}, {row['级别']!r}）")
            current = row["状态"].strip() == "在用"
            existing = rows.get(code)
            # A code may appear several times (reused after a change); the row in use wins.
            if existing is not None and existing.current and not current:
                continue
            rows[code] = Division(
                code=code, name=row["名称"].strip(), level=level, current=current,
                valid_from=_year(row["启用时间"]), valid_to=None if current else _year(row["变更/弃用时间"]),
                successor_codes=(row.get("新代码") or "").strip()[:100],
            )
    with open(data_dir / "mca_2024_county_and_above.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["code"].strip()
            if code not in rows:
                rows[code] = Division(code=code, name=row["name"].strip(), level=row["level"], current=True)
    with open(data_dir / "nbs_2023_zhejiang_townships.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["code"].strip()
            rows[code] = Division(code=code, name=row["name"].strip(), level=DivisionLevel.TOWNSHIP, current=True)
    known = set(rows)
    for division in rows.values():
        division.parent_id = _parent_code(division.code, known)
    return list(rows.values())


def load_divisions(data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Insert new codes and update changed ones; idempotent. Returns counts."""
    divisions = read_divisions(data_dir)
    existing = {d.code: d for d in Division.objects.all()}
    fields = ("name", "level", "parent", "current", "valid_from", "valid_to", "successor_codes")
    attnames = [Division._meta.get_field(f).attname for f in fields]
    new = [d for d in divisions if d.code not in existing]
    changed = []
    for d in divisions:
        old = existing.get(d.code)
        if old is not None and any(getattr(old, a) != getattr(d, a) for a in attnames):
            changed.append(d)
    with transaction.atomic():
        Division.objects.bulk_create(new, batch_size=1000)
        Division.objects.bulk_update(changed, fields=fields, batch_size=1000)
        counts = {"total": len(divisions), "created": len(new), "updated": len(changed)}
        if new or changed:
            record_change(action=ChangeAction.SYSTEM, object_type="orgs.division", object_repr="行政区划",
                          message=f"载入行政区划：共 {counts['total']}，新增 {counts['created']}，更新 {counts['updated']}")
    return counts

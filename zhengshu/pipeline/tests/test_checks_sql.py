"""The identifier checks written in SQL give the same verdicts as ``zhengshu.identifiers``."""

from __future__ import annotations

import csv
import datetime as dt
import random

from zhengshu.identifiers import divisions, org_code, resident_id, uscc, validate_division, validate_org_code
from zhengshu.identifiers import validate_resident_id, validate_uscc
from zhengshu.pipeline import ingest
from zhengshu.pipeline.schema import validate_schema

SCHEMA = validate_schema({"resource": "t/checks", "items": [
    {"name": "kind", "label": "类型"},
    {"name": "uscc", "label": "统一社会信用代码", "check": "uscc"},
    {"name": "org", "label": "组织机构代码", "check": "orgcode"},
    {"name": "idno", "label": "身份证号", "check": "idcard"},
    {"name": "division", "label": "区划", "check": "division"},
]})
VALIDATORS = {"uscc": validate_uscc, "org": validate_org_code, "idno": validate_resident_id,
              "division": validate_division}


def corpus(rng: random.Random) -> list[tuple[str, str]]:
    values: list[tuple[str, str]] = []
    codes = sorted(divisions.known_codes())
    for _ in range(400):
        body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
        org = body + org_code.make_check_char(body) if rng.random() < 0.9 else body + rng.choice("0123456789X")
        if org[8] not in uscc.VALUES:
            org = org[:8] + "0"
        first17 = rng.choice("159Y") + rng.choice("123") + rng.choice(codes) + org
        code = first17 + uscc.make_check_char(first17)
        if rng.random() < 0.3:
            i = rng.randrange(18)
            code = code[:i] + rng.choice("0123456789ABCDXYZIO") + code[i + 1:]
        values.append(("uscc", code))
        values.append(("org", org if rng.random() < 0.5 else f"{org[:8]}-{org[8]}"))
        born = dt.date(1850, 1, 1) + dt.timedelta(days=rng.randrange(0, 65000))
        address = rng.choice(codes + ["810000", "999999", "110101"])
        first = address + born.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
        idno = first + resident_id.make_check_char(first)
        r = rng.random()
        if r < 0.2:
            idno = idno[:17] + rng.choice("0123456789X")
        elif r < 0.3:
            idno = idno[:10] + "1332" + idno[14:]
        elif r < 0.4:
            idno = idno[:6] + idno[8:17]  # a 15-digit legacy number
        values.append(("idno", idno))
        values.append(("division", rng.choice(codes + ["999999", "330499", "440101", "12345"])))
    values += [("uscc", p) for p in ("91350100M0001TGQXM", "91350203M0001QAY9B", "91110000600037341L",
                                     "91110000600037341X", "9111000060003734", "91110000600O37341L")]
    values += [("idno", v) for v in ("11010519491231002X", "440524188001010014", "810000199408230021",
                                     "11010519491231002Y", "110105194912310021", "11010549123100")]
    return values


def test_sql_checks_agree_with_identifiers(tmp_path):
    from zhengshu.pipeline.store import Store

    rng = random.Random(6)
    values = corpus(rng)
    path = tmp_path / "codes.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["类型", "统一社会信用代码", "组织机构代码", "身份证号", "区划"])
        columns = ["uscc", "org", "idno", "division"]
        for kind, value in values:
            writer.writerow([kind] + [value if c == kind else "" for c in columns])
    store = Store(tmp_path / "store")
    result = ingest(path, "t/checks", SCHEMA, store)
    rejected_rows = {r["row"] for r in store.rejects(result["batch_id"])}
    expected = {i + 1 for i, (kind, value) in enumerate(values) if not VALIDATORS[kind](value).valid}
    mismatches = [(values[r - 1], r in rejected_rows) for r in sorted(rejected_rows ^ expected)]
    assert mismatches == []
    assert 200 < len(expected) < len(values) - 200  # both verdicts well represented

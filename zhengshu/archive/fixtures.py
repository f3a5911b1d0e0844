"""Schemas of the archive's demo and test resources, and a helper that ingests rows through the real pipeline."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from zhengshu.identifiers import org_code
from zhengshu.identifiers.uscc import make_check_char


def make_uscc(n: int, prefix: str = "MA") -> str:
    """A well-formed Haining USCC for number ``n`` (the same numbering as trading's demo enterprises)."""
    body = f"{prefix}{n:06d}"
    org = body + org_code.make_check_char(body)
    first17 = "91330481" + org
    return first17 + make_check_char(first17)


def _item(name, label, kind="string", **extra):
    return {"name": name, "label": label, "type": kind, **extra}


USCC = _item("uscc", "统一社会信用代码", check="uscc", link="uscc")
SCHEMAS = {
    "registration": {
        "resource": "330481-SJJ/ENT-REG", "name": "企业登记信息", "provider": "HN-SJJ", "key": ["uscc"],
        "items": [dict(USCC, required=True), _item("ent_name", "企业名称", link="enterprise_name", required=True),
                  _item("legal_rep", "法定代表人", sensitive=True), _item("capital", "注册资本", "decimal", unit="万元"),
                  _item("industry", "所属行业"), _item("address", "住所"),
                  _item("status", "登记状态", enum=["存续", "在业", "吊销", "注销", "迁出"]),
                  _item("established", "成立日期", "date")],
    },
    "tax": {
        "resource": "330481-SWJ/TAX-PAID", "name": "企业纳税信息", "provider": "HN-SWJ", "key": ["record_no"],
        "items": [_item("record_no", "记录编号", required=True), USCC, _item("taxpayer", "纳税人名称", link="enterprise_name"),
                  _item("period", "所属期", "date"), _item("amount", "实缴税额", "decimal", unit="元"),
                  _item("tax_kind", "税种")],
    },
    "social": {
        "resource": "330481-RSJ/SOCIAL", "name": "企业社保参保信息", "provider": "HN-RSJ", "key": ["record_no"],
        "items": [_item("record_no", "记录编号", required=True), USCC, _item("org_code", "组织机构代码", link="org_code"),
                  _item("unit_name", "参保单位名称", link="enterprise_name"), _item("month", "缴费月份", "date"),
                  _item("insured", "参保人数", "integer")],
    },
    "credit_red": {
        "resource": "330481-XYB/CREDIT-RED", "name": "信用红名单", "provider": "HN-FGJ", "key": ["list_no"],
        "items": [_item("list_no", "名单编号", required=True), USCC, _item("subject", "主体名称", link="enterprise_name"),
                  _item("listed_on", "列入日期", "date"), _item("reason", "列入事由"), _item("authority", "认定部门")],
    },
    "credit_black": {
        "resource": "330481-XYB/CREDIT-BLACK", "name": "信用黑名单", "provider": "HN-FGJ", "key": ["list_no"],
        "items": [_item("list_no", "名单编号", required=True), USCC, _item("subject", "主体名称", link="enterprise_name"),
                  _item("listed_on", "列入日期", "date"), _item("reason", "列入事由"), _item("authority", "认定部门")],
    },
    "penalty": {
        "resource": "330481-ZFJ/PENALTY", "name": "行政处罚信息", "provider": "HN-ZFJ", "key": ["case_no"],
        "items": [_item("case_no", "决定书文号", required=True), USCC,
                  _item("org_code", "组织机构代码", link="org_code"),
                  _item("party", "当事人名称", link="enterprise_name"), _item("decided_on", "处罚决定日期", "date"),
                  _item("facts", "违法事实"), _item("fine", "罚没金额", "decimal", unit="元")],
    },
    "licence": {
        "resource": "330481-SPJ/LICENCE", "name": "行政许可信息", "provider": "HN-SPJ", "key": ["permit_no"],
        "items": [_item("permit_no", "许可证编号", required=True), USCC,
                  _item("holder", "持证主体名称", link="enterprise_name"), _item("issued_on", "发证日期", "date"),
                  _item("valid_to", "有效期至", "date"), _item("scope", "许可范围")],
    },
    "policy": {
        "resource": "330481-JXJ/POLICY", "name": "惠企政策兑现信息", "provider": "HN-JXJ", "key": ["grant_no"],
        "items": [_item("grant_no", "兑现编号", required=True), USCC,
                  _item("beneficiary", "兑现对象", link="enterprise_name"), _item("paid_on", "兑现日期", "date"),
                  _item("policy", "政策名称"), _item("amount", "兑现金额", "decimal", unit="元")],
    },
}
CATEGORY = {"registration": "registration", "tax": "tax", "social": "social", "credit_red": "credit_good",
            "credit_black": "credit_bad",
            "penalty": "penalty", "licence": "licence", "policy": "policy"}
AUTHORITY = {"registration": 10, "licence": 50}


def ingest_rows(store, kind: str, rows: list[dict], name: str = "") -> dict:
    """Write ``rows`` (item name → value) as a UTF-8 CSV with the items' labels and ingest it."""
    from zhengshu.pipeline import ingest

    schema = SCHEMAS[kind]
    items = schema["items"]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (name or f"{kind}.csv")
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([i["label"] for i in items])
            for row in rows:
                writer.writerow(["" if row.get(i["name"]) is None else row.get(i["name"]) for i in items])
        return ingest(path, schema["resource"], schema, store)


def sources(kinds=None):
    """``linking.Source`` objects for the fixture resources."""
    from zhengshu.pipeline.linking import Source
    from zhengshu.pipeline.schema import validate_schema

    return [Source(SCHEMAS[k]["resource"], validate_schema(SCHEMAS[k]), CATEGORY[k], AUTHORITY.get(k, 100))
            for k in (kinds or SCHEMAS)]

"""Plain-pytest fixtures for the pipeline (no Django)."""

from __future__ import annotations

import pytest

from zhengshu.pipeline.schema import validate_schema
from zhengshu.pipeline.store import Store

SCHEMA = {
    "resource": "301001/000001",
    "name": "企业登记信息",
    "provider": "HN-SJJ",
    "key": ["uscc"],
    "items": [
        {"name": "uscc", "label": "统一社会信用代码", "type": "string", "required": True, "check": "uscc"},
        {"name": "name", "label": "企业名称", "type": "string", "required": True, "max_length": 20},
        {"name": "capital", "label": "注册资本", "type": "decimal", "unit": "万元"},
        {"name": "founded", "label": "成立日期", "type": "date"},
        {"name": "status", "label": "登记状态", "type": "string", "enum": ["存续", "在业", "吊销", "注销", "迁出"]},
        {"name": "division", "label": "行政区划", "type": "string", "check": "division"},
        {"name": "phone", "label": "联系电话", "type": "string", "check": "phone"},
        {"name": "legal_id", "label": "法定代表人身份证号", "type": "string", "check": "idcard"},
        {"name": "staff", "label": "从业人数", "type": "integer"},
    ],
}
HEADER = "统一社会信用代码,企业名称,注册资本,成立日期,登记状态,行政区划,联系电话,法定代表人身份证号,从业人数"

# Valid codes from the reference tables (data-governance.md §2.1, §2.2).
U1, U2, U3, U4 = "91110000600037341L", "91350200776049653A", "91350500798359476R", "91440101MA5CJQ4N59"
ID_OK = "11010519491231002X"

# One row per case: (line, expected rule or None). Columns as HEADER.
MESSY = [
    (f"{U1},甲公司,200万元,2020-01-05,存续,330481,13800000000,{ID_OK},12", None),
    (f"９１３５０２００７７６０４９６５３Ａ,乙公司（分公司）,5000元,2020年1月5日,在业,330481,0573-87654321,,１，２００", None),
    (f'{U3},"丙\n公司",1.5,43831,注销,330481,,440524188001010014,', None),
    (f"{U4},丁公司,1.2亿元,20200105,迁出,330481,,,", None),
    ("91110000600037341X,戊公司,1,2020-01-01,存续,330481,,,", "check:uscc"),
    (f"{U1},甲公司重复,1,2020-01-01,存续,330481,,,", "duplicate"),
    (",己公司,1,2020-01-01,存续,330481,,,", "required"),
    ("91350203M0001QAY9B,庚公司,abc,2020-01-01,存续,330481,,,", "type"),
    ("91350100M0001TGQXM,辛公司,1,2020-02-30,存续,330481,,,", "type"),
    ("91350211M0000XUF46,壬公司,1,2020-01-01,歇业,330481,,,", "enum"),
    ("91350203M0001FUE2P,癸公司,1,2020-01-01,存续,999999,,,", "check:division"),
    ("91350200MA2YJ1XR9G,子公司,1,2020-01-01,存续,330481,12345,,", "check:phone"),
    ("91350503MA31DKY80A,丑公司,1,2020-01-01,存续,330481,,11010519491231002Y,", "check:idcard"),
    ("123502001549897397,这是一个名称超过二十个字的很长很长很长的企业名称有限公司,1,2020-01-01,存续,330481,,,", "max_length"),
    ("913502115628130384,寅公司,1,2020-01-01,存续,330481,,,1.5", "type"),
    ("9135021359498494XQ,卯公司,1,2020-01-01", "ragged"),
    ("91350213678251743X,辰公司,1,2020-01-01,存续,330481,,,,多余", "ragged"),
]


def messy_text() -> str:
    return HEADER + "\n" + "\n".join(line for line, _ in MESSY) + "\n"


@pytest.fixture
def schema() -> dict:
    return validate_schema(SCHEMA)


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "store")

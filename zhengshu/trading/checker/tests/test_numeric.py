"""Numeric comparisons against the project's facts and the legal dates, table-driven."""

import pytest

from zhengshu.trading.checker import check_text

GC = {"regime": "工程招标", "kind": "工程施工"}


def rules_of(text, facts):
    return [(f.rule, f.severity) for f in check_text(text, facts)]


@pytest.mark.parametrize("text,facts,expected", [
    ("投标保证金：人民币12万元。", {**GC, "estimated_price_yuan": 6_000_000}, None),          # 2.0%
    ("投标保证金：人民币12.1万元。", {**GC, "estimated_price_yuan": 6_000_000}, "high"),      # 2.02%
    ("投标保证金：人民币贰拾万元整。", {**GC, "estimated_price_yuan": 6_000_000}, "high"),    # 3.3%
    ("投标保证金：200,000元。", {**GC, "estimated_price_yuan": 10_000_000}, None),
    ("投标保证金为估算价的2%。", {}, None),
    ("投标保证金为估算价的2.5%。", {}, "high"),
    ("投标保证金为5万元。", {}, "info"),                                                     # no estimate: a hint
    ("投标保证金为5万元。", {"regime": "政府采购", "budget_yuan": 2_000_000}, "high"),        # 2.5% of the budget
    ("投标保证金为4万元。", {"regime": "政府采购", "budget_yuan": 2_000_000}, None),
    ("投标保证金以银行转账或保函方式提交，金额为5万元。", {**GC, "estimated_price_yuan": 6_000_000}, None),
    ("投标保证金只接受现金。", {}, "high"),
])
def test_bid_bond(text, facts, expected):
    found = [s for r, s in rules_of(text, facts) if r == "QX-18"]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize("text,facts,expected", [
    ("履约保证金为中标合同金额的10%。", {}, None),
    ("履约保证金为中标合同金额的10.5%。", {}, "high"),
    ("中标人须提交中标价15%的履约保证金。", {}, "high"),
    ("履约担保金额：人民币60万元。", {**GC, "estimated_price_yuan": 6_000_000}, None),
    ("履约担保金额：人民币61万元。", {**GC, "estimated_price_yuan": 6_000_000}, "high"),
    ("履约保证金只接受银行转账。", {}, "high"),
    ("履约保证金以银行转账或保函提交，为合同金额的5%。", {}, None),
])
def test_performance_bond(text, facts, expected):
    found = [s for r, s in rules_of(text, facts) if r == "QX-19"]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize("text,facts,expected", [
    ("投标人注册资本不低于300万元。", {**GC, "estimated_price_yuan": 6_000_000}, None),        # half the estimate
    ("投标人注册资本不低于301万元。", {**GC, "estimated_price_yuan": 6_000_000}, "high"),
    ("投标人注册资本不低于100万元。", {"regime": "政府采购", "budget_yuan": 6_000_000}, "high"),  # 87号令第十七条
    ("投标人注册资本不低于100万元。", {}, "medium"),
    ("投标人从业人员不少于50人。", {**GC, "estimated_price_yuan": 80_000_000}, "high"),
])
def test_scale(text, facts, expected):
    found = [s for r, s in rules_of(text, facts) if r == "QX-08"]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize("text,estimate,expected", [
    ("近三年完成过单项合同金额不低于480万元的类似工程业绩1项。", 6_000_000, None),      # 80%
    ("近三年完成过单项合同金额不低于500万元的类似工程业绩1项。", 6_000_000, "medium"),
    ("近三年完成过单项合同金额不低于700万元的类似工程业绩1项。", 6_000_000, "high"),
    ("近三年完成过单项合同金额不低于300万元的类似工程业绩3项。", 6_000_000, "medium"),
    ("近三年完成过单项合同金额不低于300万元的类似工程业绩2项。", 6_000_000, None),
    ("近三年完成过单项合同金额不低于700万元的类似工程业绩1项。", None, "info"),
])
def test_experience(text, estimate, expected):
    facts = {**GC, "estimated_price_yuan": estimate} if estimate else {}
    found = [s for r, s in rules_of(text, facts) if r == "QX-10"]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize("estimate,expected", [(9_990_000, "medium"), (10_000_000, None), (None, "info")])
def test_grade_vs_estimate(estimate, expected):
    facts = {**GC, "estimated_price_yuan": estimate} if estimate else {}
    found = [s for r, s in rules_of("投标人须具备建筑工程施工总承包一级资质。", facts) if r == "QX-02"]
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize("kind,text,expected", [
    ("货物", "价格分满分为29分。", "high"), ("货物", "价格分满分为30分。", None),
    ("服务", "价格分满分为9分。", "high"), ("服务", "价格分满分为10分。", None),
    ("货物", "价格分=(评标基准价/投标报价)×25", "high"),
])
def test_price_weight(kind, text, expected):
    facts = {"regime": "政府采购", "kind": kind, "budget_yuan": 1_000_000}
    found = [s for r, s in rules_of(text, facts) if r == "QX-28"]
    assert found == ([expected] if expected else [])
    assert not [r for r, _ in rules_of(text, {**GC, "estimated_price_yuan": 1_000_000}) if r == "QX-28"]


DOC = "投标截止时间：2025年3月21日9时30分。\n第1号澄清：工程量清单第3.2项更正。"


@pytest.mark.parametrize("facts,expected", [
    ({"doc_issue_date": "2025-03-01", "bid_deadline": "2025-03-21"}, []),                  # 20 days
    ({"doc_issue_date": "2025-03-02", "bid_deadline": "2025-03-21"}, ["high"]),            # 19 days
    ({"doc_issue_date": "2025-03-01", "bid_deadline": "2025-03-21", "method": "竞争性磋商"}, []),
    # 《招标投标法》第24条 binds 依法必须招标 works: below the threshold the 20 days are a reference (low)
    ({"doc_issue_date": "2025-03-02", "bid_deadline": "2025-03-21", "regime": "works", "must_tender": False}, ["low"]),
    ({"doc_issue_date": "2025-03-02", "bid_deadline": "2025-03-21", "regime": "works", "must_tender": True}, ["high"]),
    ({"doc_issue_date": "2025-03-02", "bid_deadline": "2025-03-21", "regime": "procurement", "must_tender": False},
     ["high"]),                                                                            # 政府采购法第35条: all 招标
    ({"doc_issue_date": "2025-03-01", "bid_deadline": "2025-03-31", "clarification_date": "2025-03-16",
      "clarification_affects_preparation": True}, []),                                    # 15 days
    ({"doc_issue_date": "2025-03-01", "bid_deadline": "2025-03-31", "clarification_date": "2025-03-17",
      "clarification_affects_preparation": True}, ["high"]),                               # 14 days
    ({"doc_issue_date": "2025-03-01", "bid_deadline": "2025-03-31", "clarification_date": "2025-03-17",
      "clarification_affects_preparation": False}, []),                                    # does not affect
    ({"doc_issue_date": "2025-03-01", "bid_deadline": "2025-03-31", "clarification_date": "2025-03-17"},
     ["medium"]),                                                                          # unknown: review
    ({"doc_issue_date": "2025-03-01", "bid_deadline": "2025-04-01", "original_bid_deadline": "2025-03-21",
      "clarification_date": "2025-03-17", "clarification_affects_preparation": True}, []),  # extended to 15 days
])
def test_dates(facts, expected):
    found = [f for f in check_text(DOC, facts) if f.rule == "QX-21"]
    assert [f.severity for f in found] == expected
    for f in found:
        assert DOC[f.start:f.end] == f.text and f.text  # located at the deadline or the clarification


def test_dates_read_from_the_document_when_facts_are_missing():
    doc = ("投标人应在投标截止时间17天前提出疑问。\n获取招标文件的时间：2025年3月3日至2025年3月10日\n"
           "投标截止时间：2025年3月18日9时30分")
    found = [f for f in check_text(doc, {}) if f.rule == "QX-21"]
    assert len(found) == 1 and "仅15日" in found[0].message
    assert found[0].text == "投标截止时间：2025年3月18日9时30分"  # the mention that carries the date

"""Lawful exceptions: what the law itself requires, approved imports, "或相当于" after a brand, and more."""

import pytest

from zhengshu.trading.checker import check_text


def rules(text, facts=None):
    return {f.rule for f in check_text(text, facts or {})}


@pytest.mark.parametrize("text", [
    "空调参照格力品牌或相当于，制冷量不低于7.2kW。",
    "交换机参考品牌：华为、新华三或同等档次及以上产品。",
    "防水卷材不指定品牌，应符合 GB 18242。",
])
def test_reference_brand_with_equivalent_is_lawful(text):
    assert "QX-05" not in rules(text)


def test_brand_without_equivalent_is_flagged():
    assert "QX-05" in rules("空调须采用格力品牌。")


def test_import_exception_needs_the_approval_fact_or_statement():
    text = "全自动生化分析仪须为原装进口设备。"
    assert "QX-05" in rules(text, {"import_approved": False})
    assert "QX-05" in rules(text)
    assert "QX-05" not in rules(text, {"import_approved": True})
    assert "QX-05" not in rules("本项目经财政部门批准采购进口产品，生化分析仪须为原装进口设备。")


def test_manufacturer_authorisation_lawful_for_approved_imports_only():
    text = "投标人须提供所投设备制造商出具的授权书，否则投标无效。"
    assert "QX-14" in rules(text, {"import_approved": False})
    assert "QX-14" not in rules("所投进口设备须提供制造商出具的授权书，否则投标无效。", {"import_approved": True})


@pytest.mark.parametrize("text,rule", [
    ("投标人须具有有效的安全生产许可证（《安全生产许可证条例》规定），依法不得由分公司投标的除外。", "QX-06"),
    ("所投产品属于强制性产品认证目录的，须提供CCC认证证书，否则投标无效。", "QX-11"),
    ("中标人应依法在项目所在地预缴增值税。", "QX-07"),
    ("投标人不得被列入失信被执行人名单。", "QX-15"),
    ("被列入政府采购严重违法失信行为记录名单的供应商，不得参加本项目。", "QX-30"),
    ("评标委员会由招标人代表和从专家库随机抽取的评标专家组成。", "PR-15"),
    ("投标人须在海宁市公共资源交易平台注册后方可下载招标文件。", "QX-31"),
    ("以现金或支票提交的投标保证金应当从投标人基本账户转出。", "QX-18"),
    ("投标报价不得低于成本。", "QX-20"),
])
def test_lawful_look_alikes_are_not_flagged(text, rule):
    assert rule not in rules(text)


def test_rule_sections_limit_where_a_rule_applies():
    text = "第三章 合同条款\n一、履约要求\n1. 中标人须具备一级资质。\n第四章 资格要求\n1. 投标人须具备一级资质。"
    found = [f for f in check_text(text, {"estimated_price_yuan": 3_000_000}) if f.rule == "QX-02"]
    assert [f.section for f in found] == ["qualification"]


def test_severity_depends_on_section():
    text = "第二章 资格要求\n1. 投标人须具有 ISO9001 认证证书，否则投标无效。\n第三章 评分标准\n1. 具有 ISO9001 认证证书的得1分。"
    found = [(f.section, f.severity) for f in check_text(text) if f.rule == "QX-11"]
    assert found == [("qualification", "high"), ("scoring", "medium")]

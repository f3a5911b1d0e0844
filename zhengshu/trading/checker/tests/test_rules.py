"""Every built-in rule against its own hit and miss texts; overrides and their validation."""

import pytest

from zhengshu.trading.checker import RuleError, check_text, load_rules, validate_rule
from zhengshu.trading.checker.rules import SEVERITIES

RULES = load_rules()
PATTERN_RULES = [r for r in RULES if r.tests]


def test_catalogue_shape():
    assert len(RULES) >= 35
    assert set(RULES.groups) == {f"7N-{i}" for i in range(1, 8)}
    for rule in RULES:
        assert rule.group in RULES.groups, rule.id
        assert rule.severity in SEVERITIES, rule.id
        assert rule.basis and rule.message and rule.suggestion, rule.id
    # every group of the seven has at least one rule that reads the document
    assert {r.group for r in RULES if r.patterns} == set(RULES.groups)


@pytest.mark.parametrize("rule", PATTERN_RULES, ids=[r.id for r in PATTERN_RULES])
def test_rule_hits_and_misses(rule):
    for text in rule.tests["hit"]:
        found = [f for f in check_text(text, {}, RULES) if f.rule == rule.id]
        assert found, f"{rule.id} 未命中：{text}"
        for f in found:
            assert text[f.start:f.end] == f.text and f.text
            assert f.group == rule.group and f.basis == rule.basis
    for text in rule.tests["miss"]:
        assert not [f for f in check_text(text, {}, RULES) if f.rule == rule.id], f"{rule.id} 误报：{text}"


def test_every_pattern_rule_has_tests():
    untested = [r.id for r in RULES if r.patterns and r.check not in ("price_weight",) and
                not (r.tests.get("hit") and r.tests.get("miss"))]
    assert untested == []


def test_validate_rule_reports_bad_regex_and_failing_tests():
    assert validate_rule({"id": "QX-05"}) == []
    errors = validate_rule({"id": "ZJ-01", "pattern": "(未闭合", "message": "测试"})
    assert len(errors) == 1 and "正则无效" in errors[0]
    errors = validate_rule({"id": "ZJ-02", "pattern": "不合理条款", "message": "测试",
                            "tests": {"hit": ["这里没有"], "miss": ["这是不合理条款"]}})
    assert any("应命中的测试文本未命中：这里没有" in e for e in errors)
    assert any("不应命中的测试文本被命中" in e for e in errors)
    errors = validate_rule({"id": "QX-05", "severity": "fatal", "group": "7N-9", "sections": ["anywhere"]})
    assert len(errors) == 3
    assert validate_rule({"id": "bad id", "pattern": "x", "message": "m"})[0].startswith("规则 bad id：编号格式")
    assert validate_rule({"id": "ZJ-03", "pattern": "x"}) == ["规则 ZJ-03：新规则必须给出提示信息 message"]


def test_overrides_disable_change_and_add():
    text = "电缆须采用远东或宝胜品牌。投标人须提交本单位出具的廉政承诺书原件。"
    rules = load_rules([
        {"id": "QX-05", "severity": "low", "group": "7N-3"},
        {"id": "QX-24", "enabled": False},
        {"id": "ZJ-01", "pattern": "廉政承诺书{S}{0,4}原件", "message": "要求提交廉政承诺书原件",
         "severity": "medium", "group": "7N-2", "basis": "海宁市监管口径",
         "tests": {"hit": ["须提交廉政承诺书原件"], "miss": ["廉政承诺书可提交扫描件"]}},
    ])
    found = {f.rule: f for f in check_text(text, {}, rules)}
    assert found["QX-05"].severity == "low" and found["QX-05"].group == "7N-3"
    assert "QX-24" not in found
    assert found["ZJ-01"].text == "廉政承诺书原件" and found["ZJ-01"].basis == "海宁市监管口径"
    # built-in catalogue itself is unchanged
    assert load_rules().get("QX-05").severity == "high"


def test_override_adding_a_pattern_to_a_builtin_rule_drops_the_prefilter():
    rules = load_rules([{"id": "QX-13", "pattern": "星级(?:企业|供应商){S}{0,6}加\\s*\\d",
                         "tests": {"hit": ["五星级企业加2分"], "miss": []}}])
    assert [f.rule for f in check_text("五星级企业加2分。", {}, rules)] == ["QX-13"]


def test_bad_override_raises_or_is_skipped():
    with pytest.raises(RuleError) as info:
        load_rules([{"id": "ZJ-09", "pattern": "[", "message": "x"}])
    assert "正则无效" in info.value.errors[0]
    rules = load_rules([{"id": "ZJ-09", "pattern": "[", "message": "x"}], strict=False)
    assert rules.get("ZJ-09") is None and rules.skipped

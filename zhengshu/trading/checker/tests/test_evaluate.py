"""The labelled clause sets: size, coverage and the acceptance floors (recall ≥ 0.90, FPR ≤ 0.10)."""

from collections import Counter
from pathlib import Path

import pytest

from zhengshu.trading.checker import load_rules
from zhengshu.trading.checker.evaluate import DatasetError, evaluate, read_lines

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize("name,minimum", [("clauses.jsonl", 200), ("clauses_holdout.jsonl", 60),
                                          ("clauses_review.jsonl", 150)])
def test_clause_set_floors(name, minimum):
    items = read_lines(DATA / name)
    rules = load_rules()
    assert len(items) >= minimum
    labels = Counter(i["label"] for i in items)
    assert labels["violate"] and labels["comply"]
    groups = {rules.get(i["rule"]).group for i in items}
    assert groups == set(rules.groups)  # every one of the seven groups
    comply_groups = {rules.get(i["rule"]).group for i in items if i["label"] == "comply"}
    assert comply_groups == set(rules.groups)  # lawful look-alikes for every group
    assert len({i["text"] for i in items}) == len(items)  # no duplicates
    ev = evaluate(items, rules)
    assert ev.total.recall >= 0.90, ev.misses
    assert ev.total.fpr <= 0.10, ev.false_positives
    for group, tally in ev.groups.items():
        assert tally.violate and tally.comply, group


def test_holdout_does_not_repeat_the_tuning_set():
    main = {i["text"] for i in read_lines(DATA / "clauses.jsonl")}
    holdout = {i["text"] for i in read_lines(DATA / "clauses_holdout.jsonl")}
    review = {i["text"] for i in read_lines(DATA / "clauses_review.jsonl")}
    assert not main & holdout and not main & review and not holdout & review


def test_evaluate_counts_and_bad_lines(tmp_path):
    path = tmp_path / "set.jsonl"
    path.write_text('{"text": "电缆须采用远东品牌。", "label": "violate", "rule": "QX-05"}\n'
                    '{"text": "电缆应符合国家标准。", "label": "violate"}\n'
                    '{"text": "投标人须具备三级资质。", "label": "comply"}\n'
                    '{"text": "注册地须在海宁市内。", "label": "comply", "group": "7N-2"}\n', encoding="utf-8")
    ev = evaluate(read_lines(path))
    assert (ev.total.violate, ev.total.detected, ev.total.comply, ev.total.false_positive) == (2, 1, 2, 1)
    assert ev.total.recall == 0.5 and ev.total.fpr == 0.5
    assert ev.groups["7N-2"].false_positive == 1 and ev.groups["（未标注）"].violate == 1
    assert "合计" in ev.table()
    path.write_text('{"text": "x", "label": "maybe"}\n', encoding="utf-8")
    with pytest.raises(DatasetError, match="第1行：label 只能是"):
        read_lines(path)
    path.write_text('{"text": "x"\n', encoding="utf-8")
    with pytest.raises(DatasetError, match="第1行：不是有效的 JSON"):
        read_lines(path)

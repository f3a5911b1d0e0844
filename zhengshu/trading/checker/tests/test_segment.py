from zhengshu.trading.checker import segment

DOC = """第一章 招标公告
1. 招标条件
本项目已批准建设。
第二章 投标人须知
一、总则
（一）资格要求
1.1 投标人须具备三级资质。
（1）项目负责人须为二级建造师。
① 无在建项目。
（二）投标文件
2.1 投标文件的组成
第三部分 评标办法
一、评分标准
业绩\t近三年类似工程每项加1分\t3
二、否决投标条件
1. 未盖章的否决其投标。
第四章 合同条款
1. 付款方式：按月支付。"""


def test_headings_levels_and_kinds():
    s = segment(DOC)
    heads = [(h.number, h.level, h.title, h.kind) for h in s.sections]
    assert heads[0] == ("第一章", 0, "招标公告", "other")
    assert ("（一）", 3, "资格要求", "qualification") in heads
    assert ("1.1", 5, "投标人须具备三级资质", "qualification") in heads
    assert ("（1）", 10, "项目负责人须为二级建造师", "qualification") in heads
    assert ("①", 11, "无在建项目", "qualification") in heads
    assert ("（二）", 3, "投标文件", "other") in heads
    assert ("第三部分", 0, "评标办法", "scoring") in heads
    assert ("二、", 2, "否决投标条件", "rejection") in heads
    assert ("第四章", 0, "合同条款", "performance") in heads


def test_clause_kinds_and_spans():
    s = segment(DOC)
    by_text = {DOC[c.start:c.end]: c.kind for c in s.clauses}
    assert by_text["业绩\t近三年类似工程每项加1分\t3"] == "scoring"
    assert by_text["1. 未盖章的否决其投标。"] == "rejection"
    assert by_text["本项目已批准建设。"] == "other"
    assert by_text["1. 付款方式：按月支付。"] == "performance"
    chapter = next(h for h in s.sections if h.number == "第二章")
    assert DOC[chapter.start:chapter.end].startswith("第二章") and DOC[chapter.end:].startswith("第三部分")


def test_sentence_like_numbered_clause_does_not_rename_its_section():
    s = segment("一、资格要求\n1. 近三年类似合同业绩须提供合同。\n（1）须提供合同")
    assert [c.kind for c in s.clauses] == ["qualification"] * 3

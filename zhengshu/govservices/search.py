"""Guide search as citizens type it: colloquial and partial names ("开个体户", "社保卡补办", "公积金怎么取").

A query is tried in three ways, each only when the one before finds nothing:
1. as typed, a substring of the item name, its 别名/常见问法 (``keywords``, editable per item) or the department;
2. cleaned of filler words (我要, 怎么, 办理 …) with everyday words replaced by the catalogue's terms
   (``COLLOQUIAL``: 个体户 → 个体工商户, 社保卡 → 社会保障卡 …), every remaining part matching;
3. by shared character pairs (bigrams) of the cleaned query with the item's name and keywords, best first: an item
   qualifies when at least half of the query's pairs occur in it.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import and_

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

__all__ = ["COLLOQUIAL", "search_items"]

# everyday word → catalogue term (module data: extend here, or per item in its 别名/常见问法)
COLLOQUIAL = {
    "个体户": "个体工商户", "开公司": "设立登记", "注册公司": "设立登记", "开店": "设立登记", "营业执照": "登记",
    "社保卡": "社会保障卡", "社保": "社会保险", "医保": "医疗保险", "公积金": "住房公积金", "驾照": "驾驶证",
    "结婚": "婚姻登记", "离婚": "离婚登记", "身份证": "居民身份证", "低保": "最低生活保障", "退休金": "养老保险待遇",
    "养老金": "养老保险待遇", "房产证": "不动产", "买房": "不动产转移登记", "卖房": "不动产转移登记",
    "生孩子": "出生", "生小孩": "出生", "上户口": "出生登记", "无犯罪证明": "无犯罪记录证明", "残疾证": "残疾人证",
    "老年证": "老年优待证", "开饭店": "食品经营许可", "开餐馆": "食品经营许可", "饭店": "食品经营", "失业金": "失业保险金",
    "港澳通行证": "往来港澳通行证", "盖房子": "住宅用地", "建房": "住宅用地", "宅基地": "宅基地",
}
FILLERS = ("我要", "我想", "想要", "怎么", "如何", "怎样", "在哪里", "在哪", "去哪里", "去哪", "需要", "哪些", "什么",
           "办理", "申请", "手续", "流程", "材料", "可以", "能不能", "吗", "呢", "的", "了", "个", "要", "办", "补办", "领取",
           "提取", "取")
_PUNCT = re.compile(r"[\s，。？！、,.?!：:；;“”\"'（）()]+")


def _fields(text: str) -> Q:
    """Name and 别名 of the public text only: an item under revision is searched by its version in force."""
    from zhengshu.govservices.models import ItemStatus, ItemVersion
    from zhengshu.govservices.selectors import in_force

    in_version = ItemVersion.objects.filter(in_force(), item=OuterRef("pk")).filter(
        Q(data__name__icontains=text) | Q(data__keywords__icontains=text))
    own = Q(status=ItemStatus.PUBLISHED) & (Q(name__icontains=text) | Q(keywords__icontains=text))
    return (own | (~Q(status=ItemStatus.PUBLISHED) & Exists(in_version)) | Q(department__name__icontains=text)
            | Q(department__short_name__icontains=text))


def public_texts(items: QuerySet) -> dict[int, tuple[str, str]]:
    """``{pk: (name, keywords)}`` as the public sees them: an item under revision by its version in force."""
    from zhengshu.govservices.models import ItemStatus, ItemVersion
    from zhengshu.govservices.selectors import in_force

    texts, revised = {}, []
    for pk, name, keywords, status in items.values_list("pk", "name", "keywords", "status"):
        texts[pk] = (name, keywords)
        if status != ItemStatus.PUBLISHED:
            revised.append(pk)
    for start in range(0, len(revised), 500):
        versions = ItemVersion.objects.filter(in_force(), item_id__in=revised[start:start + 500]) \
            .order_by("item_id", "version").values_list("item_id", "data")
        for pk, data in versions:  # the latest version in force wins
            texts[pk] = (data.get("name", ""), data.get("keywords", ""))
    return texts


def _clean(query: str) -> list[str]:
    """The parts of a colloquial query that carry meaning, everyday words replaced by catalogue terms."""
    text = query
    for word, term in sorted(COLLOQUIAL.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(word, f" {term} ")
    for word in sorted(FILLERS, key=len, reverse=True):
        text = text.replace(word, " ")
    return [part for part in _PUNCT.split(text) if part]


def _bigrams(text: str) -> set[str]:
    text = _PUNCT.sub("", text)
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def search_items(items: QuerySet, query: str) -> QuerySet:
    """``items`` narrowed to those matching ``query`` (see the module doc); the best matches first in step 3."""
    query = query.strip()
    if not query:
        return items
    found = items.filter(_fields(query) | Q(implementation_code=query.upper()))
    if found.exists():
        return found
    parts = _clean(query)
    if not parts:
        return found
    found = items.filter(reduce(and_, [_fields(p) for p in parts]))
    if found.exists():
        return found
    wanted = _bigrams("".join(parts))
    scored = []
    for pk, (name, keywords) in public_texts(items).items():
        have = _bigrams(name) | _bigrams(keywords)
        hits = len(wanted & have)
        if hits * 2 >= len(wanted):
            scored.append((-hits, len(name), pk))
    ranked = [pk for *_rest, pk in sorted(scored)[:200]]
    if not ranked:
        return items.none()
    order = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ranked)], output_field=IntegerField())
    return items.filter(pk__in=ranked).annotate(search_rank=order).order_by("search_rank")

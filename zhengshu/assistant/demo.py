"""Demo knowledge (seeders 150–169): the alias table, the curated FAQ entries and the assistant's grants.

The alias table and the FAQ entries are kept in ``zhengshu/assistant/data/`` (``aliases.tsv``, ``faq.jsonl``)
so that a fresh installation can load them with ``zhengshu assistant load-knowledge`` as well.
"""

from __future__ import annotations

import json
from pathlib import Path

from zhengshu.core.demo import seeder

DATA = Path(__file__).resolve().parent / "data"


def read_aliases(path: Path = DATA / "aliases.tsv") -> list[tuple[str, str, str]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].strip() or not parts[1].strip():
            raise ValueError(f"{path.name} 第 {number} 行：应为“群众说法<TAB>规范说法[<TAB>说明]”")
        rows.append((parts[0].strip(), parts[1].strip(), parts[2].strip() if len(parts) > 2 else ""))
    return rows


def read_faq(path: Path = DATA / "faq.jsonl") -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def codes_for_names(names: list[str]) -> list[str]:
    """实施编码 of the public items with these names (an item offered by several towns gives all of them)."""
    from zhengshu.govservices.selectors import published_items

    if not names:
        return []
    return sorted(published_items().filter(name__in=names).values_list("implementation_code", flat=True))


def load_knowledge() -> tuple[int, int]:
    """Add the shipped aliases and FAQ entries that are missing (never overwrites staff edits)."""
    from zhengshu.assistant.models import Alias, FaqEntry
    from zhengshu.core import context as change_ctx

    existing = set(Alias.objects.values_list("phrase", "target"))
    new_aliases = [Alias(phrase=p, target=t, note=n) for p, t, n in read_aliases() if (p, t) not in existing]
    questions = set(FaqEntry.objects.values_list("question", flat=True))
    new_faq = [FaqEntry(question=f["question"], phrasings="\n".join(f.get("phrasings") or []), answer=f["answer"],
                        item_codes=codes_for_names(f.get("item_names") or []))
               for f in read_faq() if f["question"] not in questions]
    with change_ctx.change_context(actor=None, message="载入智能问答知识库", source="seed"):
        Alias.objects.bulk_create(new_aliases, batch_size=500)
        FaqEntry.objects.bulk_create(new_faq)
    if new_aliases or new_faq:
        from zhengshu.assistant.signals import bump

        bump("curated")  # bulk inserts send no signals
    return len(new_aliases), len(new_faq)


@seeder(150, "智能问答知识库")
def seed_knowledge() -> str:
    from zhengshu.accounts.models import User
    from zhengshu.assistant.models import Alias, FaqEntry
    from zhengshu.assistant.permissions import grant_assistant_permissions

    aliases, faqs = load_knowledge()
    users = {u.username: u for u in User.objects.filter(username__in=(
        "clerk_a", "colleague_a", "outsider_b", "town_clerk", "auditor", "dataofficer", "citizen", "enterprise"))}
    grant_assistant_permissions(users)
    return (f"同义词 {Alias.objects.count()} 条（本次新增 {aliases}），常见问答 {FaqEntry.objects.count()} 条"
            f"（本次新增 {faqs}）")


DEMO_YEAR = 2023
OUTCOMES = (("answered", 55), ("case", 30), ("referred", 10), ("withdrawn", 3), ("unreachable", 2))
QUESTIONS = ("材料不会填，想请工作人员远程指导", "不知道在哪里网上办理", "上传材料总是失败", "想确认需要带哪些材料",
             "年纪大了不会用手机办理", "想视频连线窗口帮忙提交")


@seeder(160, "2023年帮办请求（演示）")
def seed_assist_requests() -> str:
    """A year of 潮晓云 assisted-handling requests (about four a day, invented and marked 演示): each about a
    public item, asked from one of Haining's towns, routed by the assistant's own rules and closed within hours
    with an outcome. Stored with their 2023 dates, so that the cockpit and the annual report count them."""
    import datetime as dt
    import random

    from django.utils import timezone

    from zhengshu.accounts.models import User
    from zhengshu.assistant.models import AssistLevel, AssistRequest, AssistStatus
    from zhengshu.assistant.routing import route
    from zhengshu.govservices.selectors import published_items
    from zhengshu.orgs.choices import DepartmentLevel
    from zhengshu.orgs.models import Department

    if AssistRequest.objects.filter(number__startswith=f"BB{DEMO_YEAR}").exists():
        return "已存在，跳过"
    requesters = list(User.objects.filter(username__in=("citizen", "enterprise")))
    items = list(published_items().select_related("department")[:400])
    towns = list(Department.objects.filter(level=DepartmentLevel.TOWN).order_by("code"))
    if not requesters or not items or not towns:
        return "跳过：缺少演示账号、公开事项或镇街"
    rng = random.Random(DEMO_YEAR)
    outcomes = [o for o, weight in OUTCOMES for _ in range(weight)]
    routes: dict = {}
    rows, stamps = [], {}
    day = dt.date(DEMO_YEAR, 1, 1)
    while day.year == DEMO_YEAR:
        for serial in range(1, rng.randint(2, 6) + 1):
            item, town = rng.choice(items), rng.choice(towns)
            if (item.pk, town.pk) not in routes:
                routes[(item.pk, town.pk)] = route(item, town)
            queue, level, reason = routes[(item.pk, town.pk)]
            asked = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59))))
            taken = asked + dt.timedelta(minutes=rng.randint(3, 90))
            number = f"BB{day:%Y%m%d}{serial:04d}"
            outcome = rng.choice(outcomes)
            rows.append(AssistRequest(
                number=number, requester=rng.choice(requesters), item_code=item.implementation_code,
                item_name=item.name, question=f"{rng.choice(QUESTIONS)}（演示）",
                contact_phone=f"1390573{rng.randint(0, 9999):04d}", location=town, level=level or AssistLevel.CITY,
                route_reason=reason, status=AssistStatus.CLOSED, taken_at=taken,
                closed_at=taken + dt.timedelta(minutes=rng.randint(10, 240)), outcome=outcome,
                outcome_note="演示数据", department=queue))
            stamps[number] = asked
        day += dt.timedelta(days=1)
    AssistRequest.objects.bulk_create(rows, batch_size=1000)
    # ``created`` is stamped on insert; the requests were made in 2023 (one UPDATE per day).
    by_day: dict = {}
    for number, asked in stamps.items():
        by_day.setdefault(number[:10], []).append((number, asked))
    from django.db.models import Case, Value, When

    for prefix, pairs in by_day.items():
        AssistRequest.objects.filter(number__startswith=prefix).update(
            created=Case(*[When(number=n, then=Value(a)) for n, a in pairs]))
    return f"帮办请求 {len(rows)} 件（{DEMO_YEAR} 年，全部已办结）"

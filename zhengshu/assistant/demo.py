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

"""The archive's configuration: which resources feed it, what kind of facts each holds, and how authoritative."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

CATEGORIES = ("registration", "licence", "tax", "social", "credit_good", "credit_bad", "penalty", "policy", "other")
CATEGORY_LABELS = {
    "registration": "登记注册", "licence": "行政许可", "tax": "纳税", "social": "社会保险", "credit_good": "守信激励（红名单）",
    "credit_bad": "失信惩戒（黑名单）", "penalty": "行政处罚", "policy": "惠企政策", "other": "其他",
}
# Registration facts of the profile and the item names they are read from (first present wins); ``name`` is
# the item with ``link: enterprise_name``.
FACTS = ("name", "legal_rep", "capital", "industry", "address", "status", "established")
FACT_ITEMS = {
    "legal_rep": ("legal_rep", "legal_representative"),
    "capital": ("capital", "reg_capital"),
    "industry": ("industry",),
    "address": ("address",),
    "status": ("status",),
    "established": ("established", "reg_date"),
}
FACT_LABELS = {"name": "名称", "legal_rep": "法定代表人", "capital": "注册资本", "industry": "行业", "address": "住所",
               "status": "登记状态", "established": "成立日期"}
METHODS = {0: "unlinked", 1: "uscc", 2: "org_code", 3: "name", 4: "review"}
METHOD_LABELS = {0: "未关联", 1: "统一社会信用代码", 2: "组织机构代码", 3: "名称（规范化后一致）", 4: "人工确认"}


class ConfigError(ValueError):
    """A source configuration that cannot be used; the message says which resource and what."""


@dataclass(frozen=True)
class Source:
    """One resource feeding the archive.

    ``authority``: lower wins when two sources disagree on a registration fact (then the newer batch wins).
    ``names``: whether its (USCC, name) pairs form the name index that name-only records link against;
    default: registration sources only.
    """

    resource: str
    schema: dict
    category: str = "other"
    authority: int = 100
    names: bool | None = None
    label: str = ""

    def __post_init__(self):
        if self.category not in CATEGORIES:
            raise ConfigError(f"数据资源 {self.resource} 的类别 {self.category!r} 无效（可用：{'、'.join(CATEGORIES)}）")

    @property
    def title(self) -> str:
        return self.label or str(self.schema.get("name") or self.resource)

    @property
    def name_index(self) -> bool:
        return self.category == "registration" if self.names is None else bool(self.names)

    def item(self, name: str) -> dict | None:
        return next((i for i in self.schema.get("items", []) if i["name"] == name), None)

    def link_items(self) -> dict[str, dict]:
        """``{"uscc"|"org_code"|"enterprise_name": item}`` — the first item declaring each link kind."""
        found: dict[str, dict] = {}
        for item in self.schema.get("items", []):
            kind = item.get("link")
            if kind and kind not in found:
                found[kind] = item
        return found

    def fact_items(self) -> dict[str, str]:
        """Profile fact → item name, for a registration (or name-index) source; empty otherwise."""
        if not self.name_index:
            return {}
        names = {i["name"] for i in self.schema.get("items", [])}
        out = {}
        link = self.link_items().get("enterprise_name")
        if link:
            out["name"] = link["name"]
        for fact, candidates in FACT_ITEMS.items():
            hit = next((c for c in candidates if c in names), None)
            if hit:
                out[fact] = hit
        return out

    def date_item(self) -> str | None:
        return next((i["name"] for i in self.schema.get("items", []) if i.get("type") in ("date", "datetime")), None)

    def key_items(self) -> list[str]:
        return list(self.schema.get("key") or [])

    def fingerprint(self) -> dict:
        return {"resource": self.resource, "category": self.category, "authority": self.authority,
                "names": self.name_index, "links": {k: v["name"] for k, v in sorted(self.link_items().items())},
                "checked": {k: v.get("check") for k, v in sorted(self.link_items().items())},
                "key": self.key_items(), "facts": self.fact_items()}


def sources_fingerprint(sources: list[Source]) -> str:
    text = json.dumps(sorted((s.fingerprint() for s in sources), key=lambda f: f["resource"]), ensure_ascii=False,
                      sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Decision:
    """A reviewer's answer for (normalised name, candidate USCC); ``seq`` orders them (later wins)."""

    name: str
    uscc: str
    confirmed: bool
    seq: int = 0

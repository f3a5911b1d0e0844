"""The menu: fixed domain sections; apps register their pages into them in ``AppConfig.ready``.

A section no app has filled yet is shown greyed out as 建设中 (under construction), so the shell
tells the truth about what exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass
class MenuItem:
    label: str
    url_name: str
    perm: str | None = None  # shown only to users having it (for any object)


@dataclass
class Section:
    key: str
    label: str
    icon: str
    items: list[MenuItem] = field(default_factory=list)


SECTIONS: list[Section] = [
    Section("govservices", "政务服务", "building"),
    Section("data", "数据资源", "database"),
    Section("trading", "公共资源交易", "briefcase"),
    Section("itreview", "信息化项目", "pc-display"),
    Section("cockpit", "驾驶舱", "speedometer2"),
    Section("system", "系统管理", "gear"),
]


def register(section_key: str, *items: MenuItem) -> None:
    for section in SECTIONS:
        if section.key == section_key:
            known = {i.url_name for i in section.items}
            section.items.extend(i for i in items if i.url_name not in known)
            return
    raise KeyError(f"没有菜单分区 {section_key}")


def menu_for(request) -> list[dict]:
    user = request.user
    path = request.path
    result = []
    for section in SECTIONS:
        items = []
        for item in section.items:
            if item.perm and not user.has_perm(item.perm):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append({"label": item.label, "url": url, "active": path.startswith(url)})
        result.append({
            "key": section.key, "label": section.label, "icon": section.icon, "items": items,
            "active": any(i["active"] for i in items),
            "registered": bool(section.items),
        })
    # A section whose pages exist but none of which this user may open is left out entirely.
    return [s for s in result if s["items"] or not s["registered"]]


def context_processor(request) -> dict:
    from django.conf import settings

    data = {"site_name": settings.SITE_NAME}
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        data["nav_menu"] = menu_for(request)
    return data

"""Reading the archive for pages, the API and the cockpit.

The archive is city-wide by nature (that is its point), so reading it needs the grant
``archive.view_archivebuild``; personal data stays masked: the legal representative always, and every item a
resource marks ``sensitive`` (by its check: ID number, phone; otherwise as a name). Facts from the other domains
(bids, contracts, cases) are read live and narrowed to what the user may see there.
"""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from zhengshu.archive import lake
from zhengshu.core.masking import mask
from zhengshu.pipeline.linking import CATEGORY_LABELS, FACT_LABELS, FACTS, METHOD_LABELS
from zhengshu.pipeline.linking.sources import FACT_ITEMS

_DECIMAL = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
METHOD_TEXT = {"unlinked": METHOD_LABELS[0], "uscc": METHOD_LABELS[1], "org_code": METHOD_LABELS[2],
               "name": METHOD_LABELS[3], "review": METHOD_LABELS[4]}


def can_view(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("archive.view_archivebuild"))


def record_url(resource: str, batch: str, ord_: int) -> str:
    return reverse("archive:record") + "?" + urlencode({"resource": resource, "batch": batch, "ord": ord_})


def _number(text: str) -> str:
    """``500.000000`` → ``500``, ``12.500000`` → ``12.5``."""
    if _DECIMAL.match(text):
        text = text.rstrip("0").rstrip(".") if "." in text else text
    return text


def _mask_value(item: dict, value):
    """A record value for display: personal items masked, amounts without trailing zeros and with their unit,
    dates as ISO."""
    if value is None:
        return None
    if item.get("sensitive") or item["name"] in FACT_ITEMS["legal_rep"]:  # the legal representative always
        kind = {"idcard": "id_number", "phone": "phone"}.get(item.get("check") or "", "name")
        return mask(kind, str(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = _number(str(value)) if isinstance(value, Decimal) else str(value)
    return f"{text} {item['unit']}" if item.get("unit") and isinstance(value, (Decimal, int, float)) else text


def _fact(name: str, lineage: dict | None, sources: dict) -> dict:
    if lineage is None:
        return {"name": name, "label": FACT_LABELS[name], "value": None}
    value = _number(str(lineage["value"]))
    if name == "legal_rep":
        value = mask("name", value)
    source = sources.get(lineage["resource"])
    item = source.item(source.fact_items().get(name, "")) if source else None
    if item and item.get("unit"):
        value = f"{value} {item['unit']}"
    return {"name": name, "label": FACT_LABELS[name], "value": value, "resource": lineage["resource"],
            "resource_title": source.title if source else lineage["resource"], "batch": lineage["batch"],
            "ord": lineage["ord"], "url": record_url(lineage["resource"], lineage["batch"], lineage["ord"])}


def archive_counts() -> dict:
    """For the cockpit: ``{"enterprises", "linked", "unlinked", "review", "sources", "built_at"}`` (zeros and
    ``built_at`` None before the first build)."""
    from zhengshu.archive.models import ArchiveSource

    figures = lake.open_archive().figures() or {}
    return {"enterprises": figures.get("enterprises", 0), "linked": figures.get("linked", 0),
            "unlinked": figures.get("unlinked", 0), "review": figures.get("review", 0),
            "sources": ArchiveSource.objects.filter(enabled=True).count(), "built_at": figures.get("built_at")}


def search_enterprises(text: str, user, limit: int = 20) -> list[dict]:
    if not can_view(user):
        return []
    return [{"uscc": e["uscc"], "name": e["name"], "records": e["records"], "by_category": e["by_category"],
             "status": (e["facts"].get("status") or {}).get("value"),
             "url": reverse("archive:enterprise", args=[e["uscc"]])}
            for e in lake.open_archive().search(text, limit)]


def enterprise_profile(uscc: str, user, category: str | None = None) -> dict | None:
    """The archive page of one enterprise: registration facts with their lineage, counts per category
    (facets), the timeline of its records (optionally one category), and bids, contracts and cases."""
    if not can_view(user):
        return None
    archive = lake.open_archive()
    enterprise = archive.enterprise(uscc)
    if enterprise is None:
        return None
    sources = lake.sources_by_code()
    records = archive.records(uscc, lake.get_store(), sources)
    facets = [{"category": c, "label": CATEGORY_LABELS[c], "count": n, "active": c == category}
              for c, n in enterprise["by_category"].items()]
    timeline = []
    for r in records:
        if category and r["category"] != category:
            continue
        source = sources[r["resource"]]
        items = source.schema["items"]
        link_names = {i["name"] for i in source.link_items().values()}
        values = [{"label": i["label"], "value": _mask_value(i, r["values"].get(i["name"]))}
                  for i in items if i["name"] not in link_names and r["values"].get(i["name"]) is not None]
        timeline.append({
            "date": r["date"], "category": r["category"], "category_label": CATEGORY_LABELS[r["category"]],
            "title": r["title"], "resource": r["resource"], "batch": r["batch"], "ord": r["ord"], "key": r["key"],
            "method": r["method"], "method_label": METHOD_TEXT[r["method"]], "values": values[:6],
            "url": record_url(r["resource"], r["batch"], r["ord"]),
        })
    return {
        "uscc": enterprise["uscc"], "org_code": enterprise["org_code"], "name": enterprise["name"] or uscc,
        "records": enterprise["records"], "facts": [_fact(f, enterprise["facts"].get(f), sources) for f in FACTS],
        "facets": facets, "category": category, "timeline": timeline,
        "trading": _trading(uscc, user), "cases": _cases(uscc, user),
    }


def _trading(uscc: str, user) -> dict:
    """Bids and contracts from 公共资源交易, as far as the user may see them there."""
    from zhengshu.trading.models import Bid, TenderProject, VillageProject

    bids = [{"project": b.project.name, "code": b.project.code, "price_yuan": b.price_yuan,
             "date": b.submitted_at.date() if b.submitted_at else None, "won": b.project.winner_id == b.bidder_id,
             "source": f"trading.bid #{b.pk}"}
            for b in Bid.objects.restrict(user, "view").filter(bidder__uscc=uscc).select_related("project")[:50]]
    contracts = [{"project": p.name, "code": p.code, "amount_yuan": p.award_amount_yuan, "date": p.contract_date,
                  "source": f"trading.tenderproject #{p.pk}"}
                 for p in TenderProject.objects.restrict(user, "view").filter(winner__uscc=uscc)[:50]]
    contracts += [{"project": v.name, "code": v.code, "amount_yuan": v.contract_amount_yuan, "date": v.contract_date,
                   "source": f"trading.villageproject #{v.pk}"}
                  for v in VillageProject.objects.restrict(user, "view").filter(contractor__uscc=uscc)[:50]]
    return {"bids": bids, "contracts": contracts}


def _cases(uscc: str, user) -> list[dict]:
    """Applications (办件) filed by the enterprise, as far as the user may see them."""
    from zhengshu.cases.models import Case

    qs = Case.objects.restrict(user, "view").filter(applicant_id_number=uscc).select_related("item")
    return [{"number": c.number, "item": str(c.item), "status": c.get_status_display(),
             "date": c.submitted_at.date() if c.submitted_at else None, "source": f"cases.case #{c.pk}"}
            for c in qs.order_by("-submitted_at")[:50]]


def source_record(resource: str, batch: str, ord_: int, user) -> dict | None:
    """One record of the lake with its lineage (resource, batch, record key) and the enterprise it links to."""
    if not can_view(user):
        return None
    sources = lake.sources_by_code()
    source = sources.get(resource)
    if source is None:
        return None
    record = lake.open_archive().record(resource, batch, ord_, lake.get_store(), source)
    if record is None:
        return None
    rows = [{"name": i["name"], "label": i["label"], "value": _mask_value(i, record["values"].get(i["name"])),
             "link": i.get("link") or ""} for i in source.schema["items"]]
    shown = {k: v for k, v in record.items() if k != "values"}  # the raw values are not masked: only ``rows`` goes out
    return {**shown, "rows": rows, "category_label": CATEGORY_LABELS[source.category],
            "method_label": METHOD_TEXT[record["method"]],
            "enterprise_url": reverse("archive:enterprise", args=[record["uscc"]]) if record["uscc"] else None}


def review_queue(user, limit: int = 50, offset: int = 0) -> tuple[list[dict], int]:
    if not can_view(user):
        return [], 0
    rows, total = lake.open_archive().review(limit, offset)
    sources = lake.sources_by_code()
    for r in rows:
        r["resource_titles"] = [sources[c].title if c in sources else c for c in r["resources"]]
        s = r["sample"]
        r["sample_url"] = record_url(s["resource"], s["batch"], s["ord"])
        r["enterprise_url"] = reverse("archive:enterprise", args=[r["uscc"]])
        r["kind"] = "同名多家企业" if r["distance"] == 0 else "名称相差一个字"
    return rows, total

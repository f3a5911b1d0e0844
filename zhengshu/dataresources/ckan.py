"""A CKAN-compatible Action API (read actions) over the open catalogue.

Served at ``/api/3/action/<name>`` and ``/api/action/<name>`` (the path the ``ckanapi`` client uses).
Parameters come as a JSON body, a form body or a query string; replies are CKAN's envelope
``{"help", "success", "result"}`` or ``{"help", "success": false, "error": {"__type", "message"}}``
with CKAN's error types and HTTP statuses. Organisations are provider departments, groups are themes.
"""

from __future__ import annotations

import json
import re
from collections import Counter

from django.db.models import Count, Q
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from zhengshu.dataresources import choices as c
from zhengshu.dataresources.models import DataResource
from zhengshu.dataresources.selectors import open_datasets, search

CKAN_VERSION = "2.11.0"
ROWS_MAX = 1000
LIMIT_MAX = 1000
FORMATS = {"CSV": "text/csv", "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "JSON": "application/json"}
LICENSES = {
    c.OpenType.UNCONDITIONAL: ("hn-open-1.0", "海宁市公共数据开放利用协议（无条件开放）"),
    c.OpenType.RESTRICTED: ("hn-restricted-1.0", "海宁市公共数据开放利用协议（受限开放，须申请）"),
}
SORT_FIELDS = {"name": "code", "title_string": "name", "metadata_modified": "updated",
               "metadata_created": "created", "score": "score", "views_recent": "download_count"}
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id", "open_type", "grade")


class ActionError(Exception):
    def __init__(self, etype: str, message, status: int):
        super().__init__(message)
        self.etype, self.message, self.status = etype, message, status


def not_found(what: str) -> ActionError:
    return ActionError("Not Found Error", f"Not found: {what}", 404)


def validation(field: str, message: str) -> ActionError:
    return ActionError("Validation Error", {field: [message]}, 409)


def query_error(message: str) -> ActionError:
    """CKAN answers an invalid search (unknown field, sort or facet) with HTTP 400 and this message prefix."""
    return ActionError("Search Query Error", f"Search Query is invalid: {message}", 400)


# --- parameters ---------------------------------------------------------------------------------


def _params(request) -> dict:
    if request.method == "POST":
        if request.content_type == "application/json" or (request.body[:1] in (b"{", b"[")):
            try:
                data = json.loads(request.body.decode("utf-8") or "{}")
            except (ValueError, UnicodeDecodeError):
                raise ActionError("Bad Request", "JSON 请求体无法解析", 400) from None
            if not isinstance(data, dict):
                raise ActionError("Bad Request", "请求体须为 JSON 对象", 400)
            return data
        return {k: v for k, v in request.POST.items()}
    return {k: v for k, v in request.GET.items()}


def _bool(value, default=False) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _int(params: dict, name: str, default: int, maximum: int | None = None) -> int:
    value = params.get(name, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise validation(name, "Invalid integer") from None
    if number < 0:
        raise validation(name, "Must be a natural number")
    return min(number, maximum) if maximum is not None else number


def _list(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    text = str(value).strip()
    if text.startswith("["):
        try:
            return [str(v) for v in json.loads(text)]
        except ValueError:
            raise validation("facet.field", "Not a JSON list") from None
    return [text]


# --- dictionaries -------------------------------------------------------------------------------


def org_name(department) -> str:
    return department.code.lower()


def organization_dict(department, count: int | None = None) -> dict:
    data = {
        "id": str(department.pk), "name": org_name(department), "title": department.name,
        "display_name": department.name, "description": department.name, "type": "organization",
        "is_organization": True, "state": "active", "approval_status": "approved", "image_url": "",
        "created": department.created.isoformat() if department.created else None,
    }
    if count is not None:
        data["package_count"] = count
    return data


def group_dict(theme: str, count: int | None = None) -> dict:
    label = c.THEME_LABELS[theme]
    data = {"id": theme, "name": theme, "title": label, "display_name": label, "description": label,
            "type": "group", "is_organization": False, "state": "active", "approval_status": "approved",
            "image_url": ""}
    if count is not None:
        data["package_count"] = count
    return data


def resource_dicts(resource: DataResource, base: str) -> list[dict]:
    modified = resource.updated.isoformat() if resource.updated else None
    result = []
    for position, fmt in enumerate(FORMATS):
        url = base + reverse("open:download", args=[resource.slug, fmt.lower()])
        result.append({
            "id": f"{resource.slug}.{fmt.lower()}", "package_id": str(resource.uid), "position": position,
            "name": f"{resource.name}（{fmt}）", "description": resource.summary[:200], "format": fmt,
            "mimetype": FORMATS[fmt], "url": url, "url_type": None, "state": "active",
            "size": None, "created": resource.created.isoformat() if resource.created else None,
            "last_modified": modified, "metadata_modified": modified,
            "access_restricted": resource.open_type == c.OpenType.RESTRICTED,
        })
    return result


def package_dict(resource: DataResource, base: str) -> dict:
    license_id, license_title = LICENSES.get(resource.open_type, ("", ""))
    tags = [{"id": t, "name": t, "display_name": t, "state": "active", "vocabulary_id": None}
            for t in resource.keyword_list()]
    resources = resource_dicts(resource, base)
    extras = {
        "resource_code": resource.code, "resource_class": resource.get_resource_class_display(),
        "share_type": resource.get_share_type_display(), "share_condition": resource.share_condition,
        "open_type": resource.get_open_type_display(), "open_condition": resource.open_condition,
        "grade": resource.grade, "update_frequency": resource.get_update_cycle_display(),
        "format": f"{resource.get_format_class_display()} {resource.format_type}".strip(),
        "origin": resource.get_origin_display(), "related_codes": resource.related_codes,
        "region_code": resource.region_code, "record_count": str(resource.record_count),
        "issued": resource.published_at.isoformat() if resource.published_at else "",
    }
    return {
        "id": str(resource.uid), "name": resource.slug, "title": resource.name, "notes": resource.summary,
        "url": base + reverse("open:dataset", args=[resource.slug]), "version": str(resource.version),
        "state": "active", "private": False, "type": "dataset",
        "license_id": license_id, "license_title": license_title,
        "author": resource.department.name, "author_email": None,
        "maintainer": resource.department.name, "maintainer_email": None,
        "owner_org": str(resource.department_id), "organization": organization_dict(resource.department),
        "groups": [group_dict(resource.theme)], "tags": tags, "num_tags": len(tags),
        "extras": [{"key": k, "value": v} for k, v in extras.items()],
        "resources": resources, "num_resources": len(resources),
        "metadata_created": resource.created.isoformat() if resource.created else None,
        "metadata_modified": resource.updated.isoformat() if resource.updated else None,
    }


def _base(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- search -------------------------------------------------------------------------------------

FQ_TERM = re.compile(r'([+-]?)([A-Za-z_.]+):("([^"]*)"|\[[^\]]*\]|\S+)')
DATE_FIELDS = {"metadata_modified": "updated", "metadata_created": "created"}
RANGE = re.compile(r"\[\s*(\S+)\s+TO\s+(\S+)\s*\]")


def _date_range(field: str, value: str) -> Q:
    """Solr's ``[FROM TO UNTIL]`` on a date field (``*`` open), as CKAN harvesters send for incremental runs."""
    from datetime import datetime, time, timezone as dt_timezone

    from django.utils.dateparse import parse_date, parse_datetime

    match = RANGE.fullmatch(value.strip())
    if not match:
        raise query_error(f"{field} 须为日期范围，如 [2024-01-01T00:00:00Z TO *]")
    q = Q()
    for bound, lookup in ((match[1], "gte"), (match[2], "lte")):
        if bound == "*":
            continue
        try:
            moment = parse_datetime(bound.replace("Z", "+00:00"))
            day = parse_date(bound) if moment is None else None
        except ValueError:  # well formed but impossible, e.g. month 13
            moment = day = None
        if day is not None:
            moment = datetime.combine(day, time.max if lookup == "lte" else time.min)
        if moment is None:
            raise query_error(f"{field} 的日期 {bound} 无法识别")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt_timezone.utc)
        q &= Q(**{f"{DATE_FIELDS[field]}__{lookup}": moment})
    return q


OPEN_TYPE_NAMES = {**{v: v for v in c.OpenType.values}, **{str(label): v for v, label in c.OpenType.choices}}


def _apply_field(qs, field: str, value: str, negate: bool):
    value = value.strip('"')
    if field in DATE_FIELDS:
        q = _date_range(field, value)
    elif field in ("organization", "owner_org"):
        q = Q(department__code__iexact=value) | (Q(department_id=value) if value.isdigit() else Q())
    elif field in ("groups", "theme"):
        q = Q(theme=value)
    elif field == "tags":
        q = Q(keywords__contains=value)
    elif field == "res_format":
        q = Q() if value.upper() in FORMATS else Q(pk__in=[])
    elif field == "license_id":
        matches = [ot for ot, (lid, _t) in LICENSES.items() if lid == value]
        q = Q(open_type__in=matches)
    elif field == "open_type":
        q = Q(open_type=OPEN_TYPE_NAMES.get(value, value))
    elif field == "grade":
        q = Q(grade=value.upper())
    elif field in ("name",):
        q = Q(code=value.replace("-", "/", 1)) if "-" in value else Q(pk__in=[])
    elif field in ("id",):
        q = Q(uid=value) if re.fullmatch(r"[0-9a-fA-F-]{32,36}", value) else Q(pk__in=[])
    elif field in ("site_id", "capacity", "state", "dataset_type", "type"):
        return qs  # CKAN's implicit filters: every dataset here is public and active
    else:
        raise query_error(f"不支持的过滤字段 {field}")
    return qs.exclude(q) if negate else qs.filter(q)


def _filter_text(qs, text: str) -> tuple:
    """Field terms (``organization:hn-sjj``) filter; the rest is full text."""
    rest = text
    for match in FQ_TERM.finditer(text or ""):
        sign, field, raw, quoted = match.groups()
        qs = _apply_field(qs, field, quoted if quoted is not None else raw, sign == "-")
        rest = rest.replace(match.group(0), " ")
    rest = re.sub(r"\b(AND|OR)\b|\*:\*", " ", rest).strip()
    return qs, rest


def _facets(qs, fields: list[str], limit: int, mincount: int) -> dict:
    result: dict[str, dict] = {}
    total = qs.count()
    for field in fields:
        if field not in FACET_FIELDS:
            raise query_error(f"不支持的分面字段 {field}")
        counts: Counter = Counter()
        names: dict[str, str] = {}
        if field == "organization":
            for row in qs.order_by().values("department__code", "department__name").annotate(n=Count("id")):
                key = row["department__code"].lower()
                counts[key], names[key] = row["n"], row["department__name"]
        elif field == "groups":
            for row in qs.order_by().values("theme").annotate(n=Count("id")):
                counts[row["theme"]], names[row["theme"]] = row["n"], c.THEME_LABELS.get(row["theme"], row["theme"])
        elif field == "open_type":
            for row in qs.order_by().values("open_type").annotate(n=Count("id")):
                counts[row["open_type"]] = row["n"]
                names[row["open_type"]] = str(c.OpenType(row["open_type"]).label)
        elif field == "grade":
            for row in qs.order_by().values("grade").annotate(n=Count("id")):
                counts[row["grade"]], names[row["grade"]] = row["n"], str(c.Grade(row["grade"]).label)
        elif field == "license_id":
            for row in qs.order_by().values("open_type").annotate(n=Count("id")):
                lid, title = LICENSES.get(row["open_type"], ("", ""))
                counts[lid], names[lid] = row["n"], title
        elif field == "res_format":
            for fmt in FORMATS:
                counts[fmt], names[fmt] = total, fmt
        elif field == "tags":
            for keywords in qs.order_by().values_list("keywords", flat=True):
                for tag in set(re.split(r"[\s、,，;；]+", keywords or "")):
                    if tag:
                        counts[tag] += 1
                        names[tag] = tag
        items = [{"name": k, "display_name": names.get(k, k), "count": n}
                 for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n >= mincount]
        if limit >= 0:
            items = items[:limit]
        result[field] = {"title": field, "items": items}
    return result


def _sort(qs, sort: str, scored: bool):
    order = []
    for part in (sort or "").split(","):
        bits = part.split()
        if not bits:
            continue
        field, direction = bits[0], (bits[1].lower() if len(bits) > 1 else "asc")
        if field not in SORT_FIELDS or direction not in ("asc", "desc"):
            raise query_error(f"无法按“{part.strip()}”排序")
        column = SORT_FIELDS[field]
        if column == "score" and not scored:
            continue
        order.append(("-" if direction == "desc" else "") + column)
    return qs.order_by(*order, "code") if order else qs


# --- actions ------------------------------------------------------------------------------------


def status_show(request, params):
    return {"ckan_version": CKAN_VERSION, "site_title": "海宁市公共数据开放平台", "site_url": _base(request),
            "site_description": "海宁市政务服务和数据资源管理办公室", "locale_default": "zh_Hans_CN",
            "error_emails_to": None, "extensions": ["zhengshu"]}


def package_list(request, params):
    limit = _int(params, "limit", LIMIT_MAX, LIMIT_MAX)
    offset = _int(params, "offset", 0)
    codes = open_datasets().order_by("code").values_list("code", flat=True)[offset:offset + limit]
    return [code.replace("/", "-") for code in codes]


def package_search(request, params):
    rows = _int(params, "rows", 10, ROWS_MAX)
    start = _int(params, "start", 0)
    qs = open_datasets()
    q = str(params.get("q") or "")
    fqs = [str(params.get("fq") or ""), *[str(f) for f in _list(params.get("fq_list"))]]
    texts = []
    for fq in [*fqs, q]:
        qs, leftover = _filter_text(qs, fq)
        texts.append(leftover)
    text = " ".join(t for t in texts if t)
    scored = bool(text)
    if scored:
        qs = search(qs, text)
    default_sort = "score desc, metadata_modified desc" if scored else "name asc"
    sort = str(params.get("sort") or default_sort)
    count = qs.count()
    facet_fields = _list(params.get("facet.field")) if _bool(params.get("facet"), True) else []
    facets = _facets(qs, facet_fields, _facet_limit(params), _int(params, "facet.mincount", 1)) if facet_fields else {}
    page = list(_sort(qs, sort, scored)[start:start + rows]) if rows else []
    base = _base(request)
    return {
        "count": count, "sort": sort,
        "results": [package_dict(r, base) for r in page],
        "facets": {f: {i["name"]: i["count"] for i in v["items"]} for f, v in facets.items()},
        "search_facets": facets,
    }


def _facet_limit(params) -> int:
    """``facet.limit``: default 50, a negative value means no limit."""
    try:
        value = int(params.get("facet.limit", 50))
    except (TypeError, ValueError):
        raise validation("facet.limit", "Invalid integer") from None
    return -1 if value < 0 else value


def _dataset(params) -> DataResource:
    ident = str(params.get("id") or params.get("name_or_id") or "").strip()
    if not ident:
        raise validation("id", "Missing value")
    qs = open_datasets()
    if re.fullmatch(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}", ident):
        resource = qs.filter(uid=ident).first()
    else:
        resource = qs.filter(code=ident.replace("-", "/", 1)).first() if "-" in ident else None
    if resource is None:
        raise not_found("数据集 " + ident)
    return resource


def package_show(request, params):
    return package_dict(_dataset(params), _base(request))


def resource_show(request, params):
    ident = str(params.get("id") or "").strip()
    if not ident:
        raise validation("id", "Missing value")
    slug, _, fmt = ident.rpartition(".")
    if fmt.upper() not in FORMATS or not slug:
        raise not_found("资源 " + ident)
    try:
        resource = _dataset({"id": slug})
    except ActionError:
        raise not_found("资源 " + ident) from None
    return next(r for r in resource_dicts(resource, _base(request)) if r["format"] == fmt.upper())


def _org_counts():
    return dict(open_datasets().order_by().values_list("department_id").annotate(n=Count("id")))


def _list_of(params, kind: str, rows: list[tuple[str, dict]]):
    """Shared by organization_list and group_list: rows are (name, full dict)."""
    wanted = _list(params.get("organizations" if kind == "organization" else "groups"))
    query = str(params.get("q") or "").strip()
    if wanted:
        rows = [r for r in rows if r[0] in wanted]
    if query:
        rows = [r for r in rows if query.lower() in r[0] or query in r[1]["title"]]
    sort = str(params.get("sort") or "name asc").split()
    field, desc = sort[0], len(sort) > 1 and sort[1].lower() == "desc"
    if field in ("packages", "package_count"):
        rows.sort(key=lambda r: (r[1]["package_count"], r[0]), reverse=desc)
    elif field in ("name", "title"):
        rows.sort(key=lambda r: r[1][field], reverse=desc)
    else:
        raise validation("sort", f"无法按 {field} 排序")
    offset = _int(params, "offset", 0)
    limit = _int(params, "limit", LIMIT_MAX, LIMIT_MAX)
    rows = rows[offset:offset + limit]
    return [r[1] for r in rows] if _bool(params.get("all_fields")) else [r[0] for r in rows]


def organization_list(request, params):
    from zhengshu.orgs.models import Department

    counts = _org_counts()
    depts = Department.objects.filter(pk__in=counts)
    return _list_of(params, "organization", [(org_name(d), organization_dict(d, counts[d.pk])) for d in depts])


def organization_show(request, params):
    from zhengshu.orgs.models import Department

    ident = str(params.get("id") or "").strip()
    if not ident:
        raise validation("id", "Missing value")
    dept = Department.objects.filter(Q(code__iexact=ident) | (Q(pk=ident) if ident.isdigit() else Q(pk__in=[]))).first()
    counts = _org_counts()
    if dept is None or dept.pk not in counts:
        raise not_found("组织 " + ident)
    data = organization_dict(dept, counts[dept.pk])
    if _bool(params.get("include_datasets")):
        base = _base(request)
        data["packages"] = [package_dict(r, base) for r in open_datasets().filter(department=dept)[:ROWS_MAX]]
    return data


def group_list(request, params):
    counts = dict(open_datasets().order_by().values_list("theme").annotate(n=Count("id")))
    return _list_of(params, "group", [(t, group_dict(t, counts[t])) for t, _l in c.THEMES if t in counts])


def tag_list(request, params):
    query = str(params.get("query") or params.get("q") or "").strip()
    tags: Counter = Counter()
    for keywords in open_datasets().order_by().values_list("keywords", flat=True):
        tags.update(t for t in set(re.split(r"[\s、,，;；]+", keywords or "")) if t)
    names = sorted(t for t in tags if query in t)
    if _bool(params.get("all_fields")):
        return [{"id": t, "name": t, "display_name": t, "vocabulary_id": None} for t in names]
    return names


ACTIONS = {f.__name__: f for f in (status_show, package_list, package_search, package_show, resource_show,
                                   organization_list, organization_show, group_list, tag_list)}


@csrf_exempt
def action(request, name: str):
    help_url = _base(request) + f"/api/3/action/help_show?name={name}"
    fn = ACTIONS.get(name)
    try:
        if fn is None:
            raise ActionError("Bad Request", f"Bad request - Action name not known: {name}", 400)
        if request.method not in ("GET", "POST"):
            raise ActionError("Bad Request", "只支持 GET 和 POST", 400)
        result = fn(request, _params(request))
    except ActionError as exc:
        return JsonResponse({"help": help_url, "success": False,
                             "error": {"__type": exc.etype, **({"message": exc.message} if isinstance(exc.message, str)
                                                               else exc.message)}},
                            status=exc.status, json_dumps_params={"ensure_ascii": False})
    return JsonResponse({"help": help_url, "success": True, "result": result}, safe=False,
                        json_dumps_params={"ensure_ascii": False})

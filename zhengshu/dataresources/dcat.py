"""DCAT-AP 3.0 JSON-LD of the open catalogue: ``/catalog.jsonld`` (paged like ckanext-dcat, with Hydra)
and ``/open/dataset/<name>.jsonld``.

Mandatory properties (DCAT-AP 3.0.0 SHACL, ``sh:minCount 1``): Catalogue dct:title, dct:description,
dct:publisher; Dataset dct:title, dct:description; Distribution dcat:accessURL; Agent foaf:name;
Concept skos:prefLabel; CatalogueRecord dct:modified, foaf:primaryTopic. The context is inline, so the
document reads offline.
"""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.urls import reverse

from zhengshu.dataresources import choices as c
from zhengshu.dataresources.ckan import FORMATS
from zhengshu.dataresources.models import DataResource
from zhengshu.dataresources.selectors import open_datasets

PAGE_SIZE = 500
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "adms": "http://www.w3.org/ns/adms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "hydra": "http://www.w3.org/ns/hydra/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcatap": "http://data.europa.eu/r5r/",
}
ACCESS_RIGHTS = {
    c.OpenType.UNCONDITIONAL: "http://publications.europa.eu/resource/authority/access-right/PUBLIC",
    c.OpenType.RESTRICTED: "http://publications.europa.eu/resource/authority/access-right/RESTRICTED",
    c.OpenType.PROHIBITED: "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC",
}
FILE_TYPES = {"CSV": "CSV", "XLSX": "XLSX", "JSON": "JSON"}


def zh(text: str) -> dict:
    return {"@value": text, "@language": "zh"}


def _date(value, kind="date"):
    return {"@value": value.isoformat(), "@type": f"xsd:{'dateTime' if kind == 'dt' else 'date'}"} if value else None


def agent(department, base: str) -> dict:
    data = {"@id": f"{base}/open/org/{department.code.lower()}", "@type": "foaf:Agent",
            "foaf:name": zh(department.name)}
    if department.uscc:
        data["adms:identifier"] = {"@type": "adms:Identifier", "skos:notation": department.uscc}
    return data


def theme_concept(theme: str, base: str) -> dict:
    return {"@id": f"{base}/open/themes/{theme}", "@type": "skos:Concept",
            "skos:prefLabel": zh(c.THEME_LABELS[theme]), "skos:inScheme": {"@id": f"{base}/open/themes"}}


def dataset_node(resource: DataResource, base: str) -> dict:
    landing = base + reverse("open:dataset", args=[resource.slug])
    node = {
        "@id": landing + "#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": resource.code,
        "dct:title": zh(resource.name),
        "dct:description": zh(resource.summary),
        "dct:publisher": agent(resource.department, base),
        "dcat:theme": theme_concept(resource.theme, base),
        "dcat:keyword": [zh(k) for k in resource.keyword_list()],
        "dcat:landingPage": {"@id": landing},
        "dct:accessRights": {"@id": ACCESS_RIGHTS[resource.open_type]},
        "dct:accrualPeriodicity": {"@id": c.FREQUENCY_URI[resource.update_cycle]},
        "dct:spatial": {"@id": f"{base}/open/divisions/{resource.region_code}"},
        "dct:issued": _date(resource.published_at),
        "dct:modified": _date(resource.updated, "dt"),
        "dcat:version": str(resource.version),
        "dct:relation": [{"@id": f"{base}/open/dataset/{code.replace('/', '-')}"}
                         for code in resource.related_codes.split() if code],
        "dcat:distribution": [],
    }
    for fmt in FORMATS:
        url = base + reverse("open:download", args=[resource.slug, fmt.lower()])
        dist = {
            "@id": f"{landing}#{fmt.lower()}", "@type": "dcat:Distribution",
            "dct:title": zh(f"{resource.name}（{fmt}）"),
            "dcat:accessURL": {"@id": landing},
            "dct:format": {"@id": f"http://publications.europa.eu/resource/authority/file-type/{FILE_TYPES[fmt]}"},
            "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{FORMATS[fmt]}"},
            "dct:rights": {"@id": ACCESS_RIGHTS[resource.open_type]},
        }
        if resource.open_type == c.OpenType.UNCONDITIONAL:
            dist["dcat:downloadURL"] = {"@id": url}
        node["dcat:distribution"].append(dist)
    return {k: v for k, v in node.items() if v not in (None, [])}


def catalogue_node(base: str) -> dict:
    from zhengshu.orgs.models import Department

    office = Department.objects.filter(code="HN-ZSB").first()
    publisher = agent(office, base) if office else {"@id": f"{base}/open/org/hn-zsb", "@type": "foaf:Agent",
                                                     "foaf:name": zh("海宁市政务服务和数据资源管理办公室")}
    return {
        "@id": f"{base}/catalog.jsonld#catalog", "@type": "dcat:Catalog",
        "dct:title": zh("海宁市公共数据开放目录"),
        "dct:description": zh("海宁市各部门依《浙江省公共数据条例》开放的公共数据集（无条件开放与受限开放）。"),
        "dct:publisher": publisher,
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/ZHO"},
        "dct:spatial": {"@id": f"{base}/open/divisions/330481"},
        "foaf:homepage": {"@id": f"{base}/open/"},
        "dcat:themeTaxonomy": {"@id": f"{base}/open/themes", "@type": "skos:ConceptScheme",
                               "dct:title": zh("海宁市公共数据主题分类")},
    }


def catalog_view(request):
    base = request.build_absolute_uri("/").rstrip("/")
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page = 1
    qs = open_datasets().order_by("code")
    total = qs.count()
    last = max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE)
    if page > last:
        raise Http404("没有这一页")
    datasets = [dataset_node(r, base) for r in qs[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]]
    catalogue = catalogue_node(base)
    catalogue["dcat:dataset"] = [{"@id": d["@id"]} for d in datasets]
    records = [{"@type": "dcat:CatalogRecord", "dct:modified": d.get("dct:modified") or d.get("dct:issued"),
                "foaf:primaryTopic": {"@id": d["@id"]}} for d in datasets]
    catalogue["dcat:record"] = records
    url = f"{base}/catalog.jsonld"
    paging = {"@id": f"{url}?page={page}", "@type": "hydra:PagedCollection", "hydra:totalItems": total,
              "hydra:itemsPerPage": PAGE_SIZE, "hydra:firstPage": f"{url}?page=1",
              "hydra:lastPage": f"{url}?page={last}"}
    if page < last:
        paging["hydra:nextPage"] = f"{url}?page={page + 1}"
    if page > 1:
        paging["hydra:previousPage"] = f"{url}?page={page - 1}"
    body = {"@context": CONTEXT, "@graph": [catalogue, *datasets, paging]}
    return JsonResponse(body, content_type="application/ld+json; charset=utf-8",
                        json_dumps_params={"ensure_ascii": False})


def dataset_view(request, slug: str):
    base = request.build_absolute_uri("/").rstrip("/")
    resource = open_datasets().filter(code=slug.replace("-", "/", 1)).first()
    if resource is None:
        raise Http404("数据集不存在或未开放")
    body = {"@context": CONTEXT, "@graph": [dataset_node(resource, base)]}
    return JsonResponse(body, content_type="application/ld+json; charset=utf-8",
                        json_dumps_params={"ensure_ascii": False})

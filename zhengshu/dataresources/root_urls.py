"""Public paths that must sit at the site root: the open data portal, the CKAN Action API, DCAT."""

from django.urls import path, re_path

from zhengshu.dataresources import ckan, dcat, portal

app_name = "open"

SLUG = r"(?P<slug>[0-9]{6,}-[0-9]{6})"

urlpatterns = [
    path("open/", portal.home, name="home"),
    path("open/datasets/", portal.dataset_list, name="datasets"),
    re_path(rf"^open/dataset/{SLUG}\.jsonld$", dcat.dataset_view, name="dataset_jsonld"),
    re_path(rf"^open/dataset/{SLUG}/$", portal.dataset_detail, name="dataset"),
    re_path(rf"^open/dataset/{SLUG}/download/(?P<fmt>csv|xlsx|json)$", portal.download, name="download"),
    re_path(rf"^open/dataset/{SLUG}/apply/$", portal.apply, name="apply"),
    path("open/showcase/", portal.showcase, name="showcase"),
    path("catalog.jsonld", dcat.catalog_view, name="catalog_jsonld"),
    path("api/3/action/<str:name>", ckan.action, name="ckan_action_3"),
    path("api/action/<str:name>", ckan.action, name="ckan_action"),
]

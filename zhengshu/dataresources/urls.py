from django.urls import path

from zhengshu.core.views.generic import model_urls
from zhengshu.dataresources import views as v

app_name = "dataresources"


def with_detail(config, detail_view, custom=("detail",)) -> list:
    """The generic pages of ``config`` with its detail page replaced by ``detail_view`` (and the pages named
    in ``custom`` left out, served by this app's own views)."""
    model = config.meta.model_name
    prefix = config.url_prefix or f"{model}s"
    patterns = [p for p in model_urls(config) if p.name not in {f"{model}_{a}" for a in custom}]
    return [path(f"{prefix}/<int:pk>/", detail_view, name=f"{model}_detail"), *patterns]


urlpatterns = [
    path("resources/add/", v.resource_edit, name="dataresource_add"),
    path("resources/<int:pk>/edit/", v.resource_edit, name="dataresource_edit"),
    path("resources/<int:pk>/share/", v.share_request_new, name="dataresource_share"),
    path("resources/<int:pk>/<str:action>/", v.resource_action, name="dataresource_action"),
    path("review/", v.review_queue, name="review_queue"),
    path("import/", v.import_view, name="import"),
    path("export/", v.export_view, name="export"),
    *with_detail(v.RESOURCE, v.resource_detail, custom=("detail", "add", "edit")),
    *with_detail(v.SHARE_REQUEST, v.sharerequest_detail),
    *with_detail(v.SHARE_GRANT, v.sharegrant_detail),
    *model_urls(v.ACCESS_LOG),
    *with_detail(v.OPEN_APPLICATION, v.openapplication_detail),
    *model_urls(v.SHOWCASE),
]

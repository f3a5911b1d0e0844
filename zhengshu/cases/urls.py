from django.urls import path

from zhengshu.cases import views
from zhengshu.core.views.generic import ObjectListView, model_urls

app_name = "cases"


def _list(config):
    return type(f"{config.model.__name__}List", (ObjectListView,), {"config": config}).as_view()


urlpatterns = [
    path("", views.queue, name="queue"),
    path("all/", _list(views.CASE_CONFIG), name="case_list"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/do/<slug:name>/", views.case_action, name="case_action"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("apply/<str:code>/", views.apply, name="apply"),
    path("mine/", views.mine, name="mine"),
    path("cross-region/", views.cross_region, name="cross_region"),
    path("bundles/<str:code>/apply/", views.bundle_apply, name="bundle_apply"),
    path("metrics/", views.metrics_page, name="metrics"),
    path("metrics/<slug:key>/", views.metric_drill, name="metric_drill"),
    *model_urls(views.FLAG_CONFIG),
    *model_urls(views.RECTIFICATION_CONFIG),
    *model_urls(views.BUNDLE_CONFIG),
    *model_urls(views.PARAMETER_CONFIG),
    *model_urls(views.METRIC_CONFIG),
]

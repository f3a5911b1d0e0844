from django.urls import path

from zhengshu.archive import views
from zhengshu.core.views.generic import model_urls

app_name = "archive"


def _read_only(patterns):
    return [p for p in patterns if p.name.endswith(("_list", "_detail"))]


urlpatterns = [
    path("", views.index, name="index"),
    path("enterprises/<str:uscc>/", views.enterprise, name="enterprise"),
    path("record/", views.record, name="record"),
    path("review/", views.review, name="review"),
    path("review/decide/", views.decide, name="decide"),
    path("build/", views.build, name="build"),
    *model_urls(views.source_config),
    *_read_only(model_urls(views.decision_config)),
    *_read_only(model_urls(views.build_config)),
]

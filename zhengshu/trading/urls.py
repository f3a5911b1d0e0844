from django.urls import path

from zhengshu.core.views.generic import model_urls
from zhengshu.trading import views

app_name = "trading"


def _without_detail(patterns):
    return [p for p in patterns if not p.name.endswith("_detail")]


urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("queue/", views.queue, name="queue"),
    path("projects/<int:pk>/", views.project_detail, name="tenderproject_detail"),
    path("projects/<int:pk>/advance/", views.project_advance, name="project_advance"),
    path("projects/<int:pk>/upload/", views.document_upload, name="document_upload"),
    path("projects/<int:pk>/step/<str:step>/", views.project_step, name="project_step"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("findings/<int:pk>/handle/", views.finding_action, name="finding_action"),
    path("credit/<str:uscc>/", views.credit_report, name="credit_report"),
    path("villages/<int:pk>/", views.village_detail, name="villageproject_detail"),
    *_without_detail(model_urls(views.project_config)),
    *model_urls(views.enterprise_config),
    *model_urls(views.adverse_config),
    *model_urls(views.clue_config),
    *model_urls(views.checkrule_config),
    *_without_detail(model_urls(views.village_config)),
    *model_urls(views.tier_config),
    *model_urls(views.threshold_config),
]

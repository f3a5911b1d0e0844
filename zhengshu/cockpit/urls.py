from django.urls import path

from zhengshu.cockpit import views
from zhengshu.core.views.generic import model_urls

app_name = "cockpit"
urlpatterns = [
    path("", views.screen, name="screen"),
    path("data/", views.screen_data, name="data"),
    path("report/", views.report_download, name="report"),
    *model_urls(views.report_config),
]

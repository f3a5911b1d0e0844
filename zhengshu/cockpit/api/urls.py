from django.urls import path

from zhengshu.cockpit.api import views

app_name = "cockpit-api"
urlpatterns = [
    path("figures", views.FiguresView.as_view(), name="figures"),
    path("figures/", views.FiguresSlashView.as_view()),
]

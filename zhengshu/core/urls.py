from django.urls import path

from zhengshu.core import views
from zhengshu.core.views.generic import model_urls

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("reveal/<str:label>/<str:pk>/<str:field>/", views.reveal, name="reveal"),
    *model_urls(views.CHANGELOG),
    *model_urls(views.CALENDAR),
    *model_urls(views.JOBS),
]

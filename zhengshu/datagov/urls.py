from django.urls import path

from zhengshu.core.views.generic import ObjectListView, model_urls
from zhengshu.datagov import views

app_name = "datagov"


def _list(config):
    return type(f"{config.model.__name__}ListView", (ObjectListView,), {"config": config}).as_view()


urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("inspect/", views.RunInspectionView.as_view(), name="inspect"),
    *model_urls(views.RESOURCE),
    path("resources/<int:pk>/quality/", views.ResourceQualityView.as_view(), name="resource_quality"),
    *model_urls(views.DELIVERY),
    path("deliveries/<int:pk>/rejects/", views.RejectsView.as_view(), name="delivery_rejects"),
    path("reminders/", _list(views.REMINDER), name="reminder_list"),
    path("reminders/<int:pk>/", views.ReminderDetailView.as_view(), name="reminder_detail"),
    path("bulletins/", _list(views.BULLETIN), name="bulletin_list"),
    path("bulletins/<int:pk>/", views.BulletinDetailView.as_view(), name="bulletin_detail"),
    path("shutdowns/", _list(views.SHUTDOWN), name="shutdownorder_list"),
    path("shutdowns/<int:pk>/", views.ShutdownDetailView.as_view(), name="shutdownorder_detail"),
    *model_urls(views.POLICY),
    *model_urls(views.RUN),
]

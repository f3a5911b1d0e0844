from django.urls import path
from rest_framework.routers import DefaultRouter

from zhengshu.dataresources.api import views

router = DefaultRouter(trailing_slash=True)
router.register("resources", views.DataResourceViewSet)
router.register("share-requests", views.ShareRequestViewSet)
router.register("grants", views.ShareGrantViewSet)
router.register("access-logs", views.AccessLogViewSet)
app_name = "dataresources-api"
urlpatterns = [
    path("shared/<str:slug>/", views.shared_data, name="shared-data"),
    *router.urls,
]

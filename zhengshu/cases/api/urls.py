from django.urls import path
from rest_framework.routers import DefaultRouter

from zhengshu.cases.api.views import ApplicantFlagViewSet, CaseViewSet, MetricsView, RectificationViewSet

router = DefaultRouter(trailing_slash=True)
router.register("cases", CaseViewSet)
router.register("flags", ApplicantFlagViewSet)
router.register("rectifications", RectificationViewSet)
app_name = "cases-api"
urlpatterns = [path("metrics/", MetricsView.as_view(), name="metrics"), *router.urls]

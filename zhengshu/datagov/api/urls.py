from django.urls import path
from rest_framework.routers import DefaultRouter

from zhengshu.datagov.api import views

router = DefaultRouter(trailing_slash=True)
router.register("resources", views.AggregationResourceViewSet)
router.register("policies", views.GovernancePolicyViewSet)
router.register("deliveries", views.DeliveryViewSet)
router.register("snapshots", views.QualitySnapshotViewSet)
router.register("reminders", views.ReminderViewSet)
router.register("bulletins", views.BulletinViewSet)
router.register("shutdowns", views.ShutdownOrderViewSet)
app_name = "datagov-api"
urlpatterns = [path("summary/", views.SummaryView.as_view(), name="summary"), *router.urls]

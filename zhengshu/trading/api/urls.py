from django.urls import path
from rest_framework.routers import DefaultRouter

from zhengshu.trading.api import views

router = DefaultRouter(trailing_slash=True)
router.register("projects", views.TenderProjectViewSet)
router.register("bids", views.BidViewSet)
router.register("documents", views.TenderDocumentViewSet)
router.register("findings", views.DocumentFindingViewSet)
router.register("rules", views.CheckRuleViewSet)
router.register("enterprises", views.EnterpriseViewSet)
router.register("adverse-records", views.AdverseRecordViewSet)
router.register("clues", views.ClueViewSet)
router.register("villages", views.VillageProjectViewSet)

app_name = "trading-api"
urlpatterns = [path("summary/", views.SummaryView.as_view(), name="summary"), *router.urls]

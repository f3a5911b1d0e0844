from django.urls import path
from rest_framework.routers import DefaultRouter

from zhengshu.archive.api import views

router = DefaultRouter(trailing_slash=True)
router.register("sources", views.ArchiveSourceViewSet)
router.register("decisions", views.MatchDecisionViewSet)
router.register("builds", views.ArchiveBuildViewSet)

app_name = "archive-api"
urlpatterns = [
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("enterprises/", views.EnterpriseSearchView.as_view(), name="enterprise-search"),
    path("enterprises/<str:uscc>/", views.EnterpriseView.as_view(), name="enterprise"),
    path("record/", views.RecordView.as_view(), name="record"),
    path("review/", views.ReviewView.as_view(), name="review"),
    path("build/", views.BuildView.as_view(), name="build"),
    *router.urls,
]

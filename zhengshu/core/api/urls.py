from rest_framework.routers import DefaultRouter

from zhengshu.core.api.views import CalendarOverrideViewSet, ChangeLogEntryViewSet, JobViewSet

router = DefaultRouter(trailing_slash=True)
router.register("changelog", ChangeLogEntryViewSet)
router.register("calendar", CalendarOverrideViewSet)
router.register("jobs", JobViewSet)
app_name = "core-api"
urlpatterns = router.urls

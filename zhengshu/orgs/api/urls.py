from rest_framework.routers import DefaultRouter

from zhengshu.orgs.api.views import DepartmentViewSet, DivisionViewSet

router = DefaultRouter(trailing_slash=True)
router.register("divisions", DivisionViewSet)
router.register("departments", DepartmentViewSet)
app_name = "orgs-api"
urlpatterns = router.urls

from rest_framework.routers import DefaultRouter

from zhengshu.accounts.api.views import UserViewSet

router = DefaultRouter(trailing_slash=True)
router.register("users", UserViewSet)
app_name = "accounts-api"
urlpatterns = router.urls

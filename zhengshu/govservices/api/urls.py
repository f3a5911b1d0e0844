from rest_framework.routers import DefaultRouter

from zhengshu.govservices.api.views import CodeValueViewSet, ItemVersionViewSet, MaterialViewSet, ServiceItemViewSet

router = DefaultRouter(trailing_slash=True)
router.register("items", ServiceItemViewSet)
router.register("materials", MaterialViewSet)
router.register("versions", ItemVersionViewSet)
router.register("codes", CodeValueViewSet)
app_name = "govservices-api"
urlpatterns = router.urls

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("", include("zhengshu.core.urls")),
    path("accounts/", include("zhengshu.accounts.urls")),
    path("orgs/", include("zhengshu.orgs.urls")),
    path("services/", include("zhengshu.govservices.urls")),
    path("cases/", include("zhengshu.cases.urls")),
    path("assistant/", include("zhengshu.assistant.urls")),
    path("catalog/", include("zhengshu.dataresources.urls")),
    path("datagov/", include("zhengshu.datagov.urls")),
    path("trading/", include("zhengshu.trading.urls")),
    path("archive/", include("zhengshu.archive.urls")),
    path("cockpit/", include("zhengshu.cockpit.urls")),
    path("", include("zhengshu.dataresources.root_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/core/", include("zhengshu.core.api.urls")),
    path("api/v1/accounts/", include("zhengshu.accounts.api.urls")),
    path("api/v1/orgs/", include("zhengshu.orgs.api.urls")),
    path("api/v1/services/", include("zhengshu.govservices.api.urls")),
    path("api/v1/cases/", include("zhengshu.cases.api.urls")),
    path("api/v1/assistant/", include("zhengshu.assistant.api.urls")),
    path("api/v1/catalog/", include("zhengshu.dataresources.api.urls")),
    path("api/v1/datagov/", include("zhengshu.datagov.api.urls")),
    path("api/v1/trading/", include("zhengshu.trading.api.urls")),
    path("api/v1/archive/", include("zhengshu.archive.api.urls")),
    path("api/v1/cockpit/", include("zhengshu.cockpit.api.urls")),
]

handler403 = "zhengshu.core.views.errors.permission_denied"
handler404 = "zhengshu.core.views.errors.page_not_found"
handler500 = "zhengshu.core.views.errors.server_error"

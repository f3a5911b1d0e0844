from zhengshu.core.views.generic import model_urls
from zhengshu.orgs.views import DEPARTMENT, DIVISION

app_name = "orgs"
urlpatterns = [*model_urls(DIVISION, pk_converter="str"), *model_urls(DEPARTMENT)]

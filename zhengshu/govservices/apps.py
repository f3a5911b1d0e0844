from django.apps import AppConfig


class GovservicesConfig(AppConfig):
    name = "zhengshu.govservices"
    label = "govservices"
    verbose_name = "政务服务事项"

from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhengshu.cases"
    label = "cases"
    verbose_name = "办件"

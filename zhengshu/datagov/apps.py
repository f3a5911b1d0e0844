from django.apps import AppConfig


class DatagovConfig(AppConfig):
    name = "zhengshu.datagov"
    label = "datagov"
    verbose_name = "数据归集与治理"

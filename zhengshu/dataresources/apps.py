from django.apps import AppConfig


class DataresourcesConfig(AppConfig):
    name = "zhengshu.dataresources"
    label = "dataresources"
    verbose_name = "公共数据资源目录"

from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "zhengshu.archive"
    label = "archive"
    verbose_name = "一企一档"

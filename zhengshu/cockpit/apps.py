from django.apps import AppConfig


class CockpitConfig(AppConfig):
    name = "zhengshu.cockpit"
    label = "cockpit"
    verbose_name = "统筹驾驶舱"

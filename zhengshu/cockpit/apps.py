from django.apps import AppConfig


class CockpitConfig(AppConfig):
    name = "zhengshu.cockpit"
    label = "cockpit"
    verbose_name = "统筹驾驶舱"

    def ready(self) -> None:
        from zhengshu.cockpit import demo  # noqa: F401  (registers the seeder)
        from zhengshu.cockpit.cache import connect_signals
        from zhengshu.core import navigation
        from zhengshu.core.navigation import MenuItem

        connect_signals()
        navigation.register(
            "cockpit",
            MenuItem("一屏掌控", "cockpit:screen", "cockpit.view_annualreport"),
            MenuItem("年度报告记录", "cockpit:annualreport_list", "cockpit.view_annualreport"),
        )

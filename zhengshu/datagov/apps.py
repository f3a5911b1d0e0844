from django.apps import AppConfig


class DatagovConfig(AppConfig):
    name = "zhengshu.datagov"
    label = "datagov"
    verbose_name = "数据归集与治理"

    def ready(self):
        from zhengshu.accounts.demo import department_scoped
        from zhengshu.core import navigation
        from zhengshu.core.navigation import MenuItem
        from zhengshu.datagov import demo, jobs  # noqa: F401  (registers the seeder and the job kind)

        # Read-only for departments (no page or API writes them); batch figures are written by the data office only.
        department_scoped("datagov.qualitysnapshot", "datagov.reminder", "datagov.shutdownorder")
        navigation.register(
            "data",
            MenuItem("归集与质量", "datagov:overview", "datagov.view_qualitysnapshot"),
            MenuItem("归集清单", "datagov:aggregationresource_list", "datagov.view_aggregationresource"),
            MenuItem("归集批次", "datagov:delivery_list", "datagov.view_delivery"),
            MenuItem("周提醒", "datagov:reminder_list", "datagov.view_reminder"),
            MenuItem("旬通报", "datagov:bulletin_list", "datagov.view_bulletin"),
            MenuItem("月停机", "datagov:shutdownorder_list", "datagov.view_shutdownorder"),
            MenuItem("治理巡查规则", "datagov:governancepolicy_list", "datagov.change_governancepolicy"),
        )

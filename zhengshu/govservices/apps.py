from django.apps import AppConfig


class GovservicesConfig(AppConfig):
    name = "zhengshu.govservices"
    label = "govservices"
    verbose_name = "政务服务事项"

    def ready(self) -> None:
        from zhengshu.accounts.demo import department_scoped
        from zhengshu.core import navigation
        from zhengshu.core.navigation import MenuItem
        from zhengshu.govservices import demo, signals  # noqa: F401  (seeders, signal receivers)

        department_scoped("govservices.serviceitem")
        navigation.register(
            "govservices",
            MenuItem("事项目录", "govservices:serviceitem_list", "govservices.view_serviceitem"),
            MenuItem("事项审核", "govservices:review_queue", "govservices.review_serviceitem"),
            MenuItem("目录导入", "govservices:import_items", "govservices.review_serviceitem"),
            MenuItem("质量问题", "govservices:itemfinding_list", "govservices.view_itemfinding"),
            MenuItem("代码表", "govservices:codevalue_list", "govservices.view_codevalue"),
            MenuItem("办事指南", "govservices:guide_index"),
        )

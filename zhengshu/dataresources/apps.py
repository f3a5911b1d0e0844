from django.apps import AppConfig


class DataresourcesConfig(AppConfig):
    name = "zhengshu.dataresources"
    label = "dataresources"
    verbose_name = "公共数据资源目录"

    def ready(self):
        from zhengshu.accounts.demo import department_scoped
        from zhengshu.core import navigation
        from zhengshu.core.navigation import MenuItem
        from zhengshu.dataresources import demo  # noqa: F401  (registers the demo seeders)

        department_scoped("dataresources.dataresource", "dataresources.sharerequest")
        navigation.register(
            "data",
            MenuItem("数据资源目录", "dataresources:dataresource_list", "dataresources.view_dataresource"),
            MenuItem("目录审核", "dataresources:review_queue", "dataresources.review_dataresource"),
            MenuItem("目录导入导出", "dataresources:import", "dataresources.add_dataresource"),
            MenuItem("共享申请", "dataresources:sharerequest_list", "dataresources.view_sharerequest"),
            MenuItem("共享授权", "dataresources:sharegrant_list", "dataresources.view_sharegrant"),
            MenuItem("共享访问记录", "dataresources:accesslog_list", "dataresources.view_accesslog"),
            MenuItem("开放数据申请", "dataresources:openapplication_list", "dataresources.view_openapplication"),
            MenuItem("应用成果展示", "dataresources:showcase_list", "dataresources.view_showcase"),
            MenuItem("开放数据门户", "open:home"),
        )

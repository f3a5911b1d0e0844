from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhengshu.core"
    label = "core"
    verbose_name = "平台"

    def ready(self):
        from zhengshu.core import checks, jobs  # noqa: F401  (register checks and job kinds)
        from zhengshu.core import navigation
        from zhengshu.core.navigation import MenuItem

        navigation.register(
            "system",
            MenuItem("工作日调整", "core:calendaroverride_list", "core.view_calendaroverride"),
            MenuItem("后台任务", "core:job_list", "core.view_job"),
            MenuItem("变更日志", "core:changelogentry_list", "core.view_changelogentry"),
        )

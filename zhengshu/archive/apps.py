from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "zhengshu.archive"
    label = "archive"
    verbose_name = "一企一档"

    def ready(self) -> None:
        from zhengshu.archive import demo  # noqa: F401  (registers the seeder)
        from zhengshu.core import navigation
        from zhengshu.core.navigation import MenuItem

        navigation.register(
            "data",
            MenuItem("一企一档", "archive:index", "archive.view_archivebuild"),
            MenuItem("关联复核", "archive:review", "archive.view_matchdecision"),
            MenuItem("档案数据来源", "archive:archivesource_list", "archive.view_archivesource"),
            MenuItem("档案构建记录", "archive:archivebuild_list", "archive.view_archivebuild"),
        )

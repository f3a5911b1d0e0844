from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "zhengshu.orgs"
    label = "orgs"
    verbose_name = "部门与行政区划"

    def ready(self):
        from zhengshu.orgs import demo  # noqa: F401  (registers the demo seeder)
        from zhengshu.core import navigation
        from zhengshu.core.navigation import MenuItem

        navigation.register(
            "system",
            MenuItem("部门", "orgs:department_list", "orgs.view_department"),
            MenuItem("行政区划", "orgs:division_list", "orgs.view_division"),
        )

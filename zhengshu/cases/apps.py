from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "zhengshu.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self) -> None:
        from zhengshu.accounts import demo as accounts_demo
        from zhengshu.core import navigation
        from zhengshu.core.navigation import MenuItem

        accounts_demo.department_scoped("cases.case", "cases.applicantflag", "cases.rectification", "cases.bundle")
        navigation.register(
            "govservices",
            MenuItem("办件工作台", "cases:queue", "cases.view_case"),
            MenuItem("办件查询", "cases:case_list", "cases.view_case"),
            MenuItem("我的办件", "cases:mine", "cases.apply_case"),
            MenuItem("差评整改", "cases:rectification_list", "cases.view_rectification"),
            MenuItem("信用标记", "cases:applicantflag_list", "cases.view_applicantflag"),
            MenuItem("异地无忧", "cases:cross_region", "cases.view_partnerregion"),
            MenuItem("一件事", "cases:bundle_list", "cases.view_bundle"),
            MenuItem("办件指标", "cases:metrics", "cases.view_metricdefinition"),
        )
        from zhengshu.cases import demo, jobs  # noqa: F401  (register the seeders and job kinds)

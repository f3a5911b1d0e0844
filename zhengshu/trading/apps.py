from django.apps import AppConfig


class TradingConfig(AppConfig):
    name = "zhengshu.trading"
    label = "trading"
    verbose_name = "公共资源交易"

    def ready(self) -> None:
        from zhengshu.accounts.demo import department_scoped
        from zhengshu.core import navigation
        from zhengshu.core.navigation import MenuItem
        from zhengshu.trading import demo  # noqa: F401  (registers the seeder)

        department_scoped("trading.tenderproject", "trading.villageproject")
        navigation.register(
            "trading",
            MenuItem("交易概况", "trading:dashboard", "trading.view_tenderproject"),
            MenuItem("招标项目", "trading:tenderproject_list", "trading.view_tenderproject"),
            MenuItem("预警队列", "trading:queue", "trading.override_documentfinding"),
            MenuItem("检查规则", "trading:checkrule_list", "trading.view_checkrule"),
            MenuItem("企业与信用", "trading:enterprise_list", "trading.view_enterprise"),
            MenuItem("不良行为记录", "trading:adverserecord_list", "trading.view_adverserecord"),
            MenuItem("移交线索", "trading:clue_list", "trading.view_clue"),
            MenuItem("村级工程", "trading:villageproject_list", "trading.view_villageproject"),
            MenuItem("村级工程分档", "trading:villagetier_list", "trading.view_villagetier"),
            MenuItem("必须招标标准", "trading:musttenderthreshold_list", "trading.view_musttenderthreshold"),
        )

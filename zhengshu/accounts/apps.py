from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhengshu.accounts"
    label = "accounts"
    verbose_name = "统一用户"

    def ready(self):
        from zhengshu.accounts import demo  # noqa: F401  (registers the demo seeder)
        from zhengshu.accounts import signals  # noqa: F401  (permission-change logging)
        from zhengshu.core import navigation
        from zhengshu.core.navigation import MenuItem

        navigation.register(
            "system",
            MenuItem("用户", "accounts:user_list", "accounts.view_user"),
            MenuItem("对象权限", "accounts:objectpermission_list", "accounts.view_objectpermission"),
        )

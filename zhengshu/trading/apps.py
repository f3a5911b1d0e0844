from django.apps import AppConfig


class TradingConfig(AppConfig):
    name = "zhengshu.trading"
    label = "trading"
    verbose_name = "公共资源交易"

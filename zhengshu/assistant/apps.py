from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "zhengshu.assistant"
    label = "assistant"
    verbose_name = "智能问答与帮办"

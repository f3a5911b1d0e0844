from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "zhengshu.assistant"
    label = "assistant"
    verbose_name = "智能问答与帮办"

    def ready(self) -> None:
        from zhengshu.accounts.demo import department_scoped
        from zhengshu.assistant import demo, signals  # noqa: F401  (seeders, signal receivers)
        from zhengshu.core import navigation
        from zhengshu.core.navigation import MenuItem

        department_scoped("assistant.assistrequest")
        navigation.register(
            "govservices",
            MenuItem("智能问答", "assistant:chat"),
            MenuItem("帮办请求", "assistant:request_queue", "assistant.view_assistrequest"),
            MenuItem("问答知识维护", "assistant:curation", "assistant.view_questionlog"),
        )

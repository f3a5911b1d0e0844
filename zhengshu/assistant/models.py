"""智能问答与帮办 (S6, S7 first part): the curated knowledge (aliases, FAQ entries), the log of questions asked
(with feedback and the unanswered queue) and assisted-handling requests (帮办请求).

The item guides themselves are not copied here: the index reads the published versions of the catalogue
(``govservices``) and follows them (see ``zhengshu/assistant/engine.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengshu.core.models import BaseModel, ChangeLoggedModel, PrimaryModel

__all__ = ["Alias", "AssistRequest", "FaqEntry", "QuestionLog"]


class Alias(ChangeLoggedModel):
    """How people say it → how offices write it (开个体户 → 个体工商户设立登记). Applied to every question."""

    phrase = models.CharField("群众说法", max_length=60, db_index=True,
                              help_text="问题中出现这段文字时（不区分全半角、大小写），追加规范说法一起检索")
    target = models.CharField("规范说法", max_length=120)
    note = models.CharField("说明", max_length=200, blank=True, help_text="如：口语、方言、常见错别字、简称")
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ("phrase", "target")
        verbose_name = verbose_name_plural = "同义词（别名）"
        constraints = [models.UniqueConstraint(fields=("phrase", "target"), name="assistant_alias_unique")]

    def __str__(self) -> str:
        return f"{self.phrase} → {self.target}"


class FaqEntry(ChangeLoggedModel):
    """A curated question with several phrasings, an answer and the items it is about (by 实施编码)."""

    question = models.CharField("标准问题", max_length=200)
    phrasings = models.TextField("其他问法", blank=True, help_text="每行一种问法")
    answer = models.TextField("答案")
    item_codes = models.JSONField("关联事项实施编码", default=list, blank=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ("question",)
        verbose_name = verbose_name_plural = "常见问答"

    def __str__(self) -> str:
        return self.question

    def phrasing_list(self) -> list[str]:
        return [p.strip() for p in (self.phrasings or "").splitlines() if p.strip()]


class Feedback(models.TextChoices):
    NONE = "", "未评价"
    USEFUL = "useful", "有用"
    USELESS = "useless", "没用"


class QueueStatus(models.TextChoices):
    NONE = "", "—"
    OPEN = "open", "待整理"
    CURATED = "curated", "已转为问答"
    DISMISSED = "dismissed", "已忽略"


class QuestionLog(BaseModel):
    """One question asked through the page, the API or the command (the interaction log)."""

    asked_at = models.DateTimeField("提问时间", auto_now_add=True, db_index=True)
    question = models.CharField("问题", max_length=500)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提问人", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField("渠道", max_length=12, default="web")
    no_answer = models.BooleanField("未找到答案", default=False, db_index=True)
    refused = models.CharField("拒答原因", max_length=100, blank=True)
    top_code = models.CharField("首选事项实施编码", max_length=33, blank=True)
    top_name = models.CharField("首选事项", max_length=200, blank=True)
    score = models.FloatField("得分", default=0)
    confidence = models.FloatField("置信度", default=0)
    answers = models.JSONField("候选答案", default=list, blank=True)
    feedback = models.CharField("评价", max_length=10, choices=Feedback.choices, blank=True, default="")
    feedback_at = models.DateTimeField("评价时间", null=True, blank=True)
    token = models.CharField("评价凭据", max_length=32, editable=False)
    queue_status = models.CharField("整理状态", max_length=10, choices=QueueStatus.choices, blank=True,
                                    default="", db_index=True)
    faq = models.ForeignKey(FaqEntry, verbose_name="转成的问答", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")

    class Meta:
        ordering = ("-asked_at", "-id")
        verbose_name = verbose_name_plural = "提问记录"

    def __str__(self) -> str:
        return self.question[:50]


class AssistLevel(models.TextChoices):
    CITY = "city", "市"
    TOWN = "town", "镇·街道"
    VILLAGE = "village", "村·社区"


class AssistStatus(models.TextChoices):
    WAITING = "waiting", "待受理"
    TAKEN = "taken", "办理中"
    CLOSED = "closed", "已办结"


class AssistOutcome(models.TextChoices):
    NONE = "", "—"
    ANSWERED = "answered", "已解答"
    CASE = "case", "已帮办申请（生成办件）"
    REFERRED = "referred", "已转其他部门"
    WITHDRAWN = "withdrawn", "申请人撤回"
    UNREACHABLE = "unreachable", "联系不上"


class AssistRequest(PrimaryModel):
    """A request for assisted handling (帮办) of an item; ``department`` is the queue it is routed to."""

    number = models.CharField("请求编号", max_length=20, unique=True)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT,
                                  related_name="+")
    item_code = models.CharField("事项实施编码", max_length=33, blank=True)
    item_name = models.CharField("事项名称", max_length=200, blank=True)
    question = models.CharField("需要帮助的问题", max_length=500)
    contact_phone = models.CharField("联系电话", max_length=20)
    location = models.ForeignKey("orgs.Department", verbose_name="所在镇街/村社", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    level = models.CharField("受理层级", max_length=10, choices=AssistLevel.choices)
    route_reason = models.CharField("分派依据", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=AssistStatus.choices, default=AssistStatus.WAITING,
                              db_index=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="受理人", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField("受理时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    outcome = models.CharField("办理结果", max_length=12, choices=AssistOutcome.choices, blank=True, default="")
    outcome_note = models.CharField("结果说明", max_length=500, blank=True)
    case_number = models.CharField("关联办件编号", max_length=40, blank=True)
    question_log = models.ForeignKey(QuestionLog, verbose_name="来源提问", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    personal_fields = ("contact_phone",)
    masked_fields = {"contact_phone": "phone"}

    class Meta:
        ordering = ("-created", "-id")
        verbose_name = verbose_name_plural = "帮办请求"

    def __str__(self) -> str:
        return f"{self.number} {self.item_name or self.question[:20]}"


class CatalogueStamp(models.Model):
    """One row of counters: ``generation`` goes up whenever an item or a version is saved or deleted, ``curated``
    whenever an alias or a FAQ entry is (see ``signals.py``).

    Read before every question in one query together with the item versions' largest id (primary key index), it
    tells every process cheaply whether the knowledge changed (ADR 0013).
    """

    generation = models.BigIntegerField("目录变更计数", default=0)
    curated = models.BigIntegerField("同义词与问答变更计数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "事项目录变更计数"

    def __str__(self) -> str:
        return str(self.generation)

"""Code lists of the case app that the platform's logic depends on (not province-specific).

Province-specific lists (申报来源, 评价渠道, 特别程序种类 names) are govservices code tables; the values here are
the states and kinds the state machine and the clock are written against.
"""

from django.db import models


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    CORRECTION = "correction", "补正中"
    REJECTED = "rejected", "不予受理"
    ACCEPTED = "accepted", "已受理"
    REVIEWING = "reviewing", "审查中"
    SUSPENDED = "suspended", "挂起（特别程序）"
    DECIDED = "decided", "已决定"
    CONCLUDED = "concluded", "已办结"
    DELIVERED = "delivered", "已送达"
    RATED = "rated", "已评价"
    TERMINATED = "terminated", "已终止"
    REVOKED = "revoked", "已撤销"
    WITHDRAWN = "withdrawn", "已撤回"


# States in which the clock runs or may run again (the case is "in hand").
OPEN_STATUSES = (CaseStatus.ACCEPTED, CaseStatus.REVIEWING, CaseStatus.SUSPENDED, CaseStatus.DECIDED)
FINISHED_STATUSES = (CaseStatus.CONCLUDED, CaseStatus.DELIVERED, CaseStatus.RATED)


class Decision(models.TextChoices):
    GRANTED = "granted", "准予"
    REFUSED = "refused", "不予"


class ApplicantKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "法人或其他组织"


class SuspensionKind(models.TextChoices):
    """GB/T 39046 A.7 特别程序种类: 1 延长审批, 2 除延长审批之外的情况 (听证、检验、检测、鉴定、专家评审…)."""

    EXTENSION = "1", "延长审批"
    OTHER = "2", "其他特别程序（不计时）"


class ClockKind(models.TextChoices):
    START = "start", "起算"
    PAUSE = "pause", "暂停计时"
    RESUME = "resume", "恢复计时"
    EXTEND = "extend", "延长时限"
    STOP = "stop", "停止计时"


class WarningLevel(models.TextChoices):
    NONE = "", "正常"
    WARN = "warn", "预警（已用时限 80%）"
    OVERDUE = "overdue", "超期"


class DeliveryMethod(models.TextChoices):
    ELECTRONIC = "electronic", "电子送达"
    POST = "post", "邮寄送达"
    WINDOW = "window", "窗口领取"


class ToleranceStatus(models.TextChoices):
    PENDING = "pending", "待补齐"
    SUPPLIED = "supplied", "已补齐"
    OVERDUE = "overdue", "超期未补（已终止）"


class FlagKind(models.TextChoices):
    BAD_CREDIT = "bad_credit", "不良信用记录"
    FALSE_COMMITMENT = "false_commitment", "虚假承诺"


class VerificationMethod(models.TextChoices):
    DATA_SHARING = "data_sharing", "数据共享核查"
    SITE = "site", "现场核查"
    LETTER = "letter", "部门函询"


class VerificationOutcome(models.TextChoices):
    PENDING = "", "待核查"
    TRUE = "true", "属实"
    FALSE = "false", "不实（虚假承诺）"


class RectificationStatus(models.TextChoices):
    OPEN = "open", "整改中"
    DONE = "done", "已整改"
    EXPLAINED = "explained", "解释说明（无需整改）"


class CrossRegionMode(models.TextChoices):
    FULL_ONLINE = "full_online", "全程网办"
    PROXY = "proxy", "异地代收代办"
    MULTI_PLACE = "multi_place", "多地联办"


class ProxyStage(models.TextChoices):
    RECEIVED = "received", "收件地已收件"
    SENT = "sent", "材料已寄递"
    ARRIVED = "arrived", "办理地已接收"
    RETURNED = "returned", "结果已寄回"
    COLLECTED = "collected", "申请人已领取"


class MetricUnit(models.TextChoices):
    CASES = "cases", "办件"
    ITEMS = "items", "事项"


class MetricKind(models.TextChoices):
    RATIO = "ratio", "比率（分子÷分母）"
    COMPRESSION = "compression", "压缩比（1 − Σ承诺时限 ÷ Σ法定时限）"

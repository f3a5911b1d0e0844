"""办件 (S2–S5): cases on working-day clocks, their events, 容缺 and 告知承诺 records, 好差评, 异地无忧 and 一件事.

A ``Case`` belongs to the department that handles it (the item's 实施主体), so the foundation's data scope
(``department__in``) applies. Every change of state goes through the ``services`` package; events and clock changes
are rows of their own (``CaseEvent``, ``ClockEvent``) written by the same services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengshu.cases.choices import (
    ApplicantKind,
    CaseStatus,
    ClockKind,
    CrossRegionMode,
    Decision,
    DeliveryMethod,
    FlagKind,
    MetricKind,
    MetricUnit,
    ProxyStage,
    RectificationStatus,
    SuspensionKind,
    ToleranceStatus,
    VerificationMethod,
    VerificationOutcome,
)
from zhengshu.core.models import BaseModel, ChangeLoggedModel, PrimaryModel

USER = settings.AUTH_USER_MODEL


class Parameter(ChangeLoggedModel):
    """A configurable value of the case rules (编号格式, 差评整改时限, 预警比例 …), editable by staff."""

    key = models.CharField("参数键", max_length=50, unique=True)
    name = models.CharField("名称", max_length=100)
    value = models.CharField("值", max_length=200)
    help = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ("key",)
        verbose_name = verbose_name_plural = "办件参数"

    def __str__(self) -> str:
        return f"{self.name}：{self.value}"

    def clean(self):
        from zhengshu.cases.parameters import validate

        validate(self.key, self.value)


class CaseSequence(BaseModel):
    """The last sequence number used for one case-number prefix (e.g. 实施编码 + date)."""

    prefix = models.CharField("前缀", max_length=80, unique=True)
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "办件编号序列"


class Case(PrimaryModel):
    """One application (办件) for one item; ``department`` is the handling department (实施主体)."""

    number = models.CharField("办件编号", max_length=60, unique=True)
    item = models.ForeignKey("govservices.ServiceItem", verbose_name="事项", on_delete=models.PROTECT,
                             related_name="cases")
    channel = models.CharField("申报来源", max_length=16, help_text="代码表“申报来源”的代码")
    via_platform = models.BooleanField("经一体化平台收件", default=True,
                                       help_text="申报、受理经一体化政务服务平台（含窗口在平台统一收件）")
    status = models.CharField("状态", max_length=12, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED,
                              db_index=True)
    applicant_kind = models.CharField("申请人类型", max_length=12, choices=ApplicantKind.choices,
                                      default=ApplicantKind.PERSON)
    applicant_name = models.CharField("申请人", max_length=200)
    applicant_id_number = models.CharField("申请人证件号码", max_length=18, db_index=True,
                                           help_text="身份证号或统一社会信用代码")
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    applicant_user = models.ForeignKey(USER, verbose_name="申请账号", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="cases")
    form_data = models.JSONField("申请表内容", default=dict, blank=True)
    submitted_at = models.DateTimeField("申请时间", db_index=True)
    # The clock (copied from the item at 受理 so a later change of the item does not move it).
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    accepted_on = models.DateField("受理日", null=True, blank=True, db_index=True)
    accepted_by = models.ForeignKey(USER, verbose_name="受理人", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    is_immediate = models.BooleanField("即办件", default=False)
    legal_limit = models.PositiveIntegerField("法定时限", null=True, blank=True)
    legal_unit = models.CharField("法定时限单位", max_length=12, default="workday")
    promised_limit = models.PositiveIntegerField("承诺时限", null=True, blank=True)
    promised_unit = models.CharField("承诺时限单位", max_length=12, default="workday")
    extension_days = models.PositiveIntegerField("延长天数", default=0)
    paused_days = models.PositiveIntegerField("暂停天数（不计时）", default=0)
    paused_since = models.DateField("暂停计时起", null=True, blank=True)
    legal_due = models.DateField("法定办结日", null=True, blank=True)
    promised_due = models.DateField("承诺办结日", null=True, blank=True, db_index=True)
    warn_on = models.DateField("预警日", null=True, blank=True)
    # Decision and result.
    decision = models.CharField("决定", max_length=10, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decision_text = models.CharField("决定意见", max_length=500, blank=True)
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)
    concluded_on = models.DateField("办结日", null=True, blank=True, db_index=True)
    on_time = models.BooleanField("按时办结", null=True, blank=True)
    result_name = models.CharField("结果名称", max_length=200, blank=True)
    result_number = models.CharField("结果证照编号", max_length=100, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    delivery_method = models.CharField("送达方式", max_length=12, choices=DeliveryMethod.choices, blank=True)
    logistics_no = models.CharField("送达物流单号", max_length=50, blank=True)
    closed_reason = models.CharField("不予受理/终止/撤销/撤回原因", max_length=500, blank=True)
    # Kinds of handling.
    tolerance = models.BooleanField("容缺受理", default=False)
    commitment = models.BooleanField("告知承诺", default=False)
    full_online = models.BooleanField("全程网办件", default=False,
                                      help_text="网上申报、电子送达、未到现场")
    cross_region_mode = models.CharField("异地通办模式", max_length=12, choices=CrossRegionMode.choices, blank=True)
    bundle_application = models.ForeignKey("BundleApplication", verbose_name="一件事申请", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="cases")

    personal_fields = ("applicant_id_number", "contact_phone")
    masked_fields = {"applicant_id_number": "id_number", "contact_phone": "phone", "contact_name": "name",
                     "applicant_name": "name"}

    class Meta:
        ordering = ("-submitted_at", "-id")
        verbose_name = verbose_name_plural = "办件"
        permissions = [
            ("accept_case", "受理办件（补正、受理、不予受理）"),
            ("handle_case", "办理办件（审查、挂起、决定、办结、送达、终止）"),
            ("revoke_case", "撤销已办结办件的决定"),
            ("rate_case", "评价办件"),
            ("apply_case", "申请人操作本人办件（补正提交、撤回）"),
            ("reveal_case", "查看申请人完整个人信息"),
        ]
        indexes = [models.Index(fields=("department", "status")), models.Index(fields=("item", "submitted_at"))]

    def __str__(self) -> str:
        return self.number


class CaseEvent(BaseModel):
    """One transition of a case: who, when, from which state to which, and why (append-only)."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("动作", max_length=30)
    label = models.CharField("动作名称", max_length=50)
    from_status = models.CharField("原状态", max_length=12, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=CaseStatus.choices)
    actor = models.ForeignKey(USER, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_repr = models.CharField("操作人姓名", max_length=100, blank=True)
    at = models.DateTimeField("时间", db_index=True)
    reason = models.CharField("意见/原因", max_length=500, blank=True)
    data = models.JSONField("附加信息", default=dict, blank=True)

    class Meta:
        ordering = ("case_id", "at", "id")
        verbose_name = verbose_name_plural = "办件环节"

    def __str__(self) -> str:
        return f"{self.case_id} {self.label}"


class ClockEvent(BaseModel):
    """A change of a case's clock: started, paused, resumed, extended, stopped — with the due dates after it."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="clock_events")
    kind = models.CharField("类型", max_length=10, choices=ClockKind.choices)
    on = models.DateField("日期")
    days = models.IntegerField("天数", default=0, help_text="暂停或延长的天数（按时限单位）")
    reason = models.CharField("原因", max_length=300, blank=True)
    legal_due = models.DateField("法定办结日（变更后）", null=True, blank=True)
    promised_due = models.DateField("承诺办结日（变更后）", null=True, blank=True)
    at = models.DateTimeField("记录时间")
    actor = models.ForeignKey(USER, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")

    class Meta:
        ordering = ("case_id", "at", "id")
        verbose_name = verbose_name_plural = "计时记录"


class Correction(BaseModel):
    """一次性告知补正: what the applicant must supply, by when; time not counted (the clock has not started)."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="corrections")
    requested_at = models.DateTimeField("告知时间")
    content = models.TextField("需补正的全部内容")
    deadline = models.DateField("补正期限")
    supplied_at = models.DateTimeField("补正提交时间", null=True, blank=True)

    class Meta:
        ordering = ("case_id", "requested_at")
        verbose_name = verbose_name_plural = "补正告知"


class Suspension(BaseModel):
    """特别程序 (GB/T 39046 table 7): 延长审批 adds days; other procedures stop the clock while they run."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="suspensions")
    kind = models.CharField("特别程序种类", max_length=2, choices=SuspensionKind.choices)
    reason = models.CharField("启动理由或依据", max_length=500)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    extension_days = models.PositiveIntegerField("延长天数", default=0)
    counted_days = models.PositiveIntegerField("不计时天数", default=0)
    result = models.CharField("特别程序结果", max_length=500, blank=True)

    class Meta:
        ordering = ("case_id", "started_on", "id")
        verbose_name = verbose_name_plural = "特别程序"


def _upload_to(instance, filename):
    return f"cases/{instance.case.submitted_at:%Y/%m}/{instance.case.number}/{filename}"


class Attachment(BaseModel):
    """A material file of a case (stored under DATA_DIR/uploads), or a reference to the applicant's vault."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="attachments")
    material = models.ForeignKey("govservices.Material", verbose_name="申请材料", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    name = models.CharField("材料名称", max_length=300)
    file = models.FileField("文件", upload_to=_upload_to, max_length=300, blank=True)
    size = models.PositiveIntegerField("大小（字节）", default=0)
    content_type = models.CharField("文件类型", max_length=100, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    vault_item = models.ForeignKey("VaultMaterial", verbose_name="复用材料", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="uses")
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        ordering = ("case_id", "id")
        verbose_name = verbose_name_plural = "办件材料"

    def __str__(self) -> str:
        return self.name


# --- 容缺受理 and 告知承诺 (S4) -----------------------------------------------------------------------


class ApplicantFlag(PrimaryModel):
    """A bad-credit or false-commitment flag on an applicant (ID number or USCC); blocks 容缺 and 告知承诺."""

    id_number = models.CharField("证件号码", max_length=18, db_index=True, help_text="身份证号或统一社会信用代码")
    name = models.CharField("名称/姓名", max_length=200, blank=True)
    kind = models.CharField("类型", max_length=20, choices=FlagKind.choices)
    reason = models.CharField("原因", max_length=500)
    source_case = models.ForeignKey(Case, verbose_name="来源办件", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    flagged_on = models.DateField("记录日期")
    lifted_on = models.DateField("信用修复日期", null=True, blank=True)

    personal_fields = ("id_number",)
    masked_fields = {"id_number": "id_number"}

    class Meta:
        ordering = ("-flagged_on", "-id")
        verbose_name = verbose_name_plural = "申请人信用标记"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name or self.id_number[-4:]}"


class ToleranceRecord(BaseModel):
    """容缺: a material accepted as missing, with the promised date to supply it."""

    case = models.ForeignKey(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="tolerances")
    material = models.ForeignKey("govservices.Material", verbose_name="申请材料", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    material_name = models.CharField("缺少的材料", max_length=300)
    promised_date = models.DateField("承诺补齐日期")
    status = models.CharField("状态", max_length=10, choices=ToleranceStatus.choices, default=ToleranceStatus.PENDING)
    supplied_at = models.DateTimeField("补齐时间", null=True, blank=True)
    reminders = models.PositiveSmallIntegerField("已提醒次数", default=0)
    last_reminded_on = models.DateField("最近提醒日期", null=True, blank=True)

    class Meta:
        ordering = ("case_id", "promised_date")
        verbose_name = verbose_name_plural = "容缺记录"

    def __str__(self) -> str:
        return self.material_name


class CommitmentTemplate(ChangeLoggedModel):
    """A versioned 告知承诺书 text for one item."""

    item = models.ForeignKey("govservices.ServiceItem", verbose_name="事项", on_delete=models.CASCADE,
                             related_name="commitment_templates")
    version = models.PositiveIntegerField("版本号")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("告知承诺书正文")
    proofs = models.CharField("以承诺替代的证明", max_length=500, blank=True)
    effective_from = models.DateField("生效日期")
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ("item_id", "-version")
        verbose_name = verbose_name_plural = "告知承诺书模板"
        constraints = [models.UniqueConstraint(fields=("item", "version"), name="cases_commitment_tpl_version")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Commitment(BaseModel):
    """A signed 告知承诺书 of one case."""

    case = models.OneToOneField(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="commitment_letter")
    template = models.ForeignKey(CommitmentTemplate, verbose_name="模板", on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField("承诺人", max_length=100)
    signed_at = models.DateTimeField("签署时间")
    text = models.TextField("签署时的承诺书全文")

    class Meta:
        verbose_name = verbose_name_plural = "告知承诺书"


class VerificationTask(BaseModel):
    """核查 of a commitment: method, due date, outcome; a false outcome terminates or revokes and flags."""

    commitment = models.ForeignKey(Commitment, verbose_name="承诺书", on_delete=models.CASCADE,
                                   related_name="verifications")
    method = models.CharField("核查方式", max_length=15, choices=VerificationMethod.choices)
    due_date = models.DateField("核查期限")
    outcome = models.CharField("核查结果", max_length=6, choices=VerificationOutcome.choices, blank=True)
    concluded_at = models.DateTimeField("核查时间", null=True, blank=True)
    handled_by = models.ForeignKey(USER, verbose_name="核查人", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    notes = models.CharField("核查说明", max_length=500, blank=True)

    class Meta:
        ordering = ("due_date", "id")
        verbose_name = verbose_name_plural = "核查任务"


# --- 好差评 ------------------------------------------------------------------------------------------


class Rating(BaseModel):
    """One rating per case (GB/T 39046 table 9): level 1 非常满意 … 5 非常不满意."""

    LEVELS = ((1, "非常满意"), (2, "满意"), (3, "基本满意"), (4, "不满意"), (5, "非常不满意"))

    case = models.OneToOneField(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="rating")
    level = models.PositiveSmallIntegerField("满意度", choices=LEVELS)
    channel = models.CharField("评价渠道", max_length=16, help_text="代码表“评价渠道”的代码")
    rated_at = models.DateTimeField("评价时间", db_index=True)
    rater = models.ForeignKey(USER, verbose_name="评价人", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    comment = models.CharField("文字评价", max_length=500, blank=True)

    class Meta:
        ordering = ("-rated_at",)
        verbose_name = verbose_name_plural = "好差评"

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_level_display()}"

    @property
    def grade(self) -> str:
        return "好评" if self.level <= 2 else "中评" if self.level == 3 else "差评"


class Rectification(PrimaryModel):
    """差评整改: the handling department's task, due in N working days, with revisits."""

    rating = models.OneToOneField(Rating, verbose_name="评价", on_delete=models.CASCADE, related_name="rectification")
    due_date = models.DateField("整改期限")
    status = models.CharField("状态", max_length=10, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN)
    measures = models.TextField("整改措施", blank=True)
    closed_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ("due_date", "id")
        verbose_name = verbose_name_plural = "差评整改"

    def __str__(self) -> str:
        return f"差评整改 {self.rating.case.number}"


class Revisit(BaseModel):
    """回访 record of a rectification."""

    rectification = models.ForeignKey(Rectification, verbose_name="整改", on_delete=models.CASCADE,
                                      related_name="revisits")
    at = models.DateTimeField("回访时间")
    by = models.ForeignKey(USER, verbose_name="回访人", null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    method = models.CharField("回访方式", max_length=30, default="电话")
    content = models.CharField("回访内容", max_length=500)
    satisfied = models.BooleanField("申请人认可", null=True, blank=True)

    class Meta:
        ordering = ("rectification_id", "at")
        verbose_name = verbose_name_plural = "回访记录"


# --- 异地无忧 (S3) ------------------------------------------------------------------------------------


class PartnerRegion(ChangeLoggedModel):
    """A region Haining has a 异地通办 agreement with (a county-level division)."""

    division = models.OneToOneField("orgs.Division", verbose_name="行政区划", on_delete=models.PROTECT,
                                    related_name="+", db_constraint=False)
    province_code = models.CharField("省级区划代码", max_length=6, db_index=True)
    province_name = models.CharField("省份", max_length=50)
    active = models.BooleanField("有效", default=True)

    class Meta:
        ordering = ("province_code", "division_id")
        verbose_name = verbose_name_plural = "异地通办合作地区"

    def __str__(self) -> str:
        return f"{self.province_name}{self.division.name}" if self.division_id else self.province_name


class Agreement(ChangeLoggedModel):
    """A 异地通办 agreement with one partner region: its items and modes."""

    region = models.ForeignKey(PartnerRegion, verbose_name="合作地区", on_delete=models.CASCADE,
                               related_name="agreements")
    title = models.CharField("协议名称", max_length=200)
    signed_on = models.DateField("签订日期")
    valid_to = models.DateField("有效期至", null=True, blank=True)

    class Meta:
        ordering = ("region_id", "-signed_on")
        verbose_name = verbose_name_plural = "异地通办协议"

    def __str__(self) -> str:
        return self.title


class AgreementItem(BaseModel):
    agreement = models.ForeignKey(Agreement, verbose_name="协议", on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey("govservices.ServiceItem", verbose_name="事项", on_delete=models.CASCADE,
                             related_name="agreement_items")
    modes = models.JSONField("通办模式", default=list, help_text="full_online / proxy / multi_place")

    class Meta:
        verbose_name = verbose_name_plural = "协议事项"
        constraints = [models.UniqueConstraint(fields=("agreement", "item"), name="cases_agreement_item_unique")]


class ProxyReceipt(BaseModel):
    """异地代收代办 of one case: received (形式审查 + 身份核验) at one window, handled by another office."""

    case = models.OneToOneField(Case, verbose_name="办件", on_delete=models.CASCADE, related_name="proxy")
    region = models.ForeignKey(PartnerRegion, verbose_name="合作地区", on_delete=models.PROTECT, related_name="receipts")
    inbound = models.BooleanField("外地收件、本地办理", default=True,
                                  help_text="否：本地窗口代收，外地办理")
    receiving_window = models.CharField("收件窗口", max_length=200)
    form_review_ok = models.BooleanField("形式审查通过", default=False)
    identity_checked = models.BooleanField("身份核验通过", default=False)
    stage = models.CharField("流转环节", max_length=10, choices=ProxyStage.choices, default=ProxyStage.RECEIVED)
    received_at = models.DateTimeField("收件时间")
    sent_logistics_no = models.CharField("材料寄递单号", max_length=50, blank=True)
    sent_at = models.DateTimeField("寄出时间", null=True, blank=True)
    arrived_at = models.DateTimeField("办理地接收时间", null=True, blank=True)
    result_logistics_no = models.CharField("结果寄回单号", max_length=50, blank=True)
    returned_at = models.DateTimeField("结果寄回时间", null=True, blank=True)
    collected_at = models.DateTimeField("申请人领取时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "异地代收代办"


# --- 一件事 and material reuse (S5) ----------------------------------------------------------------


class Bundle(PrimaryModel):
    """一件事: several items applied for with one merged form and one submission."""

    code = models.CharField("编码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=200)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ("code",)
        verbose_name = verbose_name_plural = "一件事"

    def __str__(self) -> str:
        return self.name


class BundleItem(BaseModel):
    bundle = models.ForeignKey(Bundle, verbose_name="一件事", on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey("govservices.ServiceItem", verbose_name="事项", on_delete=models.PROTECT,
                             related_name="+")
    sort = models.PositiveIntegerField("顺序", default=10)
    fields = models.JSONField("表单字段", default=list, help_text="该事项申请表的字段名，合并表单按名称去重")

    class Meta:
        ordering = ("bundle_id", "sort", "id")
        verbose_name = verbose_name_plural = "一件事事项"
        constraints = [models.UniqueConstraint(fields=("bundle", "item"), name="cases_bundle_item_unique")]


class BundleApplication(BaseModel):
    """One submission of a bundle; its sub-cases carry a link back here."""

    bundle = models.ForeignKey(Bundle, verbose_name="一件事", on_delete=models.PROTECT, related_name="applications")
    applicant_name = models.CharField("申请人", max_length=200)
    applicant_id_number = models.CharField("申请人证件号码", max_length=18)
    applicant_user = models.ForeignKey(USER, verbose_name="申请账号", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    form_data = models.JSONField("合并表单内容", default=dict)
    submitted_at = models.DateTimeField("提交时间")

    masked_fields = {"applicant_id_number": "id_number"}

    class Meta:
        ordering = ("-submitted_at",)
        verbose_name = verbose_name_plural = "一件事申请"


def _vault_upload_to(instance, filename):
    return f"vault/{instance.owner_id_number[-6:]}/{filename}"


class VaultMaterial(BaseModel):
    """A material in an applicant's vault, reused across cases with its provenance and validity (照片全域通)."""

    owner_id_number = models.CharField("持有人证件号码", max_length=18, db_index=True)
    owner_user = models.ForeignKey(USER, verbose_name="持有人账号", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="vault")
    name = models.CharField("材料名称", max_length=300)
    file = models.FileField("文件", upload_to=_vault_upload_to, max_length=300, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    source = models.CharField("来源", max_length=200, help_text="如：办件 … 上传 / 电子证照库 / 照片全域通")
    source_case = models.ForeignKey(Case, verbose_name="来源办件", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    issued_by = models.CharField("出具机构", max_length=200, blank=True)
    valid_from = models.DateField("有效期起")
    valid_until = models.DateField("有效期至", null=True, blank=True)
    created_at = models.DateTimeField("入库时间")

    masked_fields = {"owner_id_number": "id_number"}

    class Meta:
        ordering = ("owner_id_number", "name")
        verbose_name = verbose_name_plural = "材料库"

    def __str__(self) -> str:
        return self.name


# --- metrics ------------------------------------------------------------------------------------------


class MetricDefinition(ChangeLoggedModel):
    """A metric with its numerator and denominator predicates as data (Django field lookups as JSON)."""

    key = models.SlugField("指标键", max_length=40, unique=True)
    name = models.CharField("指标名称", max_length=100)
    unit = models.CharField("统计对象", max_length=10, choices=MetricUnit.choices)
    kind = models.CharField("类型", max_length=12, choices=MetricKind.choices, default=MetricKind.RATIO)
    base = models.JSONField("统计范围", default=dict, blank=True, help_text='如 {"item__item_type__in": ["01"]}')
    numerator = models.JSONField("分子条件", default=dict, blank=True)
    denominator = models.JSONField("分母条件", default=dict, blank=True)
    definition = models.TextField("口径说明")
    sort = models.PositiveIntegerField("排序", default=100)

    class Meta:
        ordering = ("sort", "key")
        verbose_name = verbose_name_plural = "指标口径"

    def __str__(self) -> str:
        return self.name

    def clean(self):
        """Each predicate must name real fields, so a mistyped definition is refused when saved, not when read."""
        from django.core.exceptions import ValidationError

        from zhengshu.cases.metrics import validate_predicate

        errors = {}
        for field in ("base", "numerator", "denominator"):
            value = getattr(self, field)
            if not isinstance(value, dict):
                errors[field] = "须是 JSON 对象，如 {\"via_platform\": true}"
                continue
            try:
                validate_predicate(self.unit, value)
            except ValueError as exc:
                errors[field] = str(exc)
        if errors:
            raise ValidationError(errors)

"""政务服务事项目录 (S1): code tables, service items (实施清单), their materials, published versions and
quality findings.

Code tables are data (``CodeValue``), seeded from GB/T 39046—2020 Annex A and editable by staff, because
provinces use different codes for the same thing. Items store codes, never names.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengshu.core.models import BaseModel, ChangeLoggedModel, PrimaryModel

__all__ = [
    "CODE_TABLES",
    "CodeValue",
    "FindingSeverity",
    "ItemFinding",
    "ItemStatus",
    "ItemVersion",
    "LimitUnit",
    "Material",
    "ServiceItem",
    "code_map",
    "code_name",
    "limit_text",
]

# Code-table keys → 中文名. The values themselves live in CodeValue rows.
CODE_TABLES = {
    "item_type": "事项类型",
    "exercise_level": "行使层级",
    "handling_form": "办理形式",
    "service_object": "服务对象",
    "online_depth": "网办深度",
    "cross_region": "通办范围",
    "apply_channel": "申报来源",
    "rating_channel": "评价渠道",
    "project_type": "办件类型",
    "special_procedure": "特别程序种类",
    "satisfaction": "满意度",
    "subject_nature": "实施主体性质",
}

# Codes with a meaning the platform relies on (seeded; see codes.py). Staff may rename them, not recode them.
ONLINE_DEPTH_FULL = "4"  # 全程网办（Ⅳ级）
ONLINE_HANDLING_FORMS = ("2", "3")  # 电脑端网上办理, 移动端网上申请
MAIL_HANDLING_FORM = "4"  # 快递申请
ITEM_TYPE_LICENSING = "01"  # 行政许可


class CodeValue(ChangeLoggedModel):
    """One value of a code table (事项类型 01 行政许可, 行使层级 3 市级, …)."""

    table = models.CharField("代码表", max_length=32, choices=list(CODE_TABLES.items()), db_index=True)
    code = models.CharField("代码", max_length=16)
    name = models.CharField("名称", max_length=100)
    aliases = models.CharField("别名", max_length=300, blank=True, help_text="导入时也认的写法，用“、”分隔")
    sort = models.PositiveIntegerField("排序", default=100)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ("table", "sort", "code")
        verbose_name = verbose_name_plural = "代码值"
        constraints = [models.UniqueConstraint(fields=("table", "code"), name="govservices_codevalue_table_code")]

    def __str__(self) -> str:
        return f"{self.get_table_display()} {self.code} {self.name}"


def code_map(table: str, *, active_only: bool = False) -> dict[str, str]:
    """``{code: name}`` of one code table."""
    qs = CodeValue.objects.filter(table=table)
    if active_only:
        qs = qs.filter(active=True)
    return dict(qs.values_list("code", "name"))


def code_name(table: str, code: str | None) -> str:
    """The name of ``code`` in ``table``; the code itself when unknown, "" for an empty code."""
    if not code:
        return ""
    name = CodeValue.objects.filter(table=table, code=code).values_list("name", flat=True).first()
    return name if name is not None else code


class LimitUnit(models.TextChoices):
    WORKDAY = "workday", "工作日"
    CALENDAR_DAY = "calendar_day", "自然日"


def limit_text(value: int | None, unit: str, immediate: bool = False) -> str:
    """A time limit as offices write it: "即办", "20个工作日", "30个自然日", or "" when there is none."""
    if immediate:
        return "即办"
    return "" if value is None else f"{value}个{dict(LimitUnit.choices).get(unit, unit)}"


class ItemStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    REVIEW = "review", "待审核"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已废止"


class ServiceItem(PrimaryModel):
    """A 政务服务事项 as implemented by one body (实施清单事项). ``department`` is the 实施主体."""

    name = models.CharField("事项名称", max_length=200)
    basic_code = models.CharField("基本编码", max_length=12, db_index=True)
    implementation_code = models.CharField("实施编码", max_length=33, unique=True)
    business_item_code = models.CharField("业务办理项", max_length=2, blank=True, help_text="两位数字后缀，无则留空")
    implementing_uscc = models.CharField("实施主体代码", max_length=18, blank=True)
    item_type = models.CharField("事项类型", max_length=16)
    exercise_level = models.CharField("行使层级", max_length=16)
    basis = models.TextField("设定依据", blank=True)
    legal_limit = models.PositiveIntegerField("法定办结时限", null=True, blank=True)
    legal_limit_unit = models.CharField("法定时限单位", max_length=12, choices=LimitUnit.choices,
                                        default=LimitUnit.WORKDAY)
    promised_limit = models.PositiveIntegerField("承诺办结时限", null=True, blank=True)
    promised_limit_unit = models.CharField("承诺时限单位", max_length=12, choices=LimitUnit.choices,
                                           default=LimitUnit.WORKDAY)
    is_immediate = models.BooleanField("即办", default=False)
    visits = models.PositiveSmallIntegerField("到办事现场次数", default=0)
    onsite_reason = models.CharField("必须现场办理原因说明", max_length=500, blank=True)
    handling_forms = models.JSONField("办理形式", default=list, blank=True)
    online_depth = models.CharField("网办深度", max_length=16, blank=True)
    service_objects = models.JSONField("服务对象", default=list, blank=True)
    cross_region_scope = models.CharField("通办范围", max_length=16, blank=True)
    fee = models.BooleanField("是否收费", default=False)
    fee_basis = models.TextField("收费依据", blank=True)
    online_payment = models.BooleanField("支持网上支付", default=False)
    allows_commitment = models.BooleanField("告知承诺制", default=False)
    consult_phone = models.CharField("咨询电话", max_length=100, blank=True)
    supervise_phone = models.CharField("监督投诉电话", max_length=100, blank=True)
    handling_address = models.CharField("办理地点", max_length=300, blank=True)
    handling_time = models.CharField("办理时间", max_length=200, blank=True)
    result_name = models.CharField("审批结果名称", max_length=200, blank=True)
    acceptance_conditions = models.TextField("受理条件", blank=True)
    process = models.TextField("办理流程", blank=True)
    faq = models.TextField("常见问题", blank=True)
    keywords = models.CharField("别名/常见问法", max_length=500, blank=True)
    extra = models.JSONField("其他导入列", default=dict, blank=True)
    status = models.CharField("状态", max_length=12, choices=ItemStatus.choices, default=ItemStatus.DRAFT,
                              db_index=True)
    published_version = models.PositiveIntegerField("已发布版本号", default=0,
                                                     help_text="0 表示从未发布")
    effective_from = models.DateField("生效日期", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        ordering = ("department_id", "basic_code", "implementation_code")
        verbose_name = verbose_name_plural = "政务服务事项"
        permissions = [("review_serviceitem", "审核政务服务事项")]

    def __str__(self) -> str:
        return self.name

    @property
    def full_online(self) -> bool:
        """全程网办: online depth Ⅳ and at least one online handling form."""
        forms = self.handling_forms or []
        return self.online_depth == ONLINE_DEPTH_FULL and any(f in forms for f in ONLINE_HANDLING_FORMS)

    @property
    def online_available(self) -> bool:
        """网上可办: at least one online handling form."""
        return any(f in (self.handling_forms or []) for f in ONLINE_HANDLING_FORMS)

    @property
    def is_public(self) -> bool:
        """Has a published version that has not been withdrawn (shown in the guide, open for applications)."""
        return self.published_version > 0 and self.status != ItemStatus.WITHDRAWN

    def fill_from_code(self) -> None:
        """Fill blank 基本编码, 业务办理项, 实施主体代码 and 行使层级 from a parseable 实施编码."""
        from zhengshu.govservices.codeparse import CodeParseError, parse

        self.implementation_code = (self.implementation_code or "").strip().upper()
        try:
            parsed = parse(self.implementation_code)
        except CodeParseError:
            return
        self.basic_code = self.basic_code or parsed.basic_code
        self.business_item_code = self.business_item_code or parsed.business_item
        self.implementing_uscc = self.implementing_uscc or parsed.uscc
        self.exercise_level = self.exercise_level or parsed.level

    def full_clean(self, *args, **kwargs):
        self.fill_from_code()
        super().full_clean(*args, **kwargs)

    def clean(self) -> None:
        """Parse the 实施编码 (deriving 基本编码, 业务办理项 and 实施主体代码 when blank) and check the codes."""
        from django.core.exceptions import ValidationError

        from zhengshu.govservices.codeparse import CodeParseError, parse

        errors: dict[str, str] = {}
        self.implementation_code = (self.implementation_code or "").strip().upper()
        try:
            parsed = parse(self.implementation_code)
        except CodeParseError as exc:
            errors["implementation_code"] = str(exc)
        else:
            if parsed.basic_code != self.basic_code:
                errors["basic_code"] = f"与实施编码中的基本编码{parsed.basic_code}不一致"
            if parsed.business_item != self.business_item_code:
                errors["business_item_code"] = f"与实施编码的业务办理项后缀“{parsed.business_item}”不一致"
        single = {"item_type": "item_type", "exercise_level": "exercise_level", "online_depth": "online_depth",
                  "cross_region_scope": "cross_region"}
        for field_name, table in single.items():
            value = getattr(self, field_name)
            if value and not CodeValue.objects.filter(table=table, code=value).exists():
                errors[field_name] = f"“{value}”不是{CODE_TABLES[table]}代码表中的代码"
        for field_name, table in (("handling_forms", "handling_form"), ("service_objects", "service_object")):
            values = getattr(self, field_name) or []
            if not isinstance(values, list):
                errors[field_name] = "应为代码列表"
                continue
            known = set(CodeValue.objects.filter(table=table).values_list("code", flat=True))
            unknown = [v for v in values if v not in known]
            if unknown:
                errors[field_name] = f"“{'、'.join(map(str, unknown))}”不是{CODE_TABLES[table]}代码表中的代码"
        if self.is_immediate and self.promised_limit:
            errors["promised_limit"] = "即办件不填承诺办结时限"
        if errors:
            raise ValidationError(errors)

    def limit_text(self, which: str = "promised") -> str:
        if which == "promised":
            return limit_text(self.promised_limit, self.promised_limit_unit, self.is_immediate)
        return limit_text(self.legal_limit, self.legal_limit_unit, self.legal_limit == 0)


class Material(ChangeLoggedModel):
    """An application material (申请材料) of an item."""

    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.CASCADE, related_name="materials")
    name = models.CharField("材料名称", max_length=300)
    source = models.CharField("来源渠道/出具机构", max_length=200, blank=True)
    originals = models.PositiveSmallIntegerField("原件份数", default=0)
    copies = models.PositiveSmallIntegerField("复印件份数", default=0)
    required = models.BooleanField("是否必备", default=True)
    may_be_missing = models.BooleanField("是否容缺", default=False)
    missing_max_workdays = models.PositiveSmallIntegerField(
        "容缺补齐最长时限（工作日）", null=True, blank=True,
        help_text="容缺受理时申请人补齐该材料的最长期限",
    )
    commitment_allowed = models.BooleanField("可告知承诺替代", default=False)
    electronic = models.BooleanField("可电子提交", default=True)
    notes = models.CharField("材料说明", max_length=500, blank=True)
    sort = models.PositiveIntegerField("排序", default=100)

    class Meta:
        ordering = ("item_id", "sort", "id")
        verbose_name = verbose_name_plural = "申请材料"

    def __str__(self) -> str:
        return self.name


class ItemVersion(BaseModel):
    """A published version of an item: a frozen snapshot (with materials) and its effective dates."""

    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField("版本号")
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    data = models.JSONField("事项快照", default=dict)
    published_at = models.DateTimeField("发布时间", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核发布人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ("item_id", "-version")
        verbose_name = verbose_name_plural = "事项版本"
        constraints = [models.UniqueConstraint(fields=("item", "version"), name="govservices_itemversion_unique")]

    def __str__(self) -> str:
        return f"{self.item} v{self.version}"


class FindingSeverity(models.TextChoices):
    ERROR = "error", "错误"
    WARNING = "warning", "提醒"


class ItemFinding(BaseModel):
    """A result of the item-quality rules (浙江事项要素质量规则) for one item; recomputed on every save."""

    item = models.ForeignKey(ServiceItem, verbose_name="事项", on_delete=models.CASCADE, related_name="findings")
    rule = models.CharField("规则", max_length=40, db_index=True)
    severity = models.CharField("级别", max_length=10, choices=FindingSeverity.choices)
    field = models.CharField("要素", max_length=40, blank=True)
    message = models.CharField("说明", max_length=500)
    found_at = models.DateTimeField("发现时间", auto_now_add=True)

    class Meta:
        ordering = ("item_id", "rule")
        verbose_name = verbose_name_plural = "事项质量问题"

    def __str__(self) -> str:
        return f"{self.item}：{self.message}"

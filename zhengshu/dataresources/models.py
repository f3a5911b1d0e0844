"""The public data catalogue (D1), sharing between departments (D7) and the open data portal (D6).

A ``DataResource`` is one catalogue entry (信息资源) of the 2017 national guide, owned by its provider
department, with Zhejiang's grading (L1–L4) and open attribute; its ``DataItem`` rows are the columns
(信息项), each carrying the resource's classification labels and its own grade. ``ShareRequest`` →
``ShareGrant`` is the conditional-sharing flow; ``AccessLog`` records every use of a grant.
``OpenApplication`` is a public user's (or an authorised operator's) application for 受限开放 data.
"""

from __future__ import annotations

import hashlib
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from zhengshu.core.models.base import BaseModel, ChangeLoggedModel, PrimaryModel
from zhengshu.dataresources import choices as c

CATEGORY_RE = re.compile(r"^[123]\d{5}\d*$")  # 类(1) 项(2) 目(3) 细目(any)
SEQUENCE_RE = re.compile(r"^\d{6}$")
GRADE_ORDER = {"L1": 1, "L2": 2, "L3": 3, "L4": 4}


def bigrams(text: str) -> list[str]:
    """The distinct search keys of a query: Latin/digit words whole, CJK runs as character bigrams."""
    keys: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff]+|[0-9a-z]+", (text or "").lower()):
        if "\u3400" <= run[0] <= "\u9fff" and len(run) > 1:
            keys += [run[i:i + 2] for i in range(len(run) - 1)]
        else:
            keys.append(run)
    return list(dict.fromkeys(keys))


class DataResource(PrimaryModel):
    """信息资源目录 (catalogue entry). ``department`` is the provider (信息资源提供方)."""

    uid = models.UUIDField("标识", default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField("信息资源代码", max_length=40, unique=True, help_text="分类码/顺序码，如 301001/000001")
    category_code = models.CharField("分类码", max_length=20, help_text="类(1位)+项(2位)+目(3位)+细目(可选)")
    sequence = models.CharField("顺序码", max_length=6)
    name = models.CharField("信息资源名称", max_length=200)
    resource_class = models.CharField("资源属性分类", max_length=1, choices=c.ResourceClass.choices)
    theme = models.CharField("主题分类", max_length=20, choices=c.THEMES)
    summary = models.TextField("信息资源摘要")
    keywords = models.CharField("关键字", max_length=300, blank=True, help_text="以空格或顿号分隔")
    format_class = models.CharField("资源格式分类", max_length=10, choices=c.FormatClass.choices,
                                    default=c.FormatClass.DATABASE)
    format_type = models.CharField("资源格式类型", max_length=30, blank=True, help_text="如 MySQL、XLSX、OFD")
    share_type = models.CharField("共享类型", max_length=15, choices=c.ShareType.choices)
    share_condition = models.CharField("共享条件", max_length=500, blank=True)
    share_method = models.CharField("共享方式", max_length=10, choices=c.ShareMethod.choices, default=c.ShareMethod.API)
    open_type = models.CharField("开放属性", max_length=15, choices=c.OpenType.choices)
    open_condition = models.CharField("开放条件", max_length=500, blank=True)
    grade = models.CharField("分级", max_length=2, choices=c.Grade.choices, default=c.Grade.L1)
    update_cycle = models.CharField("更新周期", max_length=10, choices=c.UpdateCycle.choices)
    published_at = models.DateField("发布日期", null=True, blank=True)
    related_codes = models.CharField("关联资源代码", max_length=300, blank=True, help_text="多个以空格分隔")
    origin = models.CharField("来源", max_length=12, choices=c.Origin.choices, default=c.Origin.LOCAL)
    origin_note = models.CharField("来源说明", max_length=200, blank=True, help_text="上级目录编码或批次")
    region_code = models.CharField("区划代码", max_length=12, default="330481")
    record_count = models.PositiveBigIntegerField("数据量（条）", default=0)
    status = models.CharField("状态", max_length=10, choices=c.Status.choices, default=c.Status.DRAFT, db_index=True)
    version = models.PositiveIntegerField("版本", default=1)
    review_comment = models.CharField("审核意见", max_length=500, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)
    data_rows = models.JSONField("数据样本", default=list, blank=True, help_text="开放预览与下载的样本行")
    download_count = models.PositiveIntegerField("下载次数", default=0)
    search_text = models.TextField("检索文本", blank=True, editable=False)

    changelog_exclude = ("created", "updated", "search_text", "data_rows", "download_count")

    class Meta:
        ordering = ("code",)
        verbose_name = verbose_name_plural = "数据资源目录"
        indexes = [models.Index(fields=["status", "open_type"]), models.Index(fields=["share_type"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def slug(self) -> str:
        """The CKAN dataset name: the resource code with "/" → "-" (URL-safe, unique)."""
        return self.code.replace("/", "-")

    @property
    def is_open(self) -> bool:
        return self.status == c.Status.PUBLISHED and self.open_type != c.OpenType.PROHIBITED

    def keyword_list(self) -> list[str]:
        return [k for k in re.split(r"[\s、,，;；]+", self.keywords or "") if k]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not CATEGORY_RE.match(self.category_code or ""):
            errors["category_code"] = "分类码须为数字：类1位（1基础/2主题/3部门）+项2位+目3位，可加细目"
        elif self.resource_class and self.category_code[0] != self.resource_class:
            errors["category_code"] = f"分类码首位（类）应为 {self.resource_class}，与资源属性分类一致"
        if not SEQUENCE_RE.match(self.sequence or ""):
            errors["sequence"] = "顺序码须为6位数字"
        if self.share_type == c.ShareType.CONDITIONAL and not self.share_condition.strip():
            errors["share_condition"] = "有条件共享须填写共享条件"
        if self.share_type == c.ShareType.NONE and not self.share_condition.strip():
            errors["share_condition"] = "不予共享须填写依据"
        if self.open_type == c.OpenType.RESTRICTED and not self.open_condition.strip():
            errors["open_condition"] = "受限开放须填写开放条件"
        if self.grade == c.Grade.L4 and self.open_type != c.OpenType.PROHIBITED:
            errors["open_type"] = "L4 敏感数据只能禁止开放（DB33/T 2350-2021）"
        if self.origin != c.Origin.LOCAL and not self.origin_note.strip():
            errors["origin_note"] = "上级下发的资源须填写来源说明（上级目录编码或批次）"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.code = f"{self.category_code}/{self.sequence}"
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def build_search_text(self, item_labels: list[str] | None = None) -> str:
        if item_labels is None:
            item_labels = list(self.items.values_list("label", flat=True)) if self.pk else []
        dept = self.department.name if self.department_id else ""
        parts = [self.name, self.code, self.summary, self.keywords, c.THEME_LABELS.get(self.theme, ""), dept,
                 " ".join(item_labels)]
        return " ".join(p for p in parts if p).lower()


class DataItem(ChangeLoggedModel):
    """信息项: one column of a resource, in the pipeline's schema shape."""

    resource = models.ForeignKey(DataResource, verbose_name="数据资源", on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField("序号", default=0)
    name = models.CharField("字段名", max_length=64, help_text="英文标识，如 uscc、ent_name")
    label = models.CharField("信息项名称", max_length=100)
    data_type = models.CharField("数据类型", max_length=10, choices=c.ItemType.choices, default=c.ItemType.STRING)
    max_length = models.PositiveIntegerField("长度", null=True, blank=True)
    required = models.BooleanField("必填", default=False)
    is_key = models.BooleanField("主键", default=False)
    enum_values = models.JSONField("枚举值", default=list, blank=True)
    unit = models.CharField("计量单位", max_length=20, blank=True)
    description = models.CharField("说明", max_length=300, blank=True)
    grade = models.CharField("分级", max_length=2, choices=c.Grade.choices, default=c.Grade.L1)
    mask_kind = models.CharField("个人信息类别", max_length=10, choices=c.MaskKind.choices, blank=True,
                                 help_text="个人信息字段在预览和下载中脱敏")
    id_check = models.CharField("标识校验", max_length=10, choices=c.ItemCheck.choices, blank=True)
    link = models.CharField("关联方式", max_length=16, choices=c.ItemLink.choices, blank=True)
    # Classification labels carried from the resource (DB33/T 2350: every item bears the labels).
    labels = models.JSONField("分类标签", default=dict, blank=True, editable=False)

    class Meta:
        ordering = ("resource", "position", "id")
        verbose_name = verbose_name_plural = "信息项"
        constraints = [models.UniqueConstraint(fields=["resource", "name"], name="dataitem_unique_name")]

    def __str__(self) -> str:
        return f"{self.label}（{self.name}）"

    @property
    def sensitive(self) -> bool:
        return bool(self.mask_kind) or GRADE_ORDER[self.grade] >= 3

    def clean(self) -> None:
        if not re.match(r"^[a-z][a-z0-9_]*$", self.name or ""):
            raise ValidationError({"name": "字段名须以小写字母开头，只含小写字母、数字和下划线"})
        if self.enum_values and not isinstance(self.enum_values, list):
            raise ValidationError({"enum_values": "枚举值须为列表"})

    def carry_labels(self, resource: DataResource) -> None:
        """Copy the resource's classification labels onto the item; an item is never graded below L1."""
        self.labels = {
            "resource_class": resource.resource_class, "theme": resource.theme, "share_type": resource.share_type,
            "open_type": resource.open_type, "resource_grade": resource.grade, "update_cycle": resource.update_cycle,
            "provider": resource.department.code if resource.department_id else "",
        }


class ResourceVersion(BaseModel):
    """A published state of a resource, kept when it is published or revised (版本)."""

    resource = models.ForeignKey(DataResource, verbose_name="数据资源", on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField("版本")
    snapshot = models.JSONField("内容")
    note = models.CharField("变更说明", max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT,
                              related_name="+")
    created = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        ordering = ("resource", "-version")
        verbose_name = verbose_name_plural = "目录版本"
        constraints = [models.UniqueConstraint(fields=["resource", "version"], name="resourceversion_unique")]

    def __str__(self) -> str:
        return f"{self.resource.code} v{self.version}"


class ShareRequest(PrimaryModel):
    """A department's request for a conditional-share resource. ``department`` is the requester."""

    resource = models.ForeignKey(DataResource, verbose_name="数据资源", on_delete=models.PROTECT,
                                 related_name="share_requests")
    purpose = models.CharField("用途", max_length=500)
    basis = models.CharField("依据", max_length=300, blank=True, help_text="法律法规或履职依据")
    item_names = models.JSONField("申请信息项", default=list)
    period_start = models.DateField("使用期限自")
    period_end = models.DateField("使用期限至")
    status = models.CharField("状态", max_length=20, choices=c.ShareRequestStatus.choices,
                              default=c.ShareRequestStatus.SUBMITTED, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT,
                                     related_name="+")
    provider_reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提供方审核人", null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    provider_opinion = models.CharField("提供方意见", max_length=500, blank=True)
    office_reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="数据办审核人", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    office_opinion = models.CharField("数据办意见", max_length=500, blank=True)

    class Meta:
        ordering = ("-created",)
        verbose_name = verbose_name_plural = "共享申请"

    def __str__(self) -> str:
        return f"{self.department}申请{self.resource.name}"


class ShareGrant(PrimaryModel):
    """The credential an approved request gives: scoped to one resource and some items, expiring, revocable.

    ``department`` is the grantee. Only a SHA-256 digest of the credential is stored; the secret is shown once.
    """

    request = models.OneToOneField(ShareRequest, verbose_name="共享申请", on_delete=models.PROTECT, related_name="grant")
    resource = models.ForeignKey(DataResource, verbose_name="数据资源", on_delete=models.PROTECT, related_name="grants")
    item_names = models.JSONField("授权信息项", default=list)
    key_prefix = models.CharField("凭证前缀", max_length=12, db_index=True)
    key_digest = models.CharField("凭证摘要", max_length=64, unique=True)
    valid_from = models.DateField("生效日期")
    expires_on = models.DateField("失效日期")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoke_reason = models.CharField("撤销原因", max_length=300, blank=True)

    changelog_exclude = ("created", "updated", "key_digest")

    class Meta:
        ordering = ("-created",)
        verbose_name = verbose_name_plural = "共享授权"

    def __str__(self) -> str:
        return f"{self.key_prefix}… {self.resource.code}"

    @staticmethod
    def digest(secret: str) -> str:
        return hashlib.sha256(secret.encode("utf-8")).hexdigest()

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "已撤销"
        today = timezone.localdate()
        if today > self.expires_on:
            return "已过期"
        if today < self.valid_from:
            return "未生效"
        return "有效"


class AccessLog(BaseModel):
    """Every use of a sharing credential, allowed or refused (append-only by convention; no edit pages)."""

    time = models.DateTimeField("时间", default=timezone.now, db_index=True)
    grant = models.ForeignKey(ShareGrant, verbose_name="共享授权", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="accesses")
    department = models.ForeignKey("orgs.Department", verbose_name="访问部门", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey("orgs.Department", verbose_name="提供部门", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    key_prefix = models.CharField("凭证前缀", max_length=12, blank=True)
    resource_code = models.CharField("资源代码", max_length=40)
    item_names = models.JSONField("请求信息项", default=list)
    allowed = models.BooleanField("准予")
    reason = models.CharField("说明", max_length=300)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    rows = models.PositiveIntegerField("返回行数", default=0)

    class Meta:
        ordering = ("-time", "-id")
        verbose_name = verbose_name_plural = "共享访问记录"

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.resource_code} {'准予' if self.allowed else '拒绝'}"


class OpenApplication(ChangeLoggedModel):
    """An application for 受限开放 data by a registered user or an authorised operator (授权运营)."""

    resource = models.ForeignKey(DataResource, verbose_name="数据资源", on_delete=models.PROTECT,
                                 related_name="open_applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT,
                                  related_name="+")
    kind = models.CharField("申请主体", max_length=10, choices=c.ApplicantKind.choices, default=c.ApplicantKind.USER)
    organisation = models.CharField("申请单位", max_length=200, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    purpose = models.CharField("用途", max_length=500)
    scenario = models.CharField("应用场景", max_length=500, blank=True)
    status = models.CharField("状态", max_length=10, choices=c.OpenApplicationStatus.choices,
                              default=c.OpenApplicationStatus.SUBMITTED, db_index=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    opinion = models.CharField("审核意见", max_length=500, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)

    class Meta:
        ordering = ("-created",)
        verbose_name = verbose_name_plural = "开放数据申请"

    def __str__(self) -> str:
        return f"{self.resource.name} · {self.applicant}"


class Showcase(ChangeLoggedModel):
    """An application built on open data, shown on the portal (data-opening contest 数据开放创新大赛)."""

    title = models.CharField("应用名称", max_length=200)
    team = models.CharField("团队或单位", max_length=200)
    summary = models.TextField("简介")
    url = models.URLField("访问地址", blank=True)
    contest_year = models.PositiveSmallIntegerField("大赛年份", null=True, blank=True)
    award = models.CharField("获奖情况", max_length=100, blank=True)
    resources = models.ManyToManyField(DataResource, verbose_name="使用的数据", blank=True, related_name="showcases")
    published = models.BooleanField("公开展示", default=True)

    class Meta:
        ordering = ("-contest_year", "title")
        verbose_name = verbose_name_plural = "应用成果展示"

    def __str__(self) -> str:
        return self.title

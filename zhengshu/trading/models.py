"""Public resource trading: tender projects, bids, documents and their findings, 评定分离, credit, village projects."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from zhengshu.core.models.base import BaseModel, ChangeLoggedModel, PrimaryModel
from zhengshu.trading.choices import (
    AdverseType, AwardMethod, CreditStatus, DecryptStatus, FindingStatus, Kind, Method, Regime, Severity, Stage,
    VillageCategory, VillageMethod, VillageStage,
)

MONEY = {"max_digits": 16, "decimal_places": 2}


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- thresholds as data -------------------------------------------------------------------------------------


class MustTenderThreshold(ChangeLoggedModel):
    """必须招标的单项合同估算价标准，按生效日期取用（TH-01/TH-02）。"""

    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    amount_yuan = models.DecimalField("估算价标准（元）", **MONEY)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    basis = models.CharField("依据", max_length=200)

    class Meta:
        ordering = ("kind", "-effective_from")
        verbose_name = verbose_name_plural = "必须招标标准"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ≥{self.amount_yuan:,.0f} 元（{self.effective_from} 起）"


# --- enterprises --------------------------------------------------------------------------------------------


class Enterprise(ChangeLoggedModel):
    """投标人、供应商、承包人（按统一社会信用代码）。"""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200)
    legal_rep = models.CharField("法定代表人", max_length=50, blank=True)
    region = models.CharField("注册地", max_length=100, blank=True)

    personal_fields = ("legal_rep",)

    class Meta:
        ordering = ("name",)
        verbose_name = verbose_name_plural = "企业"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from zhengshu.identifiers import validate_uscc

        result = validate_uscc(self.uscc or "")
        if not result.valid:
            raise ValidationError({"uscc": f"统一社会信用代码 {self.uscc} 无效：{result.reason}"})


# --- tender projects ----------------------------------------------------------------------------------------


class TenderProject(PrimaryModel):
    """招标（采购）项目；``department`` 为招标人（采购人）或村所在镇（街道）。"""

    code = models.CharField("项目编号", max_length=40, unique=True)
    name = models.CharField("项目名称", max_length=200)
    regime = models.CharField("类型", max_length=16, choices=Regime.choices)
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    method = models.CharField("采购方式", max_length=16, choices=Method.choices, default=Method.OPEN)
    tenderer_name = models.CharField("招标人", max_length=200, help_text="部门或村（社区）名称")
    tenderer_division = models.ForeignKey(
        "orgs.Division", verbose_name="招标人所在村（镇）区划", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.CharField("招标代理机构", max_length=200, blank=True)
    location = models.CharField("项目地点", max_length=200, default="海宁市")
    estimated_price_yuan = models.DecimalField("估算价/最高限价（元）", **MONEY, null=True, blank=True)
    budget_yuan = models.DecimalField("预算金额（元）", **MONEY, null=True, blank=True)
    state_fund_share = models.DecimalField("国有资金占比（%）", max_digits=5, decimal_places=2, default=Decimal(100))
    state_controlled = models.BooleanField("国有资金控股或主导", default=True)
    import_approved = models.BooleanField("已批准采购进口产品", default=False)
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices, default=Stage.PLAN)
    # 评定分离
    separated = models.BooleanField("评定分离", default=False)
    separation_basis = models.CharField("评定分离政策依据", max_length=300, blank=True)
    candidates_ranked = models.BooleanField("候选人排序", default=False, help_text="按招标文件：评定分离一般推荐不排序的候选人")
    max_candidates = models.PositiveSmallIntegerField("推荐候选人数上限", default=3)
    # dates
    planned_date = models.DateField("计划日期", null=True, blank=True)
    notice_date = models.DateField("公告日期", null=True, blank=True)
    doc_issue_date = models.DateField("招标文件发出日期", null=True, blank=True)
    doc_sale_end = models.DateField("招标文件发售截止", null=True, blank=True)
    original_bid_deadline = models.DateField("原投标截止日期", null=True, blank=True)
    bid_deadline = models.DateField("投标截止日期", null=True, blank=True)
    clarification_date = models.DateField("澄清/修改日期", null=True, blank=True)
    clarification_affects_preparation = models.BooleanField("澄清影响投标文件编制", default=False)
    opening_date = models.DateField("开标日期", null=True, blank=True)
    evaluation_report_date = models.DateField("评标报告日期", null=True, blank=True)
    candidate_publicity_start = models.DateField("候选人公示开始", null=True, blank=True)
    candidate_publicity_end = models.DateField("候选人公示结束", null=True, blank=True)
    bid_validity_end = models.DateField("投标有效期截止", null=True, blank=True)
    award_date = models.DateField("定标日期", null=True, blank=True)
    award_publicity_start = models.DateField("中标公示开始", null=True, blank=True)
    award_publicity_end = models.DateField("中标公示结束", null=True, blank=True)
    notification_date = models.DateField("中标通知书发出日期", null=True, blank=True)
    contract_date = models.DateField("合同签订日期", null=True, blank=True)
    acceptance_date = models.DateField("履约验收日期", null=True, blank=True)
    failed_date = models.DateField("流标日期", null=True, blank=True)
    # amounts
    bid_bond_yuan = models.DecimalField("投标保证金（元）", **MONEY, null=True, blank=True)
    performance_bond_yuan = models.DecimalField("履约保证金（元）", **MONEY, null=True, blank=True)
    award_amount_yuan = models.DecimalField("中标金额（元）", **MONEY, null=True, blank=True)
    winner = models.ForeignKey(Enterprise, verbose_name="中标人", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="won_projects")
    retender_of = models.ForeignKey("self", verbose_name="重新招标自", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="retenders")

    class Meta:
        ordering = ("-planned_date", "-id")
        verbose_name = verbose_name_plural = "招标项目"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def reference_amount(self) -> Decimal | None:
        """The amount bonds and savings are measured against: 预算 for procurement, 估算价 for works."""
        if self.regime == Regime.PROCUREMENT:
            return self.budget_yuan or self.estimated_price_yuan
        return self.estimated_price_yuan or self.budget_yuan

    def check_facts(self) -> dict:
        """The project facts the document checker reads (keys fixed by the checker's contract)."""
        from zhengshu.trading.rules import must_tender

        def iso(day):
            return day.isoformat() if day else None

        return {
            "regime": self.regime,
            "kind": self.kind,
            "location": self.location,
            "funding": "state" if self.state_fund_share and self.state_fund_share > 0 else "private",
            "must_tender": must_tender(self, MustTenderThreshold.objects.all()) is not None,
            "estimated_price_yuan": float(self.estimated_price_yuan) if self.estimated_price_yuan is not None else None,
            "budget_yuan": float(self.budget_yuan) if self.budget_yuan is not None else None,
            "method": self.method,
            "import_approved": self.import_approved,
            "doc_issue_date": iso(self.doc_issue_date),
            "bid_deadline": iso(self.bid_deadline),
            "original_bid_deadline": iso(self.original_bid_deadline),
            "clarification_date": iso(self.clarification_date),
            "clarification_affects_preparation": self.clarification_affects_preparation,
        }


class Lot(ChangeLoggedModel):
    project = models.ForeignKey(TenderProject, verbose_name="项目", on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField("标段号")
    name = models.CharField("标段名称", max_length=200)
    estimated_price_yuan = models.DecimalField("标段估算价（元）", **MONEY, null=True, blank=True)

    class Meta:
        ordering = ("project", "number")
        unique_together = (("project", "number"),)
        verbose_name = verbose_name_plural = "标段"

    def __str__(self) -> str:
        return f"{self.project.code} 第{self.number}标段 {self.name}"


class Bid(ChangeLoggedModel):
    """一份投标；不见面开标时记录线上解密。"""

    project = models.ForeignKey(TenderProject, verbose_name="项目", on_delete=models.CASCADE, related_name="bids")
    lot = models.ForeignKey(Lot, verbose_name="标段", null=True, blank=True, on_delete=models.CASCADE,
                            related_name="bids")
    bidder = models.ForeignKey(Enterprise, verbose_name="投标人", on_delete=models.PROTECT, related_name="bids")
    price_yuan = models.DecimalField("投标报价（元）", **MONEY)
    submitted_at = models.DateTimeField("递交时间")
    decrypt_status = models.CharField("解密状态", max_length=10, choices=DecryptStatus.choices,
                                      default=DecryptStatus.PENDING)
    decrypted_at = models.DateTimeField("解密时间", null=True, blank=True)
    credit_status = models.CharField("投标时信用状态", max_length=10, choices=CreditStatus.choices,
                                     default=CreditStatus.CLEAN)
    credit_note = models.CharField("信用提示", max_length=300, blank=True)
    rejected = models.BooleanField("否决", default=False)
    reject_reason = models.CharField("否决理由", max_length=300, blank=True)

    class Meta:
        ordering = ("project", "price_yuan")
        unique_together = (("project", "lot", "bidder"),)
        verbose_name = verbose_name_plural = "投标"

    def __str__(self) -> str:
        return f"{self.bidder} @ {self.project.code}"


class OpeningLogEntry(BaseModel):
    """不见面开标的线上解密记录（只追加）。"""

    project = models.ForeignKey(TenderProject, verbose_name="项目", on_delete=models.CASCADE,
                                related_name="opening_log")
    bid = models.ForeignKey(Bid, verbose_name="投标", null=True, blank=True, on_delete=models.CASCADE)
    time = models.DateTimeField("时间")
    event = models.CharField("事件", max_length=40)
    ok = models.BooleanField("成功", default=True)
    message = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ("project", "time", "id")
        verbose_name = verbose_name_plural = "开标解密记录"

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.event}"


class StageEvent(BaseModel):
    """项目阶段变更（谁、何时、从哪到哪、备注）。"""

    project = models.ForeignKey(TenderProject, verbose_name="项目", on_delete=models.CASCADE, related_name="events")
    from_stage = models.CharField("原阶段", max_length=16, choices=Stage.choices)
    to_stage = models.CharField("新阶段", max_length=16, choices=Stage.choices)
    on = models.DateField("日期")
    actor = models.ForeignKey("accounts.User", verbose_name="操作人", null=True, on_delete=models.SET_NULL,
                              related_name="+")
    note = models.CharField("备注", max_length=500, blank=True)
    time = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ("project", "time", "id")
        verbose_name = verbose_name_plural = "阶段记录"


# --- documents and findings ---------------------------------------------------------------------------------


class CheckRule(ChangeLoggedModel):
    """规则目录的本地覆盖：启停、严重程度、所属“七个不准”分组，或新的正则规则（须通过自带用例）。"""

    rule_id = models.CharField("规则编号", max_length=40, unique=True)
    enabled = models.BooleanField("启用", default=True)
    severity = models.CharField("严重程度", max_length=8, choices=Severity.choices, blank=True)
    group = models.CharField("七个不准分组", max_length=40, blank=True)
    basis = models.CharField("依据", max_length=300, blank=True)
    message = models.CharField("提示", max_length=300, blank=True)
    suggestion = models.CharField("修改建议", max_length=300, blank=True)
    pattern = models.TextField("正则（新规则）", blank=True)
    sections = models.JSONField("适用部分", default=list, blank=True,
                                help_text='如 ["qualification", "scoring"]；空表示全文')
    hit_examples = models.JSONField("应命中用例", default=list, blank=True)
    miss_examples = models.JSONField("不应命中用例", default=list, blank=True)

    class Meta:
        ordering = ("rule_id",)
        verbose_name = verbose_name_plural = "检查规则"

    def __str__(self) -> str:
        return self.rule_id

    def as_override(self) -> dict:
        data = {"id": self.rule_id, "enabled": self.enabled}
        for name in ("severity", "group", "basis", "message", "suggestion", "pattern"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        if self.sections:
            data["sections"] = list(self.sections)
        if self.hit_examples or self.miss_examples:
            data["tests"] = {"hit": list(self.hit_examples), "miss": list(self.miss_examples)}
        return data

    def clean(self) -> None:
        from zhengshu.trading.documents import validate_rule

        validate_rule(self)


class TenderDocument(ChangeLoggedModel):
    project = models.ForeignKey(TenderProject, verbose_name="项目", on_delete=models.CASCADE,
                                related_name="documents")
    filename = models.CharField("文件名", max_length=200)
    content = models.BinaryField("原文件")
    sha256 = models.CharField("SHA-256", max_length=64)
    text = models.TextField("提取文本", blank=True)
    uploaded_by = models.ForeignKey("accounts.User", verbose_name="上传人", null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    checked_at = models.DateTimeField("检查时间", null=True, blank=True)
    rules_version = models.CharField("规则版本", max_length=64, blank=True)

    changelog_exclude = ("created", "updated", "content", "text")

    class Meta:
        ordering = ("project", "-created")
        verbose_name = verbose_name_plural = "招标文件"

    def __str__(self) -> str:
        return self.filename


class DocumentFinding(ChangeLoggedModel):
    document = models.ForeignKey(TenderDocument, verbose_name="文件", on_delete=models.CASCADE,
                                 related_name="findings")
    project = models.ForeignKey(TenderProject, verbose_name="项目", on_delete=models.CASCADE,
                                related_name="findings")
    rule = models.CharField("规则", max_length=40)
    group = models.CharField("七个不准分组", max_length=40, blank=True)
    basis = models.CharField("依据", max_length=300, blank=True)
    severity = models.CharField("严重程度", max_length=8, choices=Severity.choices)
    start = models.PositiveIntegerField("起始位置")
    end = models.PositiveIntegerField("结束位置")
    text = models.TextField("原文")
    message = models.CharField("提示", max_length=500)
    suggestion = models.CharField("修改建议", max_length=500, blank=True)
    section = models.CharField("所在部分", max_length=40, blank=True)
    status = models.CharField("状态", max_length=12, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    handled_by = models.ForeignKey("accounts.User", verbose_name="处理人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    reason = models.CharField("处理理由", max_length=500, blank=True)

    class Meta:
        ordering = ("document", "start", "id")
        verbose_name = verbose_name_plural = "文件检查发现"

    def __str__(self) -> str:
        return f"{self.rule} @{self.start}-{self.end}"


# --- 评定分离 ------------------------------------------------------------------------------------------------


class EvaluationReport(ChangeLoggedModel):
    project = models.OneToOneField(TenderProject, verbose_name="项目", on_delete=models.CASCADE,
                                   related_name="evaluation")
    report_date = models.DateField("评标报告日期")
    committee_size = models.PositiveSmallIntegerField("评标委员会人数")
    ranked = models.BooleanField("候选人排序", default=False)
    remarks = models.TextField("评标意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评标报告"

    def __str__(self) -> str:
        return f"{self.project.code} 评标报告"


class Candidate(ChangeLoggedModel):
    report = models.ForeignKey(EvaluationReport, verbose_name="评标报告", on_delete=models.CASCADE,
                               related_name="candidates")
    bid = models.ForeignKey(Bid, verbose_name="投标", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField("排序", null=True, blank=True)
    remarks = models.CharField("优劣分析", max_length=500, blank=True)

    class Meta:
        ordering = ("report", "rank", "id")
        unique_together = (("report", "bid"),)
        verbose_name = verbose_name_plural = "中标候选人"

    def __str__(self) -> str:
        return str(self.bid.bidder)


class AwardCommittee(ChangeLoggedModel):
    project = models.OneToOneField(TenderProject, verbose_name="项目", on_delete=models.CASCADE,
                                   related_name="award_committee")
    formed_on = models.DateField("组建日期")
    formation = models.CharField("产生方式", max_length=200, default="从招标人定标委员会成员库随机抽取")
    method = models.CharField("定标方法", max_length=20, choices=AwardMethod.choices)
    compliance_basis = models.CharField("混合方式合规依据", max_length=300, blank=True)
    decided_on = models.DateField("定标日期", null=True, blank=True)
    winner = models.ForeignKey(Enterprise, verbose_name="确定的中标人", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField("定标理由（择优/比劣）", blank=True)
    supervisor_present = models.CharField("监督人员", max_length=100, blank=True)
    recorded = models.BooleanField("全程录音录像", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "定标委员会"

    def __str__(self) -> str:
        return f"{self.project.code} 定标委员会"


class AwardMember(ChangeLoggedModel):
    committee = models.ForeignKey(AwardCommittee, verbose_name="定标委员会", on_delete=models.CASCADE,
                                  related_name="members")
    name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=100, blank=True)
    declared = models.BooleanField("已签回避声明", default=False)
    conflict = models.BooleanField("存在利害关系", default=False)
    conflict_note = models.CharField("利害关系说明", max_length=300, blank=True)
    vote_for = models.ForeignKey(Enterprise, verbose_name="表决支持", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("表决理由", max_length=500, blank=True)

    class Meta:
        ordering = ("committee", "id")
        verbose_name = verbose_name_plural = "定标委员"

    def __str__(self) -> str:
        return self.name


# --- credit and clues ---------------------------------------------------------------------------------------


class AdverseRecord(ChangeLoggedModel):
    """不良行为记录；披露有效期 5 年（《浙江省公共信用信息管理条例》第16条）。"""

    enterprise = models.ForeignKey(Enterprise, verbose_name="企业", on_delete=models.PROTECT,
                                   related_name="adverse_records")
    type = models.CharField("类别", max_length=8, choices=AdverseType.choices)
    decided_on = models.DateField("认定日期")
    valid_until = models.DateField("有效期至", blank=True)
    debarred_until = models.DateField("取消投标资格至", null=True, blank=True)
    authority = models.CharField("认定机关", max_length=100)
    document_no = models.CharField("文号", max_length=100, blank=True)
    basis = models.CharField("依据", max_length=200, blank=True)
    summary = models.CharField("事由", max_length=500, blank=True)

    class Meta:
        ordering = ("-decided_on",)
        verbose_name = verbose_name_plural = "不良行为记录"

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_type_display()}（{self.decided_on}）"

    def save(self, *args, **kwargs):
        if not self.valid_until and self.decided_on:
            self.valid_until = _years_later(self.decided_on, 5)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not self.valid_until and self.decided_on:
            self.valid_until = _years_later(self.decided_on, 5)


class Clue(ChangeLoggedModel):
    """移交线索：给主管机关（纪检监察、公安、审计、行业主管）的线索移交单。"""

    code = models.CharField("线索编号", max_length=40, unique=True)
    project = models.ForeignKey(TenderProject, verbose_name="关联项目", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="clues")
    transferred_on = models.DateField("移交日期")
    recipient = models.CharField("移交机关", max_length=100)
    summary = models.TextField("线索内容")
    firms = models.ManyToManyField(Enterprise, verbose_name="涉及企业", related_name="clues")
    person_times = models.PositiveIntegerField("涉及人次", default=0)
    amount_yuan = models.DecimalField("涉案金额（元）", **MONEY, default=Decimal(0))

    class Meta:
        ordering = ("-transferred_on",)
        verbose_name = verbose_name_plural = "移交线索"

    def __str__(self) -> str:
        return self.code


# --- village projects ---------------------------------------------------------------------------------------


class VillageTier(ChangeLoggedModel):
    """村级工程分档（金额区间 → 应采用的交易方式），带生效日期。"""

    name = models.CharField("档位", max_length=50)
    min_yuan = models.DecimalField("下限（含，元）", **MONEY)
    max_yuan = models.DecimalField("上限（不含，元）", **MONEY, null=True, blank=True)
    method = models.CharField("交易方式", max_length=20, choices=VillageMethod.choices)
    effective_from = models.DateField("生效日期")
    basis = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        ordering = ("-effective_from", "min_yuan")
        verbose_name = verbose_name_plural = "村级工程分档"

    def __str__(self) -> str:
        return self.name


class VillageProject(PrimaryModel):
    """村级工程；``department`` 为所在镇（街道）。"""

    code = models.CharField("项目编号", max_length=40, unique=True)
    name = models.CharField("项目名称", max_length=200)
    town = models.ForeignKey("orgs.Division", verbose_name="镇（街道）", on_delete=models.PROTECT, related_name="+")
    village_code = models.CharField("村（社区）区划代码", max_length=12)
    village_name = models.CharField("村（社区）", max_length=50)
    category = models.CharField("类别", max_length=16, choices=VillageCategory.choices)
    amount_yuan = models.DecimalField("估算金额（元）", **MONEY)
    funding = models.CharField("资金来源", max_length=100, default="村集体资金")
    stage = models.CharField("阶段", max_length=12, choices=VillageStage.choices, default=VillageStage.PROPOSED)
    proposed_on = models.DateField("立项日期")
    members_total = models.PositiveIntegerField("应到成员（代表）数", null=True, blank=True)
    votes_for = models.PositiveIntegerField("赞成票", null=True, blank=True)
    publicity_start = models.DateField("事前公示开始", null=True, blank=True)
    publicity_end = models.DateField("事前公示结束", null=True, blank=True)
    meeting_date = models.DateField("成员（代表）大会日期", null=True, blank=True)
    trading_method = models.CharField("实际交易方式", max_length=20, choices=VillageMethod.choices, blank=True)
    trading_date = models.DateField("交易日期", null=True, blank=True)
    contractor = models.ForeignKey(Enterprise, verbose_name="承包人", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="village_projects")
    contract_date = models.DateField("合同日期", null=True, blank=True)
    contract_amount_yuan = models.DecimalField("合同金额（元）", **MONEY, null=True, blank=True)
    start_date = models.DateField("开工日期", null=True, blank=True)
    acceptance_date = models.DateField("验收日期", null=True, blank=True)
    audit_date = models.DateField("审计日期", null=True, blank=True)
    audit_amount_yuan = models.DecimalField("审定金额（元）", **MONEY, null=True, blank=True)
    disclosure_date = models.DateField("结果公示日期", null=True, blank=True)

    class Meta:
        ordering = ("-proposed_on", "-id")
        verbose_name = verbose_name_plural = "村级工程"

    def __str__(self) -> str:
        return f"{self.code} {self.village_name}{self.name}"

    def clean(self) -> None:
        if self.village_code and self.town_id and not self.village_code.startswith(self.town_id):
            raise ValidationError({"village_code": f"村（社区）区划代码 {self.village_code} 不属于所选镇（街道）{self.town_id}"})
        if self.village_code and (len(self.village_code) != 12 or not self.village_code.isdigit()):
            raise ValidationError({"village_code": "村（社区）区划代码应为 12 位数字"})

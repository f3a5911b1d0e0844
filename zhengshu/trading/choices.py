"""Code tables of public resource trading (公共资源交易).

Stage and method names are fixed by law; amounts and bands that differ by place (must-tender thresholds,
village tiers, the mapping of rules to the "七个不准") are data in the database, not here.
"""

from django.db import models


class Regime(models.TextChoices):
    WORKS = "works", "工程招标"
    PROCUREMENT = "procurement", "政府采购"


class Kind(models.TextChoices):
    CONSTRUCTION = "construction", "工程施工"
    GOODS = "goods", "货物"
    SERVICES = "services", "服务"
    DESIGN = "design", "勘察设计监理"


class Method(models.TextChoices):
    OPEN = "open", "公开招标"
    INVITED = "invited", "邀请招标"
    CONSULTATION = "consultation", "竞争性磋商"
    NEGOTIATION = "negotiation", "竞争性谈判"
    INQUIRY = "inquiry", "询价"
    SINGLE = "single", "单一来源"
    DIRECT = "direct", "直接发包"


TENDER_METHODS = (Method.OPEN, Method.INVITED)


class Stage(models.TextChoices):
    PLAN = "plan", "计划"
    NOTICE = "notice", "公告"
    DOCS = "docs", "招标文件发出"
    CLARIFY = "clarify", "澄清/修改"
    OPENING = "opening", "开标"
    EVALUATION = "evaluation", "评标"
    CANDIDATES = "candidates", "候选人公示"
    AWARD = "award", "定标"
    AWARD_PUBLICITY = "award_publicity", "中标公示"
    CONTRACT = "contract", "合同"
    ACCEPTANCE = "acceptance", "履约验收"
    FAILED = "failed", "流标（须重新招标）"


# The lifecycle: each stage may move to the listed ones; the date field records when it happened.
NEXT_STAGES = {
    Stage.PLAN: (Stage.NOTICE,),
    Stage.NOTICE: (Stage.DOCS,),
    Stage.DOCS: (Stage.CLARIFY, Stage.OPENING),
    Stage.CLARIFY: (Stage.CLARIFY, Stage.OPENING),
    Stage.OPENING: (Stage.EVALUATION, Stage.FAILED),
    Stage.EVALUATION: (Stage.CANDIDATES, Stage.FAILED),
    Stage.CANDIDATES: (Stage.AWARD,),
    Stage.AWARD: (Stage.AWARD_PUBLICITY,),
    Stage.AWARD_PUBLICITY: (Stage.CONTRACT,),
    Stage.CONTRACT: (Stage.ACCEPTANCE,),
    Stage.ACCEPTANCE: (),
    Stage.FAILED: (),
}
STAGE_DATE_FIELD = {
    Stage.NOTICE: "notice_date",
    Stage.DOCS: "doc_issue_date",
    Stage.CLARIFY: "clarification_date",
    Stage.OPENING: "opening_date",
    Stage.EVALUATION: "evaluation_report_date",
    Stage.CANDIDATES: "candidate_publicity_start",
    Stage.AWARD: "award_date",
    Stage.AWARD_PUBLICITY: "award_publicity_start",
    Stage.CONTRACT: "contract_date",
    Stage.ACCEPTANCE: "acceptance_date",
    Stage.FAILED: "failed_date",
}


class Severity(models.TextChoices):
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"
    INFO = "info", "提示"


class FindingStatus(models.TextChoices):
    OPEN = "open", "待处理"
    RESOLVED = "resolved", "已整改"
    OVERRIDDEN = "overridden", "监管放行"


class DecryptStatus(models.TextChoices):
    PENDING = "pending", "待解密"
    OK = "ok", "解密成功"
    FAILED = "failed", "解密失败"


class CreditStatus(models.TextChoices):
    CLEAN = "clean", "无不良记录"
    ADVERSE = "adverse", "有效期内不良记录"
    DEBARRED = "debarred", "取消投标资格期内"


class AwardMethod(models.TextChoices):
    VOTE_DIRECT = "vote_direct", "直接票决"
    VOTE_ROUNDS = "vote_rounds", "逐轮票决"
    VOTE_CUMULATIVE = "vote_cumulative", "累积投票"
    COLLECTIVE = "collective", "集体议事"
    PRICE_LOWEST = "price_lowest", "价格竞争（最低价）"
    PRICE_SECOND = "price_second", "价格竞争（次低价）"
    PRICE_AVERAGE = "price_average", "价格竞争（最接近平均值）"
    VOTE_LOT = "vote_lot", "票决抽签"
    LOT = "lot", "直接抽签"


VOTE_METHODS = (AwardMethod.VOTE_DIRECT, AwardMethod.VOTE_ROUNDS, AwardMethod.VOTE_CUMULATIVE)
PRICE_METHODS = (AwardMethod.PRICE_LOWEST, AwardMethod.PRICE_SECOND, AwardMethod.PRICE_AVERAGE)
LOT_METHODS = (AwardMethod.VOTE_LOT, AwardMethod.LOT)  # 含抽签：与发改法规规〔2022〕1117号一(二)冲突


class AdverseType(models.TextChoices):
    CR01 = "CR-01", "围标串标"
    CR02 = "CR-02", "弄虚作假"
    CR03 = "CR-03", "挂靠或借用资质"
    CR04 = "CR-04", "转包、违法分包"
    CR05 = "CR-05", "无正当理由放弃中标、不签合同"
    CR06 = "CR-06", "恶意投诉、诬告"
    CR07 = "CR-07", "行贿"
    CR08 = "CR-08", "工程质量安全事故"
    CR09 = "CR-09", "拖欠农民工工资"
    CR10 = "CR-10", "合同履约差"
    CR11 = "CR-11", "评标专家不良行为"
    CR12 = "CR-12", "招标代理不良行为"


class VillageStage(models.TextChoices):
    PROPOSED = "proposed", "立项"
    DECIDED = "decided", "决策"
    TRADED = "traded", "交易"
    BUILDING = "building", "施工"
    ACCEPTED = "accepted", "验收"
    AUDITED = "audited", "审计"
    DISCLOSED = "disclosed", "公示"


VILLAGE_NEXT = {
    VillageStage.PROPOSED: VillageStage.DECIDED,
    VillageStage.DECIDED: VillageStage.TRADED,
    VillageStage.TRADED: VillageStage.BUILDING,
    VillageStage.BUILDING: VillageStage.ACCEPTED,
    VillageStage.ACCEPTED: VillageStage.AUDITED,
    VillageStage.AUDITED: VillageStage.DISCLOSED,
}
VILLAGE_DATE_FIELD = {
    VillageStage.DECIDED: "meeting_date",
    VillageStage.TRADED: "trading_date",
    VillageStage.BUILDING: "start_date",
    VillageStage.ACCEPTED: "acceptance_date",
    VillageStage.AUDITED: "audit_date",
    VillageStage.DISCLOSED: "disclosure_date",
}


class VillageMethod(models.TextChoices):
    SELF = "self", "村级自行组织（比价）"
    TOWN_PLATFORM = "town_platform", "镇（街道）小额工程交易平台"
    SMALL_PLATFORM = "small_platform", "限额以下小型工程交易平台"
    PUBLIC_TENDER = "public_tender", "进入公共资源交易中心公开招标"


class VillageCategory(models.TextChoices):
    ROAD = "road", "道路"
    WATER = "water", "水利沟渠"
    BUILDING = "building", "房屋修缮"
    GREEN = "green", "绿化环境"
    LIGHTING = "lighting", "亮化"
    OTHER = "other", "其他"

"""Code values of the catalogue (2017 national guide; Zhejiang DB33/T 2350-2021 grading and open attributes)."""

from django.db import models


class ResourceClass(models.TextChoices):
    """资源属性分类 (the 1-digit 类 of the resource code)."""

    BASIC = "1", "基础信息资源"
    THEME = "2", "主题信息资源"
    DEPARTMENT = "3", "部门信息资源"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    PUBLISHED = "published", "已发布"
    REJECTED = "rejected", "已退回"
    WITHDRAWN = "withdrawn", "已撤销"


class ShareType(models.TextChoices):
    UNCONDITIONAL = "unconditional", "无条件共享"
    CONDITIONAL = "conditional", "有条件共享"
    NONE = "none", "不予共享"


class ShareMethod(models.TextChoices):
    API = "api", "共享平台-接口"
    TABLE = "table", "共享平台-库表"
    FILE = "file", "共享平台-文件"
    MEDIA = "media", "介质交换"


class OpenType(models.TextChoices):
    UNCONDITIONAL = "unconditional", "无条件开放"
    RESTRICTED = "restricted", "受限开放"
    PROHIBITED = "prohibited", "禁止开放"


class Grade(models.TextChoices):
    """DB33/T 2350-2021: L4 敏感 … L1 不敏感 (涉密 data is not catalogued here)."""

    L1 = "L1", "L1 不敏感"
    L2 = "L2", "L2 低敏感"
    L3 = "L3", "L3 较敏感"
    L4 = "L4", "L4 敏感"


class UpdateCycle(models.TextChoices):
    REALTIME = "realtime", "实时"
    DAILY = "daily", "每日"
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    HALFYEAR = "halfyear", "每半年"
    YEARLY = "yearly", "每年"
    IRREGULAR = "irregular", "不定期"


# EU frequency vocabulary for dct:accrualPeriodicity
_EU_FREQ = "http://publications.europa.eu/resource/authority/frequency/"
FREQUENCY_URI = {
    "realtime": _EU_FREQ + "CONT", "daily": _EU_FREQ + "DAILY", "weekly": _EU_FREQ + "WEEKLY",
    "monthly": _EU_FREQ + "MONTHLY", "quarterly": _EU_FREQ + "QUARTERLY", "halfyear": _EU_FREQ + "ANNUAL_2",
    "yearly": _EU_FREQ + "ANNUAL", "irregular": _EU_FREQ + "IRREG",
}


class FormatClass(models.TextChoices):
    FILE = "file", "电子文件"
    SHEET = "sheet", "电子表格"
    DATABASE = "database", "数据库"
    IMAGE = "image", "图形图像"
    STREAM = "stream", "流媒体"
    SELF = "self", "自描述格式"
    OTHER = "other", "其他"


class Origin(models.TextChoices):
    """Where the resource comes from: this city's own departments, or sent down from upper levels."""

    LOCAL = "local", "本级编目"
    NATIONAL = "national", "国家数据直达"
    PROVINCE = "province", "省级回流"
    PREFECTURE = "prefecture", "嘉兴市回流"


class ItemType(models.TextChoices):
    """The pipeline's schema types."""

    STRING = "string", "字符型"
    INTEGER = "integer", "整数型"
    DECIMAL = "decimal", "数值型"
    DATE = "date", "日期型"
    DATETIME = "datetime", "日期时间型"
    BOOLEAN = "boolean", "布尔型"


class ItemCheck(models.TextChoices):
    USCC = "uscc", "统一社会信用代码"
    ORGCODE = "orgcode", "组织机构代码"
    IDCARD = "idcard", "身份证号码"
    DIVISION = "division", "行政区划代码"
    PHONE = "phone", "手机号码"


class ItemLink(models.TextChoices):
    USCC = "uscc", "按统一社会信用代码关联"
    ORG_CODE = "org_code", "按组织机构代码关联"
    ENTERPRISE_NAME = "enterprise_name", "按企业名称关联"


class MaskKind(models.TextChoices):
    """How a personal field is masked in previews (``zhengshu.core.masking``)."""

    ID_NUMBER = "id_number", "证件号码"
    PHONE = "phone", "电话号码"
    NAME = "name", "姓名"


class ShareRequestStatus(models.TextChoices):
    SUBMITTED = "submitted", "待提供方审核"
    PROVIDER_APPROVED = "provider_approved", "待数据办审核"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"


class ApplicantKind(models.TextChoices):
    USER = "user", "注册用户"
    OPERATOR = "operator", "授权运营单位"


class OpenApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"


THEMES = (
    ("market", "市场监管"), ("economy", "经济建设"), ("credit", "信用服务"), ("social", "社会保障"),
    ("employment", "劳动就业"), ("urban", "城乡建设"), ("housing", "住房保障"), ("resources", "资源能源"),
    ("health", "医疗卫生"), ("education", "教育文化"), ("civil", "社会救助"), ("transport", "交通出行"),
    ("agriculture", "农业农村"), ("environment", "生态环境"), ("safety", "安全生产"), ("finance", "财税金融"),
    ("public_security", "公共安全"), ("water", "水利气象"), ("government", "机构团体"),
)
THEME_LABELS = dict(THEMES)

FORMAT_EXTENSIONS = ("CSV", "XLSX", "JSON")

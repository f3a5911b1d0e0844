"""The demo catalogue: about 1,800 entries of Haining's departments with data items and sample rows.

Entries are built from per-department resource families (name, theme, item set, grade, share and
open attributes) and multiplied over towns and years, as a real city catalogue is. The published
totals follow the office's 2023 report: 1,715 shareable and 1,142 openable catalogues. Rows are
generated with a fixed seed; identifiers carry valid check characters. Bulk inserts keep it fast.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from zhengshu.dataresources import choices as c
from zhengshu.dataresources.models import DataItem, DataResource, Showcase

TOWNS = ("硖石街道", "海洲街道", "海昌街道", "马桥街道", "许村镇", "长安镇", "周王庙镇", "盐官镇", "斜桥镇",
         "丁桥镇", "袁花镇", "黄湾镇")
YEARS = (2019, 2020, 2021, 2022, 2023, 2024)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国海燕红玉婷斌波宇浩凯"
ROADS = ("文苑路", "海昌路", "水月亭路", "硖川路", "长埭路", "钱江西路", "海宁大道", "工人路", "联合路", "西山路")
ENT_WORDS = ("皮革", "经编", "纺织", "家纺", "光伏", "电子", "机械", "食品", "物流", "服饰", "新材料", "科技")

# item sets: (name, label, type, length, required, key, grade, mask, check, link, unit, enum)
I = tuple
ITEM_SETS: dict[str, tuple] = {
    "enterprise": (
        I(("uscc", "统一社会信用代码", "string", 18, True, True, "L1", "", "uscc", "uscc", "", [])),
        I(("ent_name", "企业名称", "string", 200, True, False, "L1", "", "", "enterprise_name", "", [])),
        I(("legal_rep", "法定代表人", "string", 50, True, False, "L2", "name", "", "", "", [])),
        I(("reg_date", "成立日期", "date", None, True, False, "L1", "", "", "", "", [])),
        I(("reg_capital", "注册资本", "decimal", None, False, False, "L1", "", "", "", "万元", [])),
        I(("address", "住所", "string", 200, False, False, "L1", "", "", "", "", [])),
        I(("status", "登记状态", "string", 10, True, False, "L1", "", "", "", "", ["存续", "在业", "注销", "吊销"])),
    ),
    "permit": (
        I(("permit_no", "许可证编号", "string", 40, True, True, "L1", "", "", "", "", [])),
        I(("holder", "持证主体名称", "string", 200, True, False, "L1", "", "", "enterprise_name", "", [])),
        I(("uscc", "统一社会信用代码", "string", 18, True, False, "L1", "", "uscc", "uscc", "", [])),
        I(("issue_date", "发证日期", "date", None, True, False, "L1", "", "", "", "", [])),
        I(("valid_to", "有效期至", "date", None, True, False, "L1", "", "", "", "", [])),
        I(("scope", "许可范围", "string", 300, False, False, "L1", "", "", "", "", [])),
    ),
    "penalty": (
        I(("case_no", "决定书文号", "string", 60, True, True, "L1", "", "", "", "", [])),
        I(("party", "当事人名称", "string", 200, True, False, "L1", "", "", "enterprise_name", "", [])),
        I(("uscc", "统一社会信用代码", "string", 18, False, False, "L1", "", "uscc", "uscc", "", [])),
        I(("decision_date", "处罚决定日期", "date", None, True, False, "L1", "", "", "", "", [])),
        I(("facts", "违法事实", "string", 500, False, False, "L1", "", "", "", "", [])),
        I(("fine", "罚没金额", "decimal", None, False, False, "L1", "", "", "", "元", [])),
    ),
    "person": (
        I(("person_name", "姓名", "string", 50, True, False, "L3", "name", "", "", "", [])),
        I(("id_number", "公民身份号码", "string", 18, True, True, "L3", "id_number", "idcard", "", "", [])),
        I(("phone", "联系电话", "string", 11, False, False, "L3", "phone", "phone", "", "", [])),
        I(("town", "所属镇街", "string", 20, True, False, "L2", "", "", "", "", list(TOWNS))),
        I(("handle_date", "办理日期", "date", None, True, False, "L2", "", "", "", "", [])),
        I(("amount", "金额", "decimal", None, False, False, "L2", "", "", "", "元", [])),
    ),
    "facility": (
        I(("facility_name", "名称", "string", 200, True, True, "L1", "", "", "", "", [])),
        I(("address", "地址", "string", 200, True, False, "L1", "", "", "", "", [])),
        I(("town", "所属镇街", "string", 20, True, False, "L1", "", "", "", "", list(TOWNS))),
        I(("lng", "经度", "decimal", None, False, False, "L1", "", "", "", "度", [])),
        I(("lat", "纬度", "decimal", None, False, False, "L1", "", "", "", "度", [])),
        I(("contact_phone", "联系电话", "string", 20, False, False, "L1", "", "", "", "", [])),
        I(("open_hours", "开放时间", "string", 50, False, False, "L1", "", "", "", "", [])),
    ),
    "stats": (
        I(("stat_year", "统计年度", "integer", None, True, True, "L1", "", "", "", "年", [])),
        I(("division_code", "行政区划代码", "string", 12, True, True, "L1", "", "division", "", "", [])),
        I(("division_name", "区划名称", "string", 50, True, False, "L1", "", "", "", "", [])),
        I(("indicator", "指标名称", "string", 100, True, True, "L1", "", "", "", "", [])),
        I(("value", "指标值", "decimal", None, True, False, "L1", "", "", "", "", [])),
        I(("unit", "计量单位", "string", 20, False, False, "L1", "", "", "", "", [])),
    ),
    "police": (
        I(("case_id", "警情编号", "string", 30, True, True, "L4", "", "", "", "", [])),
        I(("person_name", "当事人姓名", "string", 50, True, False, "L4", "name", "", "", "", [])),
        I(("id_number", "公民身份号码", "string", 18, True, False, "L4", "id_number", "idcard", "", "", [])),
        I(("phone", "联系电话", "string", 11, False, False, "L4", "phone", "phone", "", "", [])),
        I(("occurred_at", "发生时间", "datetime", None, True, False, "L3", "", "", "", "", [])),
        I(("town", "发生镇街", "string", 20, True, False, "L3", "", "", "", "", list(TOWNS))),
    ),
}

# department code → [(name, theme, item set, grade, share, open, cycle, multiplier)]
# share: u 无条件共享 / c 有条件共享 / n 不予共享; open: u 无条件开放 / r 受限开放 / p 禁止开放;
# multiplier: "" one entry, "town" one per town, "year" one per year.
FAMILIES: dict[str, list[tuple]] = {
    "HN-SJJ": [
        ("企业登记信息", "market", "enterprise", "L1", "u", "u", "daily", ""),
        ("个体工商户登记信息", "market", "enterprise", "L1", "u", "u", "daily", "town"),
        ("农民专业合作社登记信息", "market", "enterprise", "L1", "u", "u", "weekly", ""),
        ("食品经营许可信息", "market", "permit", "L1", "u", "u", "daily", "town"),
        ("食品生产许可信息", "market", "permit", "L1", "u", "u", "weekly", ""),
        ("特种设备使用登记信息", "safety", "permit", "L2", "c", "r", "monthly", "town"),
        ("市场监管行政处罚信息", "credit", "penalty", "L1", "u", "u", "daily", "year"),
        ("企业年度报告公示信息", "market", "enterprise", "L2", "c", "r", "yearly", "year"),
        ("商标注册人信息", "market", "enterprise", "L1", "u", "u", "monthly", ""),
        ("计量器具强制检定信息", "market", "facility", "L1", "u", "u", "monthly", "town"),
        ("消费投诉举报处理信息", "market", "person", "L3", "c", "p", "daily", "year"),
    ],
    "HN-RSJ": [
        ("社会保险参保单位信息", "social", "enterprise", "L2", "c", "r", "monthly", "town"),
        ("社会保险个人参保信息", "social", "person", "L3", "c", "p", "monthly", "town"),
        ("就业登记信息", "employment", "person", "L3", "c", "p", "monthly", "year"),
        ("人力资源服务机构信息", "employment", "permit", "L1", "u", "u", "monthly", ""),
        ("职业技能等级认定机构信息", "employment", "facility", "L1", "u", "u", "quarterly", ""),
        ("劳动保障监察处罚信息", "credit", "penalty", "L1", "u", "u", "monthly", "year"),
        ("城镇新增就业统计", "employment", "stats", "L1", "u", "u", "monthly", "year"),
    ],
    "HN-ZJJ": [
        ("建筑业企业资质信息", "urban", "permit", "L1", "u", "u", "weekly", ""),
        ("建筑工程施工许可信息", "urban", "permit", "L1", "u", "u", "daily", "town"),
        ("商品房预售许可信息", "housing", "permit", "L1", "u", "u", "weekly", "town"),
        ("房屋网签备案信息", "housing", "person", "L3", "c", "p", "daily", "year"),
        ("公共租赁住房保障对象信息", "housing", "person", "L3", "c", "p", "monthly", "town"),
        ("物业服务项目信息", "housing", "facility", "L1", "u", "u", "quarterly", "town"),
        ("建设工程竣工验收备案信息", "urban", "permit", "L1", "u", "u", "monthly", "year"),
        ("住建领域行政处罚信息", "credit", "penalty", "L1", "u", "u", "monthly", "year"),
    ],
    "HN-ZRJ": [
        ("国有建设用地使用权出让信息", "resources", "permit", "L1", "u", "u", "monthly", "year"),
        ("不动产登记业务量统计", "resources", "stats", "L1", "u", "u", "monthly", "year"),
        ("建设用地规划许可信息", "resources", "permit", "L1", "u", "u", "monthly", "town"),
        ("建设工程规划许可信息", "resources", "permit", "L1", "u", "u", "monthly", "town"),
        ("不动产权利人信息", "resources", "person", "L3", "c", "p", "daily", "town"),
        ("地质灾害隐患点信息", "safety", "facility", "L2", "u", "r", "yearly", ""),
        ("永久基本农田保护信息", "resources", "stats", "L1", "u", "u", "yearly", "town"),
    ],
    "HN-WJJ": [
        ("医疗机构执业登记信息", "health", "facility", "L1", "u", "u", "monthly", "town"),
        ("医师执业注册信息", "health", "permit", "L2", "c", "r", "monthly", ""),
        ("护士执业注册信息", "health", "permit", "L2", "c", "r", "monthly", ""),
        ("出生医学证明信息", "health", "person", "L3", "c", "p", "daily", "year"),
        ("预防接种门诊信息", "health", "facility", "L1", "u", "u", "quarterly", "town"),
        ("公共场所卫生许可信息", "health", "permit", "L1", "u", "u", "weekly", "town"),
        ("卫生健康行政处罚信息", "credit", "penalty", "L1", "u", "u", "monthly", "year"),
        ("居民健康档案建档统计", "health", "stats", "L1", "u", "u", "quarterly", "year"),
    ],
    "HN-JYJ": [
        ("中小学校基本信息", "education", "facility", "L1", "u", "u", "yearly", "town"),
        ("幼儿园基本信息", "education", "facility", "L1", "u", "u", "yearly", "town"),
        ("民办学校办学许可信息", "education", "permit", "L1", "u", "u", "yearly", ""),
        ("学生学籍信息", "education", "person", "L3", "c", "p", "monthly", "year"),
        ("教师资格认定信息", "education", "person", "L3", "c", "p", "monthly", "year"),
        ("校外培训机构信息", "education", "permit", "L1", "u", "u", "monthly", "town"),
        ("教育事业统计", "education", "stats", "L1", "u", "u", "yearly", "year"),
    ],
    "HN-MZJ": [
        ("社会组织登记信息", "government", "enterprise", "L1", "u", "u", "weekly", ""),
        ("养老机构信息", "civil", "facility", "L1", "u", "u", "quarterly", "town"),
        ("最低生活保障对象信息", "civil", "person", "L3", "c", "p", "monthly", "town"),
        ("特困人员救助供养信息", "civil", "person", "L3", "c", "p", "monthly", "town"),
        ("婚姻登记信息", "civil", "person", "L3", "c", "p", "daily", "year"),
        ("殡葬服务机构信息", "civil", "facility", "L1", "u", "u", "yearly", ""),
        ("地名信息", "civil", "facility", "L1", "u", "u", "irregular", "town"),
        ("社会救助资金发放统计", "civil", "stats", "L1", "u", "u", "monthly", "year"),
    ],
    "HN-JTJ": [
        ("公交线路信息", "transport", "facility", "L1", "u", "u", "monthly", ""),
        ("公交站点信息", "transport", "facility", "L1", "u", "u", "monthly", "town"),
        ("道路运输经营许可信息", "transport", "permit", "L1", "u", "u", "weekly", ""),
        ("出租汽车驾驶员从业资格信息", "transport", "person", "L3", "c", "r", "monthly", ""),
        ("公共自行车站点信息", "transport", "facility", "L1", "u", "u", "daily", "town"),
        ("交通运输行政处罚信息", "credit", "penalty", "L1", "u", "u", "monthly", "year"),
        ("公路里程统计", "transport", "stats", "L1", "u", "u", "yearly", "year"),
    ],
    "HN-NYJ": [
        ("家庭农场名录", "agriculture", "enterprise", "L1", "u", "u", "quarterly", "town"),
        ("农药经营许可信息", "agriculture", "permit", "L1", "u", "u", "monthly", ""),
        ("兽药经营许可信息", "agriculture", "permit", "L1", "u", "u", "monthly", ""),
        ("农业补贴发放信息", "agriculture", "person", "L3", "c", "p", "yearly", "town"),
        ("农产品质量安全检测信息", "agriculture", "stats", "L1", "u", "u", "monthly", "year"),
        ("高标准农田建设项目信息", "agriculture", "facility", "L1", "u", "u", "yearly", "year"),
    ],
    "HN-GAJ": [
        ("户籍人口信息", "public_security", "police", "L4", "c", "p", "daily", "town"),
        ("居民身份证办理信息", "public_security", "police", "L4", "c", "p", "daily", "year"),
        ("机动车登记信息", "public_security", "police", "L4", "c", "p", "daily", ""),
        ("驾驶人信息", "public_security", "police", "L4", "c", "p", "daily", ""),
        ("110警情信息", "public_security", "police", "L4", "n", "p", "realtime", "year"),
        ("流动人口居住登记信息", "public_security", "police", "L4", "c", "p", "daily", "town"),
        ("旅馆业住宿登记信息", "public_security", "police", "L4", "n", "p", "realtime", "town"),
        ("交通违法处理信息", "public_security", "police", "L4", "n", "p", "daily", "year"),
    ],
    "HN-FGJ": [
        ("固定资产投资项目备案信息", "economy", "permit", "L1", "u", "u", "weekly", "year"),
        ("政府定价目录", "economy", "stats", "L1", "u", "u", "irregular", ""),
        ("重点建设项目信息", "economy", "facility", "L1", "u", "u", "monthly", "year"),
        ("社会信用红黑名单信息", "credit", "penalty", "L1", "u", "u", "daily", "year"),
    ],
    "HN-CZJ": [
        ("政府采购代理机构信息", "finance", "enterprise", "L1", "u", "u", "monthly", ""),
        ("财政预决算公开信息", "finance", "stats", "L1", "u", "u", "yearly", "year"),
        ("惠民惠农补贴发放信息", "finance", "person", "L3", "c", "p", "monthly", "town"),
    ],
    "HN-JXJ": [
        ("规模以上工业企业名录", "economy", "enterprise", "L2", "c", "r", "monthly", "town"),
        ("工业企业亩均效益评价信息", "economy", "enterprise", "L2", "c", "r", "yearly", "year"),
        ("专精特新中小企业名单", "economy", "enterprise", "L1", "u", "u", "yearly", "year"),
        ("工业用电量统计", "economy", "stats", "L1", "u", "u", "monthly", "year"),
    ],
    "HN-SWJ": [
        ("纳税信用A级纳税人名单", "finance", "enterprise", "L1", "u", "u", "yearly", "year"),
        ("欠税公告信息", "finance", "penalty", "L1", "u", "u", "quarterly", "year"),
        ("企业纳税申报信息", "finance", "enterprise", "L4", "n", "p", "monthly", "year"),
    ],
    "HN-SLJ": [
        ("河道信息", "water", "facility", "L1", "u", "u", "yearly", "town"),
        ("水利工程信息", "water", "facility", "L1", "u", "u", "yearly", ""),
        ("取水许可信息", "water", "permit", "L1", "u", "u", "monthly", ""),
        ("雨量水位监测信息", "water", "stats", "L1", "u", "u", "realtime", "town"),
    ],
    "HN-STJ": [
        ("排污许可信息", "environment", "permit", "L1", "u", "u", "weekly", "town"),
        ("环境空气质量监测信息", "environment", "stats", "L1", "u", "u", "daily", "year"),
        ("地表水水质监测信息", "environment", "stats", "L1", "u", "u", "monthly", "year"),
        ("建设项目环评审批信息", "environment", "permit", "L1", "u", "u", "weekly", "year"),
        ("生态环境行政处罚信息", "credit", "penalty", "L1", "u", "u", "monthly", "year"),
    ],
    "HN-YJJ": [
        ("危险化学品经营许可信息", "safety", "permit", "L2", "c", "r", "monthly", ""),
        ("应急避难场所信息", "safety", "facility", "L1", "u", "u", "yearly", "town"),
        ("安全生产行政处罚信息", "credit", "penalty", "L1", "u", "u", "monthly", "year"),
        ("生产安全事故统计", "safety", "stats", "L1", "u", "u", "monthly", "year"),
    ],
    "HN-YBJ": [
        ("定点医药机构信息", "health", "facility", "L1", "u", "u", "monthly", "town"),
        ("医疗保障参保人员信息", "social", "person", "L3", "c", "p", "monthly", "town"),
        ("医保基金结算统计", "social", "stats", "L1", "u", "u", "monthly", "year"),
    ],
    "HN-GHJ": [
        ("工程建设项目招标公告信息", "economy", "permit", "L1", "u", "u", "daily", "year"),
        ("政府采购中标结果信息", "finance", "permit", "L1", "u", "u", "daily", "year"),
        ("评标专家信息", "economy", "person", "L3", "c", "p", "monthly", ""),
    ],
    "HN-ZSB": [
        ("政务服务事项目录", "government", "stats", "L1", "u", "u", "weekly", ""),
        ("政务服务中心窗口信息", "government", "facility", "L1", "u", "u", "monthly", "town"),
        ("办件评价信息", "government", "stats", "L1", "u", "u", "daily", "year"),
        ("电子证照目录", "government", "stats", "L1", "u", "u", "weekly", ""),
    ],
}
# Resources received from upper levels (国家数据直达 / 省、嘉兴市回流): (name, theme, set, dept, origin, note)
UPPER = [
    ("全国企业信用信息（国家数据直达）", "credit", "enterprise", "HN-SJJ", "national", "国家数据共享交换平台直达清单"),
    ("全国婚姻登记信息核验（国家数据直达）", "civil", "person", "HN-MZJ", "national", "国家数据共享交换平台直达清单"),
    ("全国出生医学证明核验（国家数据直达）", "health", "person", "HN-WJJ", "national", "国家数据共享交换平台直达清单"),
    ("浙江省社保参保证明（省级回流）", "social", "person", "HN-RSJ", "province", "浙江省公共数据平台回流批次2023-12"),
    ("浙江省不动产登记证明（省级回流）", "resources", "person", "HN-ZRJ", "province", "浙江省公共数据平台回流批次2023-12"),
    ("浙江省企业用电信息（省级回流）", "economy", "stats", "HN-JXJ", "province", "浙江省公共数据平台回流批次2024-03"),
    ("嘉兴市公积金缴存信息（嘉兴市回流）", "housing", "person", "HN-ZJJ", "prefecture", "嘉兴市公共数据平台回流批次2024-01"),
]
TARGET_TOTAL = 1800
TARGET_SHAREABLE = 1715  # the report's figures for published entries
TARGET_OPENABLE = 1142
UNPUBLISHED = 40  # drafts and entries under review


def _rng_name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def make_uscc(rng) -> str:
    from zhengshu.identifiers import org_code, uscc

    body = "MA2" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(5))
    code17 = "91330481" + body + org_code.make_check_char(body)
    return code17 + uscc.make_check_char(code17)


def make_id_number(rng) -> str:
    from zhengshu.identifiers import resident_id

    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
    first17 = f"330481{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + resident_id.make_check_char(first17)


def _value(rng, name: str, kind: str, enum: list, context: dict):
    if enum:
        return rng.choice(enum)
    if name == "uscc":
        return make_uscc(rng)
    if name == "id_number":
        return make_id_number(rng)
    if name in ("phone",):
        return "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))
    if name == "contact_phone":
        return f"0573-8{rng.randrange(1000000, 9999999)}"
    if name in ("legal_rep", "person_name"):
        return _rng_name(rng)
    if name in ("ent_name", "holder", "party"):
        return f"海宁市{rng.choice(TOWNS)[:2]}{rng.choice(ENT_WORDS)}{rng.choice(('有限公司', '股份有限公司', '厂'))}"
    if name in ("address",):
        return f"浙江省海宁市{rng.choice(TOWNS)}{rng.choice(ROADS)}{rng.randrange(1, 999)}号"
    if name == "facility_name":
        return f"{context.get('town') or rng.choice(TOWNS)}{context['short']}{rng.randrange(1, 30)}号点"
    if name in ("permit_no", "case_no", "case_id"):
        return f"海{context['prefix']}〔{rng.choice(YEARS)}〕{rng.randrange(1, 9999):04d}号"
    if name == "division_code":
        return "330481"
    if name == "division_name":
        return context.get("town") or "海宁市"
    if name == "indicator":
        return context["short"]
    if name == "stat_year":
        return context.get("year") or rng.choice(YEARS)
    if name == "lng":
        return round(120.55 + rng.random() * 0.35, 6)
    if name == "lat":
        return round(30.40 + rng.random() * 0.20, 6)
    if name == "open_hours":
        return rng.choice(("周一至周五 8:30-17:00", "全天", "周一至周六 9:00-17:00"))
    if name in ("scope", "facts"):
        return context["short"] + rng.choice(("相关经营活动", "日常监督检查发现问题", "依法核准事项"))
    if name == "unit":
        return rng.choice(("个", "万元", "人", "%"))
    if kind == "date":
        return (date(2019, 1, 1) + timedelta(days=rng.randrange(0, 2000))).isoformat()
    if kind == "datetime":
        day = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 365))
        return f"{day}T{rng.randrange(0, 24):02d}:{rng.randrange(0, 60):02d}:00"
    if kind == "decimal":
        return round(rng.random() * 10000, 2)
    if kind == "integer":
        return rng.randrange(0, 1000)
    return context["short"]


def plan() -> list[dict]:
    """Every demo entry as plain data (deterministic), before the attribute mix is adjusted."""
    entries = []
    for dept, families in FAMILIES.items():
        for fam_no, (name, theme, item_set, grade, share, open_, cycle, mult) in enumerate(families, start=1):
            variants = [("", None, None)]
            if mult == "town":
                variants = [(f"{town}", town, None) for town in TOWNS]
            elif mult == "year":
                variants = [(f"（{year}年）", None, year) for year in YEARS]
            for var_no, (suffix, town, year) in enumerate(variants, start=1):
                full = f"海宁市{town}{name}" if town else f"海宁市{name}{suffix}"
                entries.append({"dept": dept, "fam": fam_no, "var": var_no, "name": full, "short": name,
                                "theme": theme, "set": item_set, "grade": grade, "share": share, "open": open_,
                                "cycle": cycle, "town": town, "year": year, "origin": "local", "note": ""})
    for name, theme, item_set, dept, origin, note in UPPER:
        entries.append({"dept": dept, "fam": 90, "var": len(entries), "name": name, "short": name, "theme": theme,
                        "set": item_set, "grade": "L3" if item_set == "person" else "L1", "share": "c",
                        "open": "p" if item_set == "person" else "u", "cycle": "daily", "town": None, "year": None,
                        "origin": origin, "note": note})
    return entries


def _fill(entries: list[dict], rng) -> list[dict]:
    """Repeat families over more towns' sub-units until the target size, then set the report's mix."""
    base = list(entries)
    extra_no = 0
    while len(entries) < TARGET_TOTAL:
        src = base[extra_no % len(base)]
        extra_no += 1
        if src["origin"] != "local":
            continue
        village = f"第{extra_no // len(base) + 2}批"
        entries.append({**src, "var": 100 + extra_no, "name": f"{src['name']}（{village}）"})
    return entries[:TARGET_TOTAL]


def seed() -> str:
    from zhengshu.orgs.models import Department

    departments = {d.code: d for d in Department.objects.filter(code__in=[*FAMILIES, "HN-GOV"])}
    missing = sorted(set(FAMILIES) - set(departments))
    if missing:
        raise RuntimeError(f"缺少演示部门：{'、'.join(missing)}（先运行部门演示数据）")
    rng = random.Random(20231231)
    entries = _fill(plan(), rng)
    # attribute mix of published entries: shareable = 1,715, openable = 1,142 (the 2023 report)
    published = entries[:TARGET_TOTAL - UNPUBLISHED]
    need_closed = len(published) - TARGET_SHAREABLE
    closed = [e for e in published if e["share"] == "n"]
    for e in closed[need_closed:]:  # too many 不予共享: the rest become conditional
        e["share"] = "c"
    for e in published:  # too few: more public-security resources are not shared
        if sum(x["share"] == "n" for x in published) >= need_closed:
            break
        if e["set"] == "police" and e["share"] != "n":
            e["share"] = "n"
    openable = [e for e in published if e["open"] != "p"]
    for e in reversed(openable[TARGET_OPENABLE:]):  # too many open: close the newest batches of open entries
        e["open"], e["grade"] = "p", max(e["grade"], "L2")
    openable = [e for e in published if e["open"] != "p"]
    for e in published:  # too few: open more low-grade statistics
        if len(openable) >= TARGET_OPENABLE:
            break
        if e["open"] == "p" and e["set"] in ("stats", "facility", "permit") and e["grade"] != "L4":
            e["open"] = "u"
            openable.append(e)
    existing = set(DataResource.objects.values_list("code", flat=True))
    seq_by_cat: dict[str, int] = {}
    dept_numbers = {code: n for n, code in enumerate(FAMILIES, start=1)}
    resources, item_rows = [], []
    today = date(2024, 3, 31)
    for index, e in enumerate(entries):
        resource_class = "1" if e["set"] in ("enterprise", "police") and e["grade"] != "L1" else "3"
        if e["origin"] != "local":
            resource_class = "1"
        category = f"{resource_class}{dept_numbers[e['dept']]:02d}{e['fam']:03d}"
        seq_by_cat[category] = seq_by_cat.get(category, 0) + 1
        sequence = f"{seq_by_cat[category]:06d}"
        code = f"{category}/{sequence}"
        if code in existing:
            continue
        share = {"u": c.ShareType.UNCONDITIONAL, "c": c.ShareType.CONDITIONAL, "n": c.ShareType.NONE}[e["share"]]
        open_type = {"u": c.OpenType.UNCONDITIONAL, "r": c.OpenType.RESTRICTED, "p": c.OpenType.PROHIBITED}[e["open"]]
        grade = e["grade"]
        if grade == "L4":
            open_type = c.OpenType.PROHIBITED
        status = c.Status.PUBLISHED if index < TARGET_TOTAL - UNPUBLISHED else (
            c.Status.SUBMITTED if index % 2 else c.Status.DRAFT)
        spec = ITEM_SETS[e["set"]]
        context = {"short": e["short"], "town": e["town"], "year": e["year"],
                   "prefix": e["dept"][3:5]}
        row_count = 8 if open_type != c.OpenType.PROHIBITED else 3
        rows = [{name: _value(rng, name, kind, enum, context)
                 for (name, _l, kind, _len, _r, _k, _g, _m, _c, _lk, _u, enum) in spec} for _ in range(row_count)]
        item_grades = [min(g, grade) if grade != "L4" else g for (_n, _l, _t, _len, _r, _k, g, *_rest) in spec]
        labels = [label for (_n, label, *_rest) in spec]
        dept = departments[e["dept"]]
        keywords = " ".join(dict.fromkeys([e["short"].replace("信息", "")[:8], c.THEME_LABELS[e["theme"]],
                                           *([e["town"]] if e["town"] else []),
                                           *([str(e["year"])] if e["year"] else [])]))
        resource = DataResource(
            department=dept, category_code=category, sequence=sequence, code=code, name=e["name"],
            resource_class=resource_class, theme=e["theme"],
            summary=f"{dept.name}提供的{e['name']}，包括{'、'.join(labels[:4])}等信息项，"
                    f"更新周期{c.UpdateCycle(e['cycle']).label}。",
            keywords=keywords, format_class=c.FormatClass.DATABASE, format_type="PostgreSQL",
            share_type=share, share_method=c.ShareMethod.API if share != c.ShareType.NONE else c.ShareMethod.TABLE,
            share_condition={"c": "用于履行法定职责，经提供部门和数据办审核", "n": "涉及公共安全，依法不予共享",
                             "u": ""}[e["share"]],
            open_type=open_type,
            open_condition="经数据办审核，签订数据利用协议后在数据开放域内使用" if open_type == c.OpenType.RESTRICTED else "",
            grade=grade, update_cycle=e["cycle"],
            published_at=(today - timedelta(days=rng.randrange(0, 1500))) if status == c.Status.PUBLISHED else None,
            origin=e["origin"], origin_note=e["note"], record_count=rng.randrange(200, 500000),
            status=status, version=1, data_rows=rows, download_count=rng.randrange(0, 3000) if e["open"] != "p" else 0,
            description="演示数据",
        )
        resource.search_text = resource.build_search_text(labels)
        resources.append(resource)
        item_rows.append((spec, item_grades))
    DataResource.objects.bulk_create(resources, batch_size=500)
    saved = {r.code: r for r in DataResource.objects.select_related("department")
             .filter(code__in=[r.code for r in resources])}
    items = []
    for resource, (spec, item_grades) in zip(resources, item_rows):
        obj = saved[resource.code]
        for position, ((name, label, kind, length, required, key, _g, mask_kind, check, link, unit, enum),
                       grade) in enumerate(zip(spec, item_grades), start=1):
            item = DataItem(resource=obj, position=position, name=name, label=label, data_type=kind,
                            max_length=length, required=required, is_key=key, enum_values=enum, unit=unit,
                            grade=grade, mask_kind=mask_kind, id_check=check, link=link)
            item.carry_labels(obj)
            items.append(item)
    DataItem.objects.bulk_create(items, batch_size=2000)
    _showcases()
    return f"{len(resources)} 条目录，{len(items)} 个信息项"


def _showcases() -> None:
    from zhengshu.dataresources.selectors import open_datasets

    if Showcase.objects.exists():
        return
    picks = {
        "海宁公交到站助手": ("海宁市公交线路信息", "浙江大学海宁国际校区学生团队", 2023, "一等奖"),
        "皮革城商户信用地图": ("海宁市企业登记信息", "海宁某科技有限公司", 2023, "二等奖"),
        "亲子就近入园查询": ("海宁市硖石街道幼儿园基本信息", "嘉兴学院团队", 2022, "优秀奖"),
    }
    for title, (resource_name, team, year, award) in picks.items():
        showcase = Showcase.objects.create(title=title, team=team, contest_year=year, award=award,
                                           summary=f"基于海宁市开放数据开发的{title}应用，参加{year}年海宁市数据开放创新大赛。")
        showcase.resources.set(open_datasets().filter(name=resource_name)[:1])

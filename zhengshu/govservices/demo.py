"""Demo catalogue: Haining's departments' service items with materials (seeders 100–119).

Item names are real Zhejiang 政务服务事项 names; codes are built with the national structure (synthetic but
valid USCCs for the implementing bodies, since the demo departments carry none). Shares follow the report:
119 items 跨省通办 ("异地无忧"), most items 即办 / 零跑 / 全程网办. Deterministic, idempotent.
"""

from __future__ import annotations

import random

from zhengshu.core.demo import seeder

# department code → [(事项名称, 事项类型代码)]
CITY_ITEMS: dict[str, list[tuple[str, str]]] = {
    "HN-SJJ": [
        ("股份有限公司设立登记", "07"), ("外商投资企业设立登记", "07"), ("广告发布登记", "01"), ("检验检测机构资质认定", "01"), ("企业年度报告公示", "20"),
        ("动产抵押登记", "07"), ("食品经营许可（餐饮服务）", "01"), ("商标专用权质押登记受理", "20"), ("食品经营许可（新办）", "01"), ("食品经营许可（变更）", "01"),
        ("食品经营许可（延续）", "01"), ("食品经营许可（注销）", "01"), ("个体工商户设立登记", "07"), ("个体工商户变更登记", "07"), ("个体工商户注销登记", "07"),
        ("有限责任公司设立登记", "07"), ("有限责任公司变更登记", "07"), ("有限责任公司注销登记", "07"), ("农民专业合作社设立登记", "07"), ("药品零售企业许可", "01"),
        ("第二类医疗器械经营备案", "10"), ("食品生产许可", "01"), ("特种设备使用登记", "01"), ("计量器具型式批准", "01"), ("营业执照遗失补领", "20"),
        ("企业名称自主申报", "20"), ("小餐饮登记证核发", "01"), ("食品小作坊登记", "01"),
    ],
    "HN-ZJJ": [
        ("建筑起重机械使用登记", "07"), ("城市房屋白蚁防治", "20"), ("房地产开发企业资质核定", "01"), ("建设工程招标文件备案", "10"), ("拆除工程施工备案", "10"),
        ("建筑施工企业安全生产许可证核发", "01"), ("建筑工程施工许可证核发", "01"), ("建设工程竣工验收备案", "10"), ("商品房预售许可", "01"),
        ("建筑业企业资质核准", "01"), ("城镇污水排入排水管网许可", "01"), ("房屋建筑工程质量监督登记", "10"), ("燃气经营许可证核发", "01"),
        ("临时占用城市道路审批", "01"), ("城市建筑垃圾处置核准", "01"), ("公共租赁住房资格申请", "20"), ("住房公积金个人住房贷款", "20"),
        ("住房公积金提取（购房）", "20"), ("住房公积金提取（租房）", "20"), ("物业服务企业备案", "10"), ("存量房买卖合同网签备案", "20"), ("建设工程消防验收", "01"),
        ("建设工程消防设计审查", "01"), ("商品房买卖合同备案", "20"),
    ],
    "HN-RSJ": [
        ("失业登记", "20"), ("就业困难人员认定", "07"), ("技能人才评价机构备案", "10"), ("职业介绍补贴申领", "05"), ("退休人员领取养老金资格认证", "20"),
        ("工伤保险待遇申领", "05"), ("失业保险金申领", "05"), ("职工参保登记", "20"), ("城乡居民基本养老保险参保登记", "20"), ("个人权益记录查询打印", "20"),
        ("职业技能等级证书查询", "20"), ("就业创业证申领", "20"), ("社会保障卡申领", "20"), ("社会保障卡挂失与补换", "20"), ("养老保险关系转移接续", "20"),
        ("工伤认定申请", "07"), ("劳动能力鉴定申请", "07"), ("人力资源服务许可", "01"), ("劳务派遣经营许可", "01"), ("企业职工基本养老保险待遇申领", "05"),
        ("灵活就业人员参保登记", "20"), ("创业担保贷款申请", "20"), ("高校毕业生社保补贴申领", "05"), ("稳岗返还申领", "05"),
    ],
    "HN-WJJ": [
        ("职业病诊断", "07"), ("医疗机构校验", "06"), ("乡村医生执业注册", "01"), ("外籍医师短期行医许可", "01"), ("消毒产品生产企业卫生许可", "01"),
        ("医疗机构执业登记", "01"), ("医师执业注册", "01"), ("护士执业注册", "01"), ("出生医学证明办理", "20"), ("公共场所卫生许可", "01"),
        ("母婴保健技术服务执业许可", "01"), ("生育登记服务", "20"), ("放射诊疗许可", "01"), ("饮用水供水单位卫生许可", "01"), ("计划生育家庭特别扶助金申领", "05"),
        ("医疗机构设置审批", "01"), ("诊所备案", "10"), ("预防接种证查验", "20"), ("中医诊所备案", "10"), ("老年人健康管理服务", "20"),
    ],
    "HN-MZJ": [
        ("慈善组织认定", "07"), ("社会团体变更登记", "01"), ("困境儿童基本生活保障", "05"), ("经济困难老年人养老服务补贴", "05"), ("内地居民婚姻登记", "07"),
        ("内地居民离婚登记", "07"), ("补领婚姻登记证", "07"), ("最低生活保障审核确认", "05"), ("特困人员认定", "05"), ("临时救助", "05"),
        ("困难残疾人生活补贴和重度残疾人护理补贴", "05"), ("社会团体成立登记", "01"), ("民办非企业单位成立登记", "01"), ("养老机构备案", "10"),
        ("殡葬服务（惠民殡葬补贴）", "05"), ("80周岁以上老年人高龄津贴申领", "05"), ("孤儿基本生活费发放", "05"), ("地名命名审批", "01"), ("收养登记", "07"),
    ],
    "HN-GAJ": [
        ("户籍证明开具", "20"), ("居民身份证异地受理", "07"), ("机动车检验标志核发", "07"), ("电动自行车登记", "07"), ("保安员证核发", "01"),
        ("养犬登记", "01"), ("居住证申领", "07"), ("居民身份证换领", "07"), ("居民身份证补领", "07"), ("临时居民身份证申领", "07"), ("出生登记", "07"),
        ("死亡注销户口", "07"), ("户口迁移（市内）", "07"), ("投靠亲属户口迁入", "07"), ("机动车登记（注册登记）", "07"), ("机动车驾驶证换证", "07"),
        ("机动车驾驶证补证", "07"), ("往来港澳通行证签注", "01"), ("普通护照签发", "01"), ("大型群众性活动安全许可", "01"), ("旅馆业特种行业许可证核发", "01"),
        ("无犯罪记录证明开具", "20"), ("剧毒化学品购买许可", "01"),
    ],
    "HN-ZRJ": [
        ("不动产预告登记", "07"), ("地役权登记", "07"), ("建设工程规划核实", "01"), ("国有建设用地使用权出让", "20"), ("建设用地规划许可证核发", "01"),
        ("建设工程规划许可证核发", "01"), ("乡村建设规划许可证核发", "01"), ("不动产首次登记", "07"), ("不动产转移登记", "07"), ("不动产抵押权登记", "07"),
        ("不动产抵押权注销登记", "07"), ("不动产更正登记", "07"), ("不动产登记资料查询", "20"), ("建设项目用地预审与选址意见书核发", "01"), ("临时用地审批", "01"),
        ("农村宅基地审批", "01"), ("测绘资质审批", "01"), ("采矿权延续登记", "01"), ("土地复垦方案审查", "06"),
    ],
    "HN-JTJ": [
        ("巡游出租汽车经营许可", "01"), ("道路运输证补发", "20"), ("危险货物道路运输许可", "01"), ("机动车驾驶员培训教练员备案", "10"), ("道路旅客运输经营许可", "01"),
        ("道路货物运输经营许可", "01"), ("道路运输车辆年度审验", "06"), ("道路运输从业人员从业资格证核发", "01"), ("出租汽车驾驶员从业资格证核发", "01"),
        ("网络预约出租汽车运输证核发", "01"), ("公路超限运输许可", "01"), ("涉路施工许可", "01"), ("机动车维修经营备案", "10"), ("港口经营许可", "01"),
        ("船舶营业运输证核发", "01"), ("驾驶员培训机构备案", "10"), ("占用挖掘公路许可", "01"),
    ],
    "HN-FGJ": [
        ("招标方案核准", "01"), ("项目节能登记", "10"), ("价格争议调解", "20"), ("企业投资项目备案", "10"), ("企业投资项目核准", "01"),
        ("固定资产投资项目节能审查", "01"), ("政府投资项目建议书审批", "01"), ("政府投资项目可行性研究报告审批", "01"), ("价格认定", "07"), ("粮食收购资格备案", "10"),
        ("外商投资项目备案", "10"), ("电力设施保护区施工作业许可", "01"), ("重点项目代办服务", "20"),
    ],
    "HN-JYJ": [
        ("中小学教师资格定期注册", "07"), ("普通话水平测试报名", "20"), ("民办学校章程修改备案", "10"), ("初中学业水平考试成绩复核", "20"), ("民办学校办学许可", "01"),
        ("教师资格认定", "07"), ("校外培训机构审批", "01"), ("适龄儿童入学登记", "20"), ("学籍转学", "20"), ("学前教育资助", "05"),
        ("义务教育家庭经济困难学生资助", "05"), ("中等职业教育国家助学金", "05"), ("学历证明书办理", "20"), ("幼儿园设立审批", "01"),
    ],
    "HN-NYJ": [
        ("农业机械驾驶证核发", "01"), ("动物诊疗许可", "01"), ("农产品质量安全追溯登记", "10"), ("渔业捕捞许可", "01"), ("农药经营许可", "01"),
        ("兽药经营许可", "01"), ("动物防疫条件合格证核发", "01"), ("种畜禽生产经营许可", "01"), ("农作物种子生产经营许可", "01"), ("拖拉机和联合收割机登记", "07"),
        ("渔业船舶登记", "07"), ("水产苗种生产许可", "01"), ("生猪定点屠宰厂（场）设置审查", "01"), ("耕地地力保护补贴申领", "05"), ("农机购置补贴申领", "05"),
        ("家庭农场名录登记", "10"),
    ],
    "HN-JXJ": [
        ("工业企业技术中心认定", "07"), ("专精特新中小企业认定推荐", "20"), ("企业技术改造项目备案", "10"), ("无线电台（站）设置审批", "01"),
        ("工业企业“亩均论英雄”评价复核", "07"), ("中小企业公共服务示范平台认定", "07"), ("民用爆炸物品销售许可", "01"), ("墙体材料专项基金返退", "05"),
        ("高新技术企业认定推荐", "20"), ("企业研发中心认定", "07"),
    ],
    "HN-SWJ": [
        ("注销税务登记", "07"), ("跨区域涉税事项报告", "20"), ("房产税申报", "04"), ("印花税申报", "04"), ("增值税专用发票（增值税税控系统）最高开票限额审批", "01"),
        ("发票领用", "20"), ("代开增值税发票", "20"), ("个人所得税综合所得汇算清缴", "20"), ("税务登记", "07"), ("纳税信用修复", "20"),
        ("开具税收完税证明", "20"), ("契税申报", "04"), ("车辆购置税申报", "04"), ("出口退（免）税备案", "10"), ("涉税信息查询", "20"),
    ],
    "HN-SLJ": [
        ("水利工程建设监理单位备案", "10"), ("农村水电站取水许可", "01"), ("取水许可", "01"), ("河道管理范围内建设项目工程建设方案审批", "01"),
        ("生产建设项目水土保持方案审批", "01"), ("洪水影响评价类审批", "01"), ("水利工程质量监督", "06"), ("农村集中供水工程验收", "06"), ("河道采砂许可", "01"),
        ("水利基建项目初步设计文件审批", "01"),
    ],
    "HN-STJ": [
        ("建设项目竣工环境保护验收备案", "10"), ("机动车排放检验机构备案", "10"), ("建设项目环境影响报告书审批", "01"), ("建设项目环境影响报告表审批", "01"),
        ("排污许可证核发", "01"), ("危险废物经营许可", "01"), ("建设项目环境影响登记表备案", "10"), ("排污许可登记", "10"), ("辐射安全许可证核发", "01"),
        ("环境污染防治设施拆除或闲置审批", "01"),
    ],
    "HN-YJJ": [
        ("危险化学品安全使用许可", "01"), ("第二类非药品类易制毒化学品生产备案", "10"), ("危险化学品经营许可", "01"), ("烟花爆竹经营（零售）许可", "01"),
        ("非药品类易制毒化学品经营备案", "10"), ("生产经营单位生产安全事故应急预案备案", "10"), ("金属冶炼建设项目安全设施设计审查", "01"), ("特种作业操作证（安全生产）复审", "07"),
    ],
    "HN-YBJ": [
        ("医保电子凭证激活", "20"), ("大病保险待遇申领", "05"), ("新生儿参保登记", "20"), ("基本医疗保险参保登记", "20"), ("医保关系转移接续", "20"),
        ("异地就医备案", "20"), ("门诊慢特病待遇认定", "07"), ("生育津贴申领", "05"), ("医疗费用手工（零星）报销", "05"), ("城乡居民医保参保缴费", "20"),
        ("医保定点医药机构申请", "20"), ("长期护理保险待遇申请", "05"),
    ],
    "HN-CZJ": [
        ("财政票据核销", "20"), ("政府采购代理机构名录登记", "10"), ("会计代理记账资格审批", "01"), ("政府采购供应商投诉处理", "09"), ("非税收入票据领购", "20"),
        ("行政事业性收费缴纳", "20"),
    ],
    "HN-ZSB": [
        ("“跨省通办”异地代收代办", "20"), ("企业开办“一件事”", "20"), ("员工录用“一件事”", "20"), ("“一件事”联办申请受理", "20"),
        ("政务服务好差评申诉复核", "20"), ("公共数据开放申请", "20"), ("证明材料清单查询", "20"),
    ],
}
TOWN_ITEMS: list[tuple[str, str]] = [
    ("城乡居民基本养老保险待遇申领（镇街受理）", "05"), ("残疾人证申领（镇街受理）", "20"), ("最低生活保障申请受理（镇街）", "05"), ("农村村民住宅用地审批（镇街）", "01"),
    ("流动人口居住登记（镇街）", "20"),
    ("低保边缘家庭认定（镇街）", "05"), ("临时救助申请（镇街）", "05"), ("老年优待证办理（镇街）", "20"),
]
MATERIAL_POOL = {
    "person": [("申请人有效身份证件", 1, 0), ("申请表", 1, 0), ("户口簿", 1, 1)],
    "company": [("营业执照", 0, 1), ("法定代表人身份证件", 0, 1), ("申请书", 1, 0), ("授权委托书", 1, 0)],
    "licence": [("经营场所使用证明", 0, 1), ("设施设备布局图", 1, 0), ("相关制度文件", 1, 0),
                ("专业技术人员资格证明", 0, 1), ("项目可行性研究报告", 1, 0)],
}
PHONES = {"HN-SJJ": "0573-87222315", "HN-ZJJ": "0573-87281203", "HN-RSJ": "0573-87036012",
          "HN-GAJ": "0573-87091001", "HN-ZRJ": "0573-87235678"}


def make_uscc(serial: int, division: str = "330481", prefix: str = "11") -> str:
    """A valid 统一社会信用代码 for a demo body (机关 "11" by default): org code from ``serial``."""
    from zhengshu.identifiers import org_code, uscc

    body = f"{serial:08d}"
    org = body + org_code.make_check_char(body)
    first17 = f"{prefix}{division}{org}"
    return first17 + uscc.make_check_char(first17)


def department_uscc(dept) -> str:
    return dept.uscc or make_uscc(2_000_000 + dept.pk)


def demo_items(departments: dict) -> list[tuple]:
    """[(department, name, type, sequence)] for the demo catalogue."""
    rows = []
    for code, items in CITY_ITEMS.items():
        if code in departments:
            rows += [(departments[code], name, kind, i + 1) for i, (name, kind) in enumerate(items)]
    towns = sorted((d for c, d in departments.items() if c.startswith("HN-3304")), key=lambda d: d.code)
    for town in towns:
        rows += [(town, name, kind, i + 1) for i, (name, kind) in enumerate(TOWN_ITEMS)]
    return rows


def demo_process(promised: int | None) -> str:
    """A 办理流程 one step a line, with step times that add up to the promised limit (quality rule Q05)."""
    if not promised:
        return "1. 申请（浙里办/政务服务网/窗口）\n2. 受理、审查、决定（即办）\n3. 送达"
    accept = "受理（1个工作日）" if promised > 1 else "受理（当场）"
    review = promised - 1 if promised > 1 else 1
    return f"1. 申请（浙里办/政务服务网/窗口）\n2. {accept}\n3. 审查与决定（{review}个工作日）\n4. 送达"


def build_item(dept, name: str, kind: str, seq: int, rnd: random.Random, *, cross_region: bool):
    from zhengshu.govservices.models import LimitUnit, Material, ServiceItem

    town = dept.code.startswith("HN-3304")
    level = "5" if town else "4"
    basic = f"33{kind}{seq:05d}000" if not town else f"33{kind}{90000 + seq:05d}000"
    uscc = department_uscc(dept)
    licensing = kind == "01"
    immediate = (not licensing and rnd.random() < 0.82) or (licensing and rnd.random() < 0.15)
    legal = rnd.choice((20, 20, 15, 30, 10)) if licensing or not immediate else rnd.choice((5, 10, 20))
    promised = None if immediate else max(1, min(legal, rnd.choice((1, 2, 3, 5, 7))))
    full_online = rnd.random() < 0.93 or cross_region
    visits = 0 if full_online or rnd.random() < 0.6 else 1
    forms = ["1", "2", "3"] if full_online else (["1", "4"] if visits == 0 else ["1"])
    company = kind in ("01", "10") or "企业" in name or "公司" in name
    objects = ["2"] if company else ["1"]
    item = ServiceItem(
        department=dept, name=name, basic_code=basic, implementation_code=uscc + level + basic,
        implementing_uscc=uscc, item_type=kind, exercise_level=level, legal_limit=legal,
        legal_limit_unit=LimitUnit.WORKDAY, promised_limit=promised, promised_limit_unit=LimitUnit.WORKDAY,
        is_immediate=immediate, visits=visits, onsite_reason="须现场核验原件并采集信息" if visits else "",
        handling_forms=forms, online_depth="4" if full_online else rnd.choice(("2", "3")), service_objects=objects,
        cross_region_scope="2" if cross_region else "", fee=licensing and seq % 9 == 0, allows_commitment=licensing and rnd.random() < 0.4,
        consult_phone=PHONES.get(dept.code, "0573-12345"), supervise_phone="0573-12345" if dept.code in PHONES else "",
        handling_address=f"海宁市民之家（{dept.short_name or dept.name}窗口）" if not town else f"{dept.name}便民服务中心",
        handling_time="工作日 8:30–12:00，13:30–17:00",
        acceptance_conditions=f"符合《{name}》相关法律法规规定的条件；申请材料齐全、符合法定形式。",
        process=demo_process(promised),
        faq=f"问：{name}可以网上办吗？\n答：可以，登录浙里办搜索“{name}”即可在线申请。" if full_online
        else f"问：{name}需要本人到现场吗？\n答：需到窗口核验原件一次。",
        result_name=name.split("（")[0] if licensing else "",
        keywords="开个体户、个体户登记" if "个体工商户设立" in name else "",
        status="draft",
    )
    pool = MATERIAL_POOL["company" if company else "person"] + (MATERIAL_POOL["licence"][: rnd.randint(1, 4)]
                                                              if licensing else [])
    materials = []
    for index, (mname, originals, copies) in enumerate(pool):
        secondary = index >= 2 and not immediate
        missing = secondary and rnd.random() < 0.35
        days = min(promised or 5, rnd.choice((3, 5))) if missing else None
        materials.append(Material(name=mname, originals=originals, copies=copies, required=index < 3 or licensing,
                                  may_be_missing=missing, missing_max_workdays=days,
                                  commitment_allowed=item.allows_commitment and index >= 2, sort=(index + 1) * 10))
    return item, materials


@seeder(100, "政务服务代码表")
def seed_code_tables() -> str:
    """Add code values missing from the GB/T 39046 seed (never overwrites what staff have edited)."""
    from zhengshu.govservices.codes import seed_rows
    from zhengshu.govservices.models import CodeValue

    existing = set(CodeValue.objects.values_list("table", "code"))
    new = [CodeValue(table=t, code=c, name=n, aliases=a, sort=s) for t, c, n, a, s in seed_rows()
           if (t, c) not in existing]
    CodeValue.objects.bulk_create(new)
    return f"代码值 {CodeValue.objects.count()} 个（本次新增 {len(new)}）"


def save_published(new_items: list[tuple]) -> list:
    """Bulk-insert ``(item, materials)`` pairs made by ``build_item`` and publish them (quality rules suspended
    meanwhile); returns the saved items. Bulk rows: the change log does not hold them."""
    from zhengshu.govservices.catalogue_io import _publish_all
    from zhengshu.govservices.models import Material, ServiceItem
    from zhengshu.govservices.rules import suspended

    with suspended():
        ServiceItem.objects.bulk_create([i for i, _m in new_items], batch_size=1000)
        saved = {i.implementation_code: i for i in ServiceItem.objects.filter(
            implementation_code__in=[i.implementation_code for i, _m in new_items])}
        new_materials = []
        for item, materials in new_items:
            for m in materials:
                m.item = saved[item.implementation_code]
                new_materials.append(m)
        Material.objects.bulk_create(new_materials, batch_size=2000)
        _publish_all(list(saved.values()))
    return list(saved.values())


@seeder(110, "政务服务事项目录")
def seed_catalogue() -> str:
    from zhengshu.accounts.models import User
    from zhengshu.govservices.models import ServiceItem
    from zhengshu.govservices.rules import refresh_findings
    from zhengshu.orgs.models import Department

    departments = {d.code: d for d in Department.objects.all()}
    rows = demo_items(departments)
    rnd = random.Random(20231231)
    # 119 跨省通办 items ("异地无忧"), chosen among the high-frequency person-facing ones.
    eligible = [i for i, r in enumerate(rows) if r[2] in ("05", "07", "20")]
    cross = set(rnd.sample(eligible, min(119, len(eligible))))
    existing = set(ServiceItem.objects.values_list("implementation_code", flat=True))
    new_items = []
    for index, (dept, name, kind, seq) in enumerate(rows):
        item, materials = build_item(dept, name, kind, seq, rnd, cross_region=index in cross)
        if item.implementation_code in existing:
            continue
        new_items.append((item, materials))
    saved = save_published(new_items)
    refresh_findings(ServiceItem.objects.filter(pk__in=[i.pk for i in saved]))
    users = {u.username: u for u in User.objects.filter(username__in=(
        "clerk_a", "colleague_a", "outsider_b", "town_clerk", "auditor", "dataofficer", "supervisor"))}
    from zhengshu.govservices.permissions import grant_catalogue_permissions

    grant_catalogue_permissions(users)
    total = ServiceItem.objects.count()
    materials = sum(len(m) for _i, m in new_items)
    return f"事项 {total} 项（本次新增 {len(new_items)}，材料 {materials} 份），跨省通办 {len(cross)} 项"

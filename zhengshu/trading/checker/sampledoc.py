"""A generated construction tender document (docx) of a chosen size, for the benchmark and the tests.

The text is ordinary compliant tender language with a few planted violations in known places, so a run over it
shows both speed and whether ordinary boilerplate raises findings.
"""

from __future__ import annotations

import io
import random

PLANTED = [
    ("qualification", "QX-07", "投标人注册地须位于嘉兴市行政区域内，并提供营业执照复印件。"),
    ("qualification", "QX-08", "投标人近三年年均营业收入不低于1亿元。"),
    ("scoring", "QX-03", "投标人近三年在海宁市行政区域内承建过类似道路工程的，每项加1分，最多加3分。"),
    ("rejection", "QX-23", "投标文件未按要求胶装或页码不连续的，作否决投标处理。"),
    ("notice", "QX-18", "投标保证金：人民币叁拾万元整。"),
    ("technical", "QX-05", "路灯灯具须采用飞利浦品牌产品。"),
    ("performance", "QX-19", "中标人应在签订合同前提交中标合同金额20%的履约保证金。"),
    ("notice", "QX-16", "潜在投标人须携带营业执照原件、资质证书原件到招标代理机构报名。"),
]
FACTS = {"regime": "工程招标", "kind": "工程施工", "estimated_price_yuan": 6_000_000, "must_tender": True,
         "doc_issue_date": "2025-03-03", "bid_deadline": "2025-03-25"}

NOTICE = [
    "本招标项目海宁市{town}{road}道路提升改造工程已由海宁市发展和改革局以海发改投〔2025〕{n}号批准建设，项目业主为海宁市{town}人民政府，"
    "建设资金来自财政资金，项目出资比例为100%，招标人为海宁市{town}人民政府。项目已具备招标条件，现对该项目的施工进行公开招标。",
    "建设地点：海宁市{town}。建设规模：道路全长约{km}公里，路幅宽度{w}米，主要内容包括道路、排水、照明、绿化及交通设施工程。",
    "计划工期：{days}日历天。质量要求：合格，符合国家现行有关施工质量验收规范的要求。",
    "投标人须具备市政公用工程施工总承包三级及以上资质，并具有有效的安全生产许可证。",
    "拟派项目负责人须具备市政公用工程专业二级及以上注册建造师执业资格，具备有效的安全生产考核合格证书（B证），且未担任其他在施建设工程项目的项目负责人。",
    "本次招标不接受联合体投标。",
    "潜在投标人应登录海宁市公共资源交易平台，使用数字证书下载招标文件，招标文件免费提供。",
    "投标文件递交的截止时间（投标截止时间，下同）为2025年3月25日9时30分，投标人应在截止时间前通过交易平台递交电子投标文件。",
    "逾期送达的或者未送达指定地点的投标文件，招标人不予受理。",
    "本次招标公告在浙江省公共资源交易服务平台和海宁市公共资源交易平台上发布。",
]
INSTRUCTIONS = [
    "投标人应按招标文件的要求编制投标文件，投标文件应当对招标文件有关工期、投标有效期、质量要求、技术标准和要求、招标范围等实质性内容作出响应。",
    "投标人对招标文件有疑问的，应在投标截止时间17天前以书面形式提出，招标人将以书面形式通知所有获取招标文件的潜在投标人。",
    "招标文件的澄清将在投标截止时间15天前发出。如果澄清发出的时间距投标截止时间不足15天，相应延长投标截止时间。",
    "投标有效期为{valid}天，在投标有效期内，投标人撤销或修改其投标文件的，应承担相应的法律责任。",
    "投标人在投标截止时间前可以修改或撤回已递交的投标文件，但应以书面形式通知招标人。",
    "投标人不得以他人名义投标，不得与其他投标人相互串通投标或者与招标人串通投标，不得向招标人或者评标委员会成员行贿谋取中标。",
    "与招标人存在利害关系可能影响招标公正性的法人、其他组织或者个人，不得参加投标。",
    "单位负责人为同一人或者存在控股、管理关系的不同单位，不得参加同一标段投标。",
    "招标人不组织统一踏勘，投标人可自行踏勘项目现场，踏勘中发生的人身伤害和财产损失由投标人自行负责。",
    "投标人应充分考虑物价变化等风险因素，投标报价应包括完成招标范围内全部工作内容所需的一切费用。",
    "本项目设最高投标限价，最高投标限价为{limit}万元，投标报价高于最高投标限价的，其投标将被否决。",
    "投标保证金可采用银行转账、银行保函、保证保险或电子保函等形式提交，以银行转账方式提交的应从投标人基本账户转出。",
    "招标人将在与中标人签订合同后5日内，向中标人和未中标的投标人退还投标保证金及银行同期存款利息。",
    "开标采用不见面开标方式，投标人在线参加开标并在规定时间内完成投标文件解密。",
    "评标由招标人依法组建的评标委员会负责，评标委员会由招标人代表和从浙江省综合评标专家库中随机抽取的专家组成。",
    "招标人将在收到评标报告之日起3日内公示中标候选人，公示期不少于3日。",
    "招标人和中标人应当自中标通知书发出之日起30日内，根据招标文件和中标人的投标文件订立书面合同。",
    "投标人或者其他利害关系人认为招标投标活动不符合法律、行政法规规定的，可以自知道或者应当知道之日起10日内向有关行政监督部门投诉。",
]
QUALIFICATION = [
    "投标人须具有独立法人资格，持有有效的营业执照。",
    "投标人须具备市政公用工程施工总承包三级及以上资质，并具有有效的安全生产许可证。",
    "投标人近三年内未发生重大工程质量事故和较大及以上生产安全事故。",
    "投标人不得处于被责令停业、投标资格被取消、财产被接管、冻结或破产状态。",
    "投标人及其法定代表人、拟派项目负责人不得被列为失信被执行人，以“信用中国”网站查询结果为准。",
    "拟派项目负责人须具备市政公用工程专业二级及以上注册建造师执业资格，且无在建项目。",
    "拟派技术负责人须具有市政工程相关专业中级及以上职称。",
]
SCORING_ROWS = [
    ("施工方案与技术措施", "施工方案包括以下要素：施工部署、主要分项工程施工方法、交通组织，每项内容完整、针对本工程特点的得1分", "3"),
    ("质量管理体系与措施", "质量保证措施包含以下4项要素：质量目标、组织机构、检验制度、质量通病防治，每项齐全得0.5分", "2"),
    ("安全文明施工措施", "安全文明施工措施包含以下4项要素：安全组织、专项方案、文明施工、应急预案，每项齐全得0.5分", "2"),
    ("工程进度计划", "进度计划满足招标工期且关键线路清晰的得2分，满足工期但关键线路不清晰的得1分", "2"),
    ("投标报价", "以有效投标报价的算术平均值下浮3%为评标基准价，投标报价等于评标基准价的得满分，每高于1%扣1分", "60"),
    ("类似工程业绩", "投标人近三年承建过类似道路工程（不限地域）的，每项得1分", "3"),
]
REJECTION = [
    "投标文件未经投标单位盖章和单位负责人签字的，评标委员会应当否决其投标。",
    "投标联合体没有提交共同投标协议的，评标委员会应当否决其投标。",
    "投标人不符合国家或者招标文件规定的资格条件的，评标委员会应当否决其投标。",
    "同一投标人提交两个以上不同的投标文件或者投标报价的，但招标文件要求提交备选投标的除外。",
    "投标报价低于成本或者高于招标文件设定的最高投标限价的，评标委员会应当否决其投标。",
    "投标文件没有对招标文件的实质性要求和条件作出响应的，评标委员会应当否决其投标。",
    "投标人有串通投标、弄虚作假、行贿等违法行为的，评标委员会应当否决其投标。",
]
CONTRACT = [
    "合同价款采用固定单价方式确定，工程量按实计量，综合单价除合同约定的情形外不作调整。",
    "发包人应在合同签订后14天内支付合同价款的{adv}%作为预付款，预付款在进度款中按比例扣回。",
    "工程进度款按月支付，每月支付经监理人审核确认的已完工程价款的{pay}%。",
    "工程竣工验收合格并办理结算审计后，支付至结算审定价的97%，余款作为质量保证金，缺陷责任期满后无息退还。",
    "承包人应按合同约定的工期完成全部工程，每延误一天，按合同价款的万分之五支付违约金。",
    "履约担保为中标合同金额的5%，可采用银行保函或保证保险形式提交。",
    "承包人不得将其承包的全部工程转包给第三人，不得将主体结构的施工进行分包。",
    "承包人应按浙江省有关规定存储农民工工资保证金，并实行农民工实名制管理和工资专用账户代发。",
    "缺陷责任期为{dl}个月，自工程通过竣工验收之日起计算。",
    "因设计变更引起的工程量增减，按合同约定的计价原则调整合同价款。",
]
TECH = [
    "沥青混凝土面层应符合《公路沥青路面施工技术规范》JTG F40 的要求，压实度不小于{pc}%。",
    "水泥稳定碎石基层7天无侧限抗压强度应不小于{mpa}MPa，施工时应严格控制含水量和碾压遍数。",
    "雨水管道采用Ⅱ级钢筋混凝土管，承插式橡胶圈接口，管道基础采用{deg}°砂石基础。",
    "路灯灯具光效不低于130lm/W，显色指数Ra不小于70，防护等级不低于IP66，应符合 GB 7000.1 的规定。",
    "检查井采用钢筋混凝土预制装配式检查井，井盖采用球墨铸铁防沉降井盖，承载等级不低于D400。",
    "绿化苗木应生长健壮、树形端正、无病虫害，胸径偏差不超过±0.5厘米。",
    "交通标线采用热熔型反光标线，干膜厚度为1.8毫米±0.2毫米，应符合 GB/T 16311 的规定。",
    "施工期间应做好交通组织，设置必要的警示标志和隔离设施，确保行人和车辆安全通行。",
]
BOQ_ITEMS = ["挖一般土方", "沥青混凝土面层AC-13C", "沥青混凝土面层AC-20C", "水泥稳定碎石基层", "级配碎石垫层",
             "钢筋混凝土排水管DN600", "钢筋混凝土排水管DN800", "检查井", "雨水口", "路缘石", "人行道透水砖铺装",
             "路灯基础", "LED路灯", "电缆YJV-0.6/1kV-4×25", "行道树栽植", "交通标线", "标志牌", "土工格栅"]
TOWNS = ["许村镇", "长安镇", "周王庙镇", "盐官镇", "丁桥镇", "斜桥镇", "袁花镇", "黄湾镇", "海昌街道", "硖石街道"]


def generate(target_chars: int = 200_000, seed: int = 2025, planted: bool = True) -> tuple[bytes, list]:
    """A docx of about ``target_chars`` characters; returns its bytes and the planted (rule, text) pairs."""
    import docx

    rnd = random.Random(seed)
    doc = docx.Document()
    chars = 0
    planted_out = []

    def fill(t: str) -> str:
        return t.format(town=rnd.choice(TOWNS), road=rnd.choice(["文苑路", "硖川路", "海州路", "长安路", "钱江路"]),
                        n=rnd.randint(10, 199), km=rnd.choice(["1.2", "2.4", "3.1"]), w=rnd.choice([16, 24, 32]),
                        days=rnd.choice([180, 240, 300]), valid=rnd.choice([60, 90]), limit=rnd.choice([586.3, 612.8]),
                        adv=rnd.choice([10, 20, 30]), pay=rnd.choice([70, 75, 80]), dl=rnd.choice([12, 24]),
                        pc=rnd.choice([96, 97, 98]), mpa=rnd.choice([3, 3.5, 4]), deg=rnd.choice([120, 180]))

    def para(t: str, style=None):
        nonlocal chars
        doc.add_paragraph(t, style=style)
        chars += len(t) + 1

    def plant(where: str):
        if not planted:
            return
        for w, rule, text in PLANTED:
            if w == where:
                para(text)
                planted_out.append((rule, text))

    def table(rows, header):
        nonlocal chars
        tbl = doc.add_table(rows=len(rows) + 1, cols=len(header))
        for cell, text in zip(tbl.rows[0].cells, header):
            cell.text = text
        for r, row in enumerate(rows, 1):
            for cell, text in zip(tbl.rows[r].cells, row):
                cell.text = str(text)
        chars += sum(len("\t".join(map(str, row))) + 1 for row in [header, *rows])

    chapter = 0

    def heading(title):
        nonlocal chapter
        chapter += 1
        para(f"第{'一二三四五六七八九十'[chapter - 1]}章 {title}")

    heading("招标公告")
    for i, t in enumerate(NOTICE, 1):
        para(f"{i}. {fill(t)}")
    plant("notice")
    heading("投标人须知")
    para("投标人须知前附表")
    table([(f"1.{i}", name, fill(value)) for i, (name, value) in enumerate([
        ("招标人", "海宁市{town}人民政府"), ("项目名称", "{road}道路提升改造工程"), ("计划工期", "{days}日历天"),
        ("质量要求", "合格"), ("投标有效期", "{valid}天"), ("最高投标限价", "{limit}万元"),
        ("是否接受联合体投标", "不接受"), ("踏勘现场", "不组织"), ("投标预备会", "不召开")], 1)],
        ("条款号", "条款名称", "编列内容"))
    for i, t in enumerate(INSTRUCTIONS, 1):
        para(f"{i}.1 {fill(t)}")
    para("一、投标人资格要求")
    for i, t in enumerate(QUALIFICATION, 1):
        para(f"（{i}）{fill(t)}")
    plant("qualification")
    heading("评标办法")
    para("一、评分标准")
    table([(a, b, c) for a, b, c in SCORING_ROWS], ("评分因素", "评分标准", "分值"))
    plant("scoring")
    para("二、否决投标条件")
    for i, t in enumerate(REJECTION, 1):
        para(f"{i}. {t}")
    plant("rejection")
    heading("合同条款及格式")
    for i, t in enumerate(CONTRACT, 1):
        para(f"{i}. {fill(t)}")
    plant("performance")
    heading("技术标准和要求")
    plant("technical")
    heading("工程量清单")
    n = 0
    while chars < target_chars * 0.55:
        rows = []
        for _ in range(40):
            n += 1
            item = rnd.choice(BOQ_ITEMS)
            qty = round(rnd.uniform(10, 5000), 2)
            price = round(rnd.uniform(20, 900), 2)
            rows.append((n, f"0402{n:05d}", item, f"{item}，详见设计图纸及相关规范", rnd.choice(["m", "m2", "m3", "座", "套"]),
                         qty, price, round(qty * price, 2)))
        table(rows, ("序号", "项目编码", "项目名称", "项目特征描述", "计量单位", "工程量", "综合单价（元）", "合价（元）"))
    heading("施工技术要求细则")
    k = 0
    while chars < target_chars:
        k += 1
        para(f"{k}. 分项工程技术要求（{k}）")
        for j in range(1, 5):
            para(f"{k}.{j} {fill(rnd.choice(TECH))}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue(), planted_out

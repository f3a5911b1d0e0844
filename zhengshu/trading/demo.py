"""Demo data for 2023: about 253 tenders (196 under 评定分离, 77.6%), bids, savings near the report's
(政府采购 ¥15M, 6.8%), 5 clues (6 firms, 21 person-times, ¥113M), village projects across Haining's towns,
and a few tender documents with findings. Enterprises and people are invented and marked 演示.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhengshu.core.demo import seeder
from zhengshu.identifiers import org_code
from zhengshu.identifiers.uscc import make_check_char
from zhengshu.trading.choices import (
    AwardMethod, DecryptStatus, Kind, Method, Regime, Stage, VillageCategory, VillageMethod, VillageStage,
)

D = Decimal
YEAR = 2023
TENDERS, SEPARATED, PROCUREMENT = 253, 196, 40
PROCUREMENT_SAVING_RATE = D("0.068")
PROCUREMENT_BUDGET_TOTAL = D("220600000")  # ≈ ¥15M ÷ 6.8%
DEMO_TIERS = (  # [演示值]：须以《海宁市村级工程建设管理办法》的分档替换
    ("小额：村级自行组织", D(0), D(100000), VillageMethod.SELF, "演示分档（待按《海宁市村级工程建设管理办法》核定）"),
    ("中额：镇（街道）平台", D(100000), D(1000000), VillageMethod.TOWN_PLATFORM, "演示分档（待核定）"),
    ("限额以下：小型工程交易平台", D(1000000), D(4000000), VillageMethod.SMALL_PLATFORM, "演示分档（待核定）"),
    ("必须招标", D(4000000), None, VillageMethod.PUBLIC_TENDER, "《必须招标的工程项目规定》第5条"),
)
WORDS = "恒达 宏远 嘉禾 钱塘 潮城 盐官 长安 硖川 许村 丁桥 斜桥 周王 袁花 黄湾 马桥 海昌 尖山 东山 西山 金龙 天宇 华鼎 中瑞 永盛 同创 博远 鸿升 联丰 新塘 兴隆".split()
TRADES = ("建设", "市政工程", "水利建设", "园林绿化", "建筑安装", "交通工程", "电力工程", "装饰工程")
SUPPLIERS = ("信息技术", "医疗器械", "教学设备", "物业服务", "环境科技", "办公设备")
WORKS_NAMES = ("道路提升改造工程", "河道综合整治工程", "学校校舍改造工程", "农贸市场改造工程", "污水管网改造工程",
               "公园景观提升工程", "桥梁维修加固工程", "安置房配套工程", "排涝泵站工程", "卫生院改扩建工程")
GOODS_NAMES = ("教学设备采购", "医疗设备采购", "信息化设备采购", "物业管理服务采购", "环卫保洁服务采购", "办公家具采购")
TENDERERS = ("HN-ZJJ", "HN-JTJ", "HN-SLJ", "HN-JYJ", "HN-WJJ", "HN-SJJ", "HN-ZRJ", "HN-NYJ")
AGENCIES = ("浙江示范工程咨询有限公司（演示）", "海宁示范招标代理有限公司（演示）", "嘉兴示范项目管理有限公司（演示）")
SURNAMES = "张王李赵钱孙周吴郑冯陈褚卫蒋沈韩杨朱秦许何吕施"
GIVEN = "建国 海峰 丽华 志强 秀英 伟 敏 军 芳 涛 磊 静 勇 艳 杰".split()


def make_uscc(n: int) -> str:
    """A well-formed demo USCC registered in Haining (330481) for number ``n``."""
    body = f"MA{n:06d}"
    org = body + org_code.make_check_char(body)
    first17 = "91330481" + org
    return first17 + make_check_char(first17)


def _person(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _enterprises():
    from zhengshu.trading.models import Enterprise

    firms = []
    for i, word in enumerate(WORDS):
        for j, trade in enumerate(TRADES[:3] if i < 20 else SUPPLIERS[:2]):
            n = 1000 + i * 10 + j
            name = f"海宁{word}{trade}有限公司（演示）"
            firm = Enterprise.objects.filter(uscc=make_uscc(n)).first() or Enterprise(uscc=make_uscc(n))
            firm.name, firm.region = name, "浙江省嘉兴市海宁市"
            firm.save()
            firms.append(firm)
    return firms


def _bond_round(value: Decimal) -> Decimal:
    return (value / 1000).quantize(D(1)) * 1000


def _tenders(rng, firms, departments, supervisor):
    from zhengshu.trading.models import (
        AwardCommittee, AwardMember, Bid, Candidate, EvaluationReport, OpeningLogEntry, TenderProject,
    )

    contractors = [f for f in firms if "建设" in f.name or "工程" in f.name or "安装" in f.name]
    suppliers = [f for f in firms if f not in contractors]
    # procurement budgets summing to the target, savings rates around 6.8%
    weights = [rng.uniform(0.4, 1.6) for _ in range(PROCUREMENT)]
    budgets = [(PROCUREMENT_BUDGET_TOTAL * D(w) / D(sum(weights))).quantize(D(1000)) for w in weights]
    raw = [D(str(round(max(0.01, rng.gauss(float(PROCUREMENT_SAVING_RATE), 0.025)), 4))) for _ in budgets]
    scale = PROCUREMENT_SAVING_RATE * sum(budgets) / sum(b * r for b, r in zip(budgets, raw, strict=True))
    proc_rates = [(r * scale).quantize(D("0.0001")) for r in raw]  # the year's rate is the report's 6.8%
    created = 0
    bids_rows, opening_rows, candidate_rows, member_rows = [], [], [], []
    for i in range(TENDERS):
        is_proc = i >= TENDERS - PROCUREMENT
        separated = not is_proc and i < SEPARATED
        day0 = dt.date(YEAR, 1, 4) + dt.timedelta(days=rng.randint(0, 300))
        dept = departments[TENDERERS[i % len(TENDERERS)]]
        if is_proc:
            kind = rng.choice([Kind.GOODS, Kind.SERVICES])
            name = f"{dept.short_name or dept.name}{rng.choice(GOODS_NAMES)}"
            budget = budgets[i - (TENDERS - PROCUREMENT)]
            estimate = None
            rate = proc_rates[i - (TENDERS - PROCUREMENT)]
            pool = suppliers
        else:
            kind = Kind.CONSTRUCTION if i % 9 else Kind.DESIGN
            name = f"{rng.choice(WORDS)}{rng.choice(WORKS_NAMES)}"
            estimate = D(rng.randint(120, 3200)) * 10000
            budget = None
            rate = D(str(round(rng.uniform(0.03, 0.12), 4)))
            pool = contractors
        reference = budget or estimate
        in_progress = i % 23 == 5 and not is_proc  # a few works still running at the end of the year
        issue = day0 + dt.timedelta(days=3)
        deadline = issue + dt.timedelta(days=rng.choice([20, 21, 22, 25, 28] if i % 37 else [18]))
        report = deadline + dt.timedelta(days=2)
        pub_start = report + dt.timedelta(days=1)
        pub_end = pub_start + dt.timedelta(days=3)
        award = pub_end + dt.timedelta(days=rng.randint(1, 4))
        notif = award + dt.timedelta(days=4)
        contract = notif + dt.timedelta(days=rng.randint(5, 28) if i % 41 else 35)
        p = TenderProject(
            code=f"HN{'CG' if is_proc else 'GC'}{YEAR}-{i + 1:03d}", name=name,
            regime=Regime.PROCUREMENT if is_proc else Regime.WORKS, kind=kind, method=Method.OPEN,
            department=dept, tenderer_name=dept.name, agency=rng.choice(AGENCIES),
            estimated_price_yuan=estimate, budget_yuan=budget, separated=separated,
            separation_basis="建市规〔2022〕5号；海宁市评定分离工作要求（演示）" if separated else "",
            planned_date=day0, notice_date=day0 + dt.timedelta(days=1), doc_issue_date=issue,
            doc_sale_end=issue + dt.timedelta(days=7), bid_deadline=deadline, opening_date=deadline,
            bid_bond_yuan=_bond_round(reference * D("0.015")), bid_validity_end=deadline + dt.timedelta(days=90),
            description="演示数据")
        if in_progress:
            p.stage = Stage.DOCS
            p.opening_date = None
            p.save()
            created += 1
            continue
        p.evaluation_report_date, p.candidate_publicity_start, p.candidate_publicity_end = report, pub_start, pub_end
        p.award_date = award
        p.award_publicity_start, p.award_publicity_end = award + dt.timedelta(days=1), award + dt.timedelta(days=4)
        p.notification_date, p.contract_date = notif, contract
        p.stage = Stage.ACCEPTANCE if contract < dt.date(YEAR, 10, 1) else Stage.CONTRACT
        if p.stage == Stage.ACCEPTANCE:
            p.acceptance_date = contract + dt.timedelta(days=rng.randint(40, 90))
        n_bids = rng.randint(3, 8)
        bidders = rng.sample(pool, n_bids)
        award_price = (reference * (1 - rate)).quantize(D(1))
        prices = [award_price] + [(award_price * D(str(round(rng.uniform(1.0, 1.08), 4)))).quantize(D(1))
                                  for _ in range(n_bids - 1)]
        winner = bidders[0]
        p.winner, p.award_amount_yuan = winner, award_price
        p.performance_bond_yuan = _bond_round(award_price * D("0.05"))
        p.save()
        created += 1
        when = timezone.make_aware(dt.datetime.combine(deadline, dt.time(9, 30)))
        opening_rows.append(OpeningLogEntry(project=p, time=when, event="开标开始", message=f"递交投标文件 {n_bids} 份"))
        bids = []
        for k, (firm, price) in enumerate(zip(bidders, prices, strict=True)):
            bid = Bid(project=p, bidder=firm, price_yuan=price,
                      submitted_at=when - dt.timedelta(hours=rng.randint(2, 72)),
                      decrypt_status=DecryptStatus.OK, decrypted_at=when + dt.timedelta(minutes=k + 1))
            bids.append(bid)
            opening_rows.append(OpeningLogEntry(project=p, time=when + dt.timedelta(minutes=k + 1), event="解密",
                                                message=f"{firm}：解密成功"))
        Bid.objects.bulk_create(bids)
        bids_rows += bids
        if separated:
            ev = EvaluationReport.objects.create(project=p, report_date=report, committee_size=5, ranked=False,
                                                 remarks="经评审，推荐以下合格投标人为定标候选人（不排序）")
            chosen = bids[:3]
            candidate_rows += [Candidate(report=ev, bid=b, remarks="技术、商务响应合格") for b in chosen]
            method = (AwardMethod.VOTE_DIRECT if i % 4 else
                      AwardMethod.COLLECTIVE if i % 8 else AwardMethod.PRICE_LOWEST)
            if i in (17, 88):
                method = AwardMethod.VOTE_LOT  # flagged for review (1117)
            committee = AwardCommittee.objects.create(
                project=p, formed_on=award - dt.timedelta(days=1), method=method, decided_on=award, winner=winner,
                rationale="综合清标报告、履约评价和信用情况，中标人技术方案最优、报价合理（择优）",
                compliance_basis="先票决 2 家再抽签，已报监督部门复核（演示）" if method == AwardMethod.VOTE_LOT else "",
                supervisor_present=supervisor.full_name if supervisor else "", recorded=True)
            for k in range(5):
                vote = winner if (method in (AwardMethod.VOTE_DIRECT, AwardMethod.VOTE_LOT) and k < 3) else (
                    rng.choice([b.bidder for b in chosen]) if method == AwardMethod.VOTE_DIRECT else None)
                member_rows.append(AwardMember(committee=committee, name=_person(rng), position="定标委员",
                                               declared=True, vote_for=vote, reason="方案优、履约好" if vote else ""))
    OpeningLogEntry.objects.bulk_create(opening_rows)
    Candidate.objects.bulk_create(candidate_rows)
    AwardMember.objects.bulk_create(member_rows)
    return created, len(bids_rows)


def _credit(rng, firms):
    from zhengshu.trading.models import AdverseRecord, Clue, TenderProject

    involved = firms[3:9]
    records = [
        (involved[0], "CR-01", dt.date(2023, 4, 12), dt.date(2025, 4, 11)),
        (involved[1], "CR-01", dt.date(2023, 4, 12), dt.date(2025, 4, 11)),
        (involved[2], "CR-02", dt.date(2023, 6, 8), dt.date(2024, 6, 7)),
        (involved[3], "CR-03", dt.date(2023, 8, 21), None),
        (involved[4], "CR-09", dt.date(2022, 11, 3), None),
        (involved[5], "CR-01", dt.date(2023, 10, 16), dt.date(2025, 10, 15)),
        (firms[12], "CR-10", dt.date(2017, 5, 2), None),  # past its 5-year disclosure: no longer counts
    ]
    for firm, kind, day, debar in records:
        AdverseRecord.objects.get_or_create(
            enterprise=firm, type=kind, decided_on=day,
            defaults={"debarred_until": debar, "authority": "海宁市住房和城乡建设局", "basis": "《招标投标法》第53、54条",
                      "document_no": f"海住建罚〔{day.year}〕{rng.randint(10, 99)}号（演示）", "summary": "演示数据"})
    projects = list(TenderProject.objects.filter(code__startswith=f"HNGC{YEAR}-")[:5])
    clues = [  # (firms, person-times, amount ¥) — 5 clues, 6 firms, 21 person-times, ¥113M in total
        ([0, 1], 6, D("38600000"), "海宁市纪委监委", "两家投标人投标文件由同一电脑编制、保证金从同一账户转出，疑似串通投标"),
        ([2], 4, D("21500000"), "海宁市公安局", "投标人提供的项目经理业绩证明疑似伪造"),
        ([3], 3, D("12800000"), "海宁市住房和城乡建设局", "中标后疑似借用资质、由他人实际施工"),
        ([4], 3, D("9100000"), "海宁市人力资源和社会保障局", "中标单位拖欠农民工工资并在后续投标中隐瞒"),
        ([5, 0], 5, D("31000000"), "海宁市纪委监委", "招标人工作人员与投标人存在利益往来线索"),
    ]
    for k, (idx, persons, amount, recipient, summary) in enumerate(clues):
        clue, _ = Clue.objects.get_or_create(
            code=f"XS{YEAR}-{k + 1:02d}",
            defaults={"project": projects[k] if k < len(projects) else None,
                      "transferred_on": dt.date(YEAR, 3 + 2 * k, 10), "recipient": recipient,
                      "summary": summary + "（演示）", "person_times": persons, "amount_yuan": amount})
        clue.firms.set([involved[j] for j in idx])


def _villages(rng, firms):
    from zhengshu.orgs.models import Department, Division
    from zhengshu.trading.models import VillageProject, VillageTier

    for name, low, high, method, basis in DEMO_TIERS:
        VillageTier.objects.get_or_create(name=name, effective_from=dt.date(YEAR, 1, 1),
                                          defaults={"min_yuan": low, "max_yuan": high, "method": method,
                                                    "basis": basis})
    tiers = list(VillageTier.objects.all())
    from zhengshu.trading.village import tier_for

    towns = list(Division.objects.filter(code__startswith="330481", level="township").order_by("code"))
    contractors = [f for f in firms if "建设" in f.name or "工程" in f.name]
    n = 0
    stages = list(VillageStage)
    for t_index, town in enumerate(towns):
        dept = Department.objects.filter(code=f"HN-{town.code}").first()
        if dept is None:
            continue
        for v in range(1, 5):
            village_code = f"{town.code}{200 + v:03d}"
            village_name = f"{town.name[:2]}{'东西南北'[v - 1]}村（演示）"
            for k in range(rng.randint(1, 3)):
                n += 1
                amount = D(rng.choice([3, 6, 8, 15, 25, 45, 80, 120, 180])) * 10000
                start = dt.date(YEAR, 1, 10) + dt.timedelta(days=rng.randint(0, 300))
                stage = stages[min(len(stages) - 1, rng.randint(1, 8))]
                _village(n, dept, town, village_code, village_name, amount, start, stage, rng, contractors, tiers,
                         tier_for)
        if t_index % 4 == 0:  # a split below the 10万 band: two road jobs of one village within months
            code = f"{town.code}201"
            for k, amount in enumerate((D(62000), D(58000))):
                n += 1
                _village(n, dept, town, code, f"{town.name[:2]}东村（演示）", amount,
                         dt.date(YEAR, 3 + 4 * k, 6), VillageStage.BUILDING, rng, contractors, tiers, tier_for,
                         category=VillageCategory.ROAD)
    return VillageProject.objects.count()


def _village(n, dept, town, village_code, village_name, amount, start, stage, rng, contractors, tiers, tier_for,
             category=None):
    from zhengshu.trading.models import VillageProject

    order = list(VillageStage)
    reached = order.index(stage)
    pub_start = start + dt.timedelta(days=5)
    pub_end = pub_start + dt.timedelta(days=15 if n % 17 else 9)  # a few too short
    meeting = pub_end + dt.timedelta(days=2)
    tier = tier_for(amount, start, tiers)
    p = VillageProject(
        code=f"CJ{YEAR}-{n:04d}", name=rng.choice(["道路硬化", "沟渠清淤", "文化礼堂修缮", "村庄绿化", "路灯亮化"]) + "工程",
        department=dept, town=town, village_code=village_code, village_name=village_name,
        category=category or rng.choice(list(VillageCategory.values)), amount_yuan=amount, proposed_on=start,
        stage=stage, description="演示数据")
    if reached >= 1:
        total = rng.randint(25, 45)
        p.members_total, p.votes_for = total, (total * 2 + 2) // 3 + (0 if n % 19 else -3)
        p.publicity_start, p.publicity_end, p.meeting_date = pub_start, pub_end, meeting
    if reached >= 2:
        p.trading_method = tier.method if tier else VillageMethod.SELF
        p.trading_date = meeting + dt.timedelta(days=20)
        p.contractor = rng.choice(contractors)
        p.contract_date = p.trading_date + dt.timedelta(days=5) if n % 23 else meeting - dt.timedelta(days=3)
        p.contract_amount_yuan = (amount * D("0.95")).quantize(D(1))
    if reached >= 3:
        p.start_date = p.contract_date + dt.timedelta(days=10)
    if reached >= 4:
        p.acceptance_date = p.start_date + dt.timedelta(days=60)
    if reached >= 5:
        p.audit_date = p.acceptance_date + dt.timedelta(days=30)
        p.audit_amount_yuan = (p.contract_amount_yuan * D("0.98")).quantize(D(1))
    if reached >= 6:
        p.disclosure_date = p.audit_date + dt.timedelta(days=7)
    p.save()


DEMO_DOCUMENT = """第一章 招标公告
1.1 本项目为{name}，招标人为{tenderer}。
第二章 投标人须知
2.1 投标人资格要求：
（1）投标人须具备市政公用工程施工总承包三级及以上资质，并具有有效的安全生产许可证。
（2）投标人须在海宁市设有常驻机构，并提供近6个月在海宁缴纳社保的人员证明。
（3）投标人注册资本不低于5000万元。
（4）近三年承担过嘉兴市范围内类似工程的，每项加1分，最高3分；获“钱江杯”的加2分。
2.2 投标保证金：人民币{bond}元。
第三章 评标办法
3.1 评标委员会推荐不超过3名合格的定标候选人，不排序。
"""


def _documents(rng, supervisor, departments):
    """Tender documents for a few planned projects, checked by the checker when it is installed."""
    from zhengshu.trading.documents import CheckerUnavailable, checker
    from zhengshu.trading.models import TenderProject
    from zhengshu.trading.services import upload_document

    try:
        checker()
    except CheckerUnavailable:
        return "“七个不准”检查器未安装，未生成招标文件"
    made = 0
    for k in range(6):
        dept = departments[TENDERERS[k % len(TENDERERS)]]
        p, new = TenderProject.objects.get_or_create(
            code=f"HNGC2024-{k + 1:03d}",
            defaults={"name": f"{rng.choice(WORDS)}{rng.choice(WORKS_NAMES)}", "regime": Regime.WORKS,
                      "kind": Kind.CONSTRUCTION, "department": dept, "tenderer_name": dept.name,
                      "estimated_price_yuan": D(rng.randint(300, 900)) * 10000, "planned_date": dt.date(2024, 1, 8 + k),
                      "separated": True, "separation_basis": "建市规〔2022〕5号（演示）", "description": "演示数据"})
        if not new or p.documents.exists():
            continue
        text = DEMO_DOCUMENT.format(name=p.name, tenderer=p.tenderer_name,
                                    bond=f"{(p.estimated_price_yuan * D('0.03')):.0f}" if k % 2 else "20000")
        upload_document(actor=supervisor, project=p, filename=f"{p.code}招标文件.txt", content=text.encode("utf-8"))
        made += 1
    return f"招标文件 {made} 份"


@seeder(400, "公共资源交易")
def seed_trading() -> str:
    from zhengshu.accounts.models import User
    from zhengshu.orgs.models import Department
    from zhengshu.trading.models import TenderProject
    from zhengshu.trading.permissions import grant_trading

    users = {u.username: u for u in User.objects.filter(username__in=(
        "supervisor", "auditor", "clerk_a", "colleague_a", "outsider_b", "town_clerk"))}
    grant_trading(users)
    departments = {d.code: d for d in Department.objects.all()}
    if any(code not in departments for code in TENDERERS):
        return "缺少演示部门，跳过"
    rng = random.Random(YEAR)
    supervisor = users.get("supervisor")
    with transaction.atomic():
        firms = _enterprises()
        if TenderProject.objects.filter(code__startswith=f"HNGC{YEAR}-").exists():
            tenders = bids = 0
        else:
            tenders, bids = _tenders(rng, firms, departments, supervisor)
        _credit(rng, firms)
        villages = _villages(rng, firms) if not _has_villages() else _count_villages()
    docs = _documents(rng, supervisor, departments) if supervisor else "无监管账号，未生成招标文件"
    return f"招标项目 {tenders} 个（投标 {bids} 份），村级工程 {villages} 个，{docs}"


def _has_villages() -> bool:
    from zhengshu.trading.models import VillageProject

    return VillageProject.objects.filter(code__startswith=f"CJ{YEAR}-").exists()


def _count_villages() -> int:
    from zhengshu.trading.models import VillageProject

    return VillageProject.objects.count()

"""Demo: Haining's aggregation registry, a year of deliveries and daily inspections, and one shutdown.

The deliveries of the past year are *simulated* (a seeded random process per resource: stock size,
growth, reliability, rejection rate); every figure on the pages — total records, aggregation rate,
bulletins, reminders — is computed from them by the regime, never written in. A few real small files
go through ``zhengshu.pipeline.ingest`` when the pipeline has it, so the reject drill-down has rows.
Re-running is cheap: known batches are skipped and only days without an inspection run are replayed.
"""

from __future__ import annotations

import hashlib
import math
import random
from datetime import date, timedelta

from django.utils import timezone

from zhengshu.core.demo import seeder
from zhengshu.datagov.choices import UpdateCycle

C = UpdateCycle
# department code → resources (name, cycle, delivery working days, application)
CATALOGUE = {
    "HN-SJJ": [("企业登记信息", C.DAILY, 1, "企业登记全程电子化"), ("个体工商户登记信息", C.DAILY, 1, "企业登记全程电子化"),
               ("食品经营许可信息", C.WEEKLY, 2, ""), ("行政处罚信息", C.WEEKLY, 2, ""), ("特种设备登记信息", C.MONTHLY, 5, ""),
               ("企业年报信息", C.YEARLY, 20, ""), ("药品零售许可信息", C.MONTHLY, 5, ""), ("计量器具检定信息", C.QUARTERLY, 10, "")],
    "HN-ZJJ": [("施工许可信息", C.DAILY, 1, "智慧住建"), ("商品房预售许可信息", C.WEEKLY, 2, "智慧住建"),
               ("商品房网签备案信息", C.DAILY, 1, "智慧住建"), ("物业服务企业信息", C.MONTHLY, 5, ""),
               ("建筑业企业资质信息", C.MONTHLY, 5, ""), ("燃气经营许可信息", C.QUARTERLY, 10, "")],
    "HN-RSJ": [("社会保险参保信息", C.DAILY, 1, "社保经办"), ("社会保险缴费明细", C.MONTHLY, 5, "社保经办"),
               ("就业登记信息", C.WEEKLY, 2, ""), ("职业技能等级证书信息", C.MONTHLY, 5, ""), ("劳动监察案件信息", C.MONTHLY, 5, ""),
               ("人才引进补贴信息", C.QUARTERLY, 10, "")],
    "HN-FGJ": [("企业投资项目备案信息", C.WEEKLY, 2, ""), ("价格监测信息", C.WEEKLY, 2, ""), ("重点项目进度信息", C.MONTHLY, 5, ""),
               ("粮食储备信息", C.QUARTERLY, 10, "")],
    "HN-CZJ": [("政府采购合同信息", C.WEEKLY, 2, ""), ("财政专项资金拨付信息", C.MONTHLY, 5, ""), ("非税收入票据信息", C.DAILY, 1, ""),
               ("惠企政策兑现资金信息", C.MONTHLY, 5, "")],
    "HN-JYJ": [("学籍信息", C.MONTHLY, 5, "教育入学"), ("义务教育入学报名信息", C.DAILY, 1, "教育入学"), ("教师资格信息", C.QUARTERLY, 10, ""),
               ("民办学校办学许可信息", C.QUARTERLY, 10, ""), ("校外培训机构信息", C.MONTHLY, 5, "")],
    "HN-WJJ": [("出生医学证明信息", C.DAILY, 1, ""), ("医疗机构执业许可信息", C.MONTHLY, 5, ""), ("医师执业注册信息", C.MONTHLY, 5, ""),
               ("预防接种信息", C.DAILY, 1, "健康海宁"), ("居民电子健康档案", C.DAILY, 1, "健康海宁"),
               ("公共场所卫生许可信息", C.WEEKLY, 2, "")],
    "HN-MZJ": [("婚姻登记信息", C.DAILY, 1, ""), ("最低生活保障信息", C.MONTHLY, 5, "社会救助"), ("特困人员供养信息", C.MONTHLY, 5, "社会救助"),
               ("社会组织登记信息", C.WEEKLY, 2, ""), ("殡葬服务信息", C.DAILY, 1, ""), ("养老机构信息", C.QUARTERLY, 10, "")],
    "HN-GAJ": [("户籍人口信息", C.DAILY, 1, ""), ("居住证信息", C.DAILY, 1, ""), ("机动车登记信息", C.DAILY, 1, ""),
               ("驾驶证信息", C.DAILY, 1, ""), ("出入境证件信息", C.WEEKLY, 2, ""), ("犬类登记信息", C.MONTHLY, 5, "")],
    "HN-ZRJ": [("不动产登记信息", C.DAILY, 1, "不动产一网通办"), ("不动产抵押登记信息", C.DAILY, 1, "不动产一网通办"),
               ("建设用地规划许可信息", C.WEEKLY, 2, ""), ("国土空间规划信息", C.YEARLY, 20, ""), ("土地出让信息", C.MONTHLY, 5, "")],
    "HN-JTJ": [("道路运输经营许可信息", C.WEEKLY, 2, ""), ("网约车驾驶员证信息", C.WEEKLY, 2, ""), ("公交客流信息", C.DAILY, 1, ""),
               ("交通行政处罚信息", C.WEEKLY, 2, ""), ("港航船舶信息", C.MONTHLY, 5, "")],
    "HN-NYJ": [("农业经营主体信息", C.MONTHLY, 5, ""), ("农产品质量检测信息", C.WEEKLY, 2, ""), ("动物防疫信息", C.MONTHLY, 5, ""),
               ("农机购置补贴信息", C.QUARTERLY, 10, ""), ("家庭农场名录", C.QUARTERLY, 10, "")],
    "HN-JXJ": [("规上工业企业信息", C.MONTHLY, 5, ""), ("企业亩均效益评价信息", C.YEARLY, 20, ""), ("工业用电信息", C.DAILY, 1, ""),
               ("技术改造项目信息", C.QUARTERLY, 10, "")],
    "HN-SWJ": [("纳税信用等级信息", C.YEARLY, 20, ""), ("税务登记信息", C.DAILY, 1, ""), ("欠税公告信息", C.MONTHLY, 5, ""),
               ("发票开具汇总信息", C.MONTHLY, 5, "")],
    "HN-SLJ": [("取水许可信息", C.MONTHLY, 5, ""), ("水雨情监测信息", C.REALTIME, 0, ""), ("河湖长制巡河信息", C.WEEKLY, 2, "")],
    "HN-STJ": [("排污许可信息", C.MONTHLY, 5, ""), ("空气质量监测信息", C.REALTIME, 0, ""), ("环境行政处罚信息", C.WEEKLY, 2, ""),
               ("建设项目环评审批信息", C.WEEKLY, 2, "")],
    "HN-YJJ": [("安全生产许可信息", C.MONTHLY, 5, ""), ("危险化学品经营许可信息", C.MONTHLY, 5, ""), ("安全生产行政处罚信息", C.WEEKLY, 2, "")],
    "HN-YBJ": [("医保参保信息", C.DAILY, 1, ""), ("医保结算明细", C.DAILY, 1, ""), ("定点医药机构信息", C.MONTHLY, 5, ""),
               ("医保基金监管信息", C.MONTHLY, 5, "")],
    "HN-GHJ": [("工程建设项目招标公告信息", C.DAILY, 1, ""), ("中标结果公示信息", C.DAILY, 1, ""), ("政府采购公告信息", C.DAILY, 1, ""),
               ("交易主体信用信息", C.MONTHLY, 5, "")],
    "HN-ZSB": [("政务服务办件信息", C.DAILY, 1, ""), ("好差评信息", C.DAILY, 1, ""), ("电子证照信息", C.DAILY, 1, ""),
               ("一企一档企业画像信息", C.WEEKLY, 2, "")],
}
TOWN_RESOURCES = [("基层治理四平台事件信息", C.DAILY, 1, ""), ("网格员走访信息", C.WEEKLY, 2, ""),
                  ("出租房屋登记信息", C.MONTHLY, 5, ""), ("村级工程项目信息", C.MONTHLY, 5, "")]
# The resource that stops delivering for a whole month (the demo's 月停机).
SHUTDOWN_DEPT, SHUTDOWN_NAME = "HN-ZJJ", "物业服务企业信息"
CYCLE_DAYS = {C.REALTIME: 1, C.DAILY: 1, C.WEEKLY: 7, C.MONTHLY: 30, C.QUARTERLY: 91, C.YEARLY: 365}
DEMO_DAYS = 365
REPORT_YEAR_START = date(2023, 1, 1)


def _rng(*parts) -> random.Random:
    digest = hashlib.sha256("|".join(map(str, parts)).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _registry_rows():
    from zhengshu.orgs.models import Department

    departments = {d.code: d for d in Department.objects.all()}
    rows = []
    for index, (code, resources) in enumerate(CATALOGUE.items(), start=1):
        if code in departments:
            rows += [(departments[code], index, n, *spec) for n, spec in enumerate(resources, start=1)]
    towns = sorted((d for d in departments.values() if d.level == "town"), key=lambda d: d.code)
    for index, town in enumerate(towns, start=len(CATALOGUE) + 1):
        rows += [(town, index, n, *spec) for n, spec in enumerate(TOWN_RESOURCES, start=1)]
    return rows


@seeder(300, "数据归集清单")
def seed_registry() -> str:
    from zhengshu.accounts.models import User
    from zhengshu.datagov.models import AggregationResource
    from zhengshu.datagov.permissions import grant_datagov
    from zhengshu.datagov.regime import get_policy

    grant_datagov({u.username: u for u in User.objects.filter(username__in=(
        "clerk_a", "colleague_a", "outsider_b", "town_clerk", "dataofficer", "auditor", "supervisor"))})
    get_policy()
    # Due since the start of the office's report year (2023), so that the annual figures of 2023 come from the
    # same simulated deliveries as today's; the regime itself is replayed over the last year only.
    since = min(REPORT_YEAR_START, timezone.localdate() - timedelta(days=DEMO_DAYS + 30))
    created = 0
    for dept, index, n, name, cycle, workdays, app in _registry_rows():
        # Local registry codes (部门编码-GJ序号): the catalogue's own codes are not listed by its selectors yet,
        # and a made-up catalogue-style code could name a different catalogue resource.
        code = f"{dept.code}-GJ{n:02d}"
        resource = AggregationResource.objects.filter(code=code).first()
        if resource is None:
            resource = AggregationResource(code=code, due_since=since)
            created += 1
        resource.name, resource.department, resource.update_cycle = name, dept, cycle
        resource.delivery_workdays, resource.application = workdays, app
        resource.save()
    return f"归集资源 {AggregationResource.objects.count()} 项（新增 {created}）"


def _simulate(resource, start: date, end: date, outage: tuple[date, date] | None, deadlines) -> list[dict]:
    """One resource's deliveries from ``start`` to ``end``: an initial stock, then one batch per cycle."""
    from zhengshu.datagov.quality import cycle_bounds, window_opens

    rng = _rng("resource", resource.code)
    stock = int(math.exp(rng.gauss(math.log(3_000_000), 0.9)))
    yearly_growth = rng.uniform(0.03, 0.15)
    reliability = min(0.999, max(0.80, rng.betavariate(40, 1.1)))
    reject_rate = min(0.05, math.exp(rng.gauss(math.log(0.004), 0.9)))
    items = rng.randint(8, 40)
    rows = [_row(resource, "init", start - timedelta(days=1), stock, reject_rate, items, rng, versions=0)]
    per_cycle = max(1, int(stock * yearly_growth * CYCLE_DAYS[resource.update_cycle] / 365))
    c_start, c_end = cycle_bounds(resource.update_cycle, start)
    while c_start <= end:
        crng = _rng("cycle", resource.code, c_start)
        deadline = deadlines(c_end, resource.delivery_workdays)
        opens = window_opens(resource.update_cycle, c_start, c_end)
        if crng.random() < reliability:
            day = opens + timedelta(days=crng.randint(0, max((deadline - opens).days, 0)))
        else:
            day = deadline + timedelta(days=crng.randint(1, 6))
        if outage and outage[0] <= day <= outage[1]:
            day = outage[1] + timedelta(days=1)
        if day <= end:
            size = max(1, int(per_cycle * crng.uniform(0.6, 1.4)))
            rows.append(_row(resource, c_start.isoformat(), day, size, reject_rate, items, crng,
                             versions=int(size * crng.uniform(0.05, 0.3))))
        c_start, c_end = cycle_bounds(resource.update_cycle, c_end + timedelta(days=1))
    return rows


def _row(resource, tag, day, read, reject_rate, items, rng, versions) -> dict:
    from datetime import datetime, time

    rejected = min(read, int(read * reject_rate * rng.uniform(0.5, 1.5)))
    hour = 2 if resource.update_cycle in (C.REALTIME, C.DAILY) and tag != "init" else rng.randint(8, 18)
    when = timezone.make_aware(datetime.combine(day, time(hour, rng.randint(0, 59))))
    if resource.update_cycle in (C.REALTIME, C.DAILY) and tag != "init":
        when += timedelta(hours=21)  # the evening of the day (02:00 + 21 h = 23:00)
    return {
        "resource_code": resource.code, "batch_id": f"SIM-{resource.code.replace('/', '-')}-{tag}",
        "committed_at": when, "read": read, "accepted": read - rejected, "rejected": rejected,
        "duplicates": int(rejected * rng.uniform(0.1, 0.4)), "null_cells": int(read * items * rng.uniform(0, 0.004)),
        "item_count": items, "new_versions": min(versions, read - rejected), "source_name": "共享平台归集（模拟）",
    }


def _ingest_samples() -> int:
    """Real small files through the pipeline, when it is there (the reject drill-down then has rows)."""
    try:
        from zhengshu.pipeline import ingest
    except ImportError:
        return 0
    import csv
    import tempfile
    from pathlib import Path

    from django.conf import settings

    from zhengshu.datagov.models import AggregationResource
    from zhengshu.pipeline.store import Store

    resource = AggregationResource.objects.filter(department__code="HN-SJJ", name="企业登记信息").first()
    if resource is None:
        return 0
    schema = {"resource": resource.code, "name": resource.name, "provider": "HN-SJJ", "key": ["uscc"], "items": [
        {"name": "uscc", "label": "统一社会信用代码", "type": "string", "required": True, "check": "uscc"},
        {"name": "name", "label": "企业名称", "type": "string", "required": True, "max_length": 100},
        {"name": "status", "label": "登记状态", "type": "string", "enum": ["存续", "在业", "吊销", "注销", "迁出"]},
        {"name": "registered", "label": "成立日期", "type": "date"},
    ]}
    rows = [("统一社会信用代码", "企业名称", "登记状态", "成立日期"),
            ("91330481MA2B00000Y", "海宁市示范皮革有限公司", "存续", "2019-05-06"),
            ("91330481MA2B00000X", "海宁市错码经编有限公司", "存续", "2020-01-02"),
            ("91330481MA2B00000Y", "海宁市示范皮革有限公司", "存续", "2019-05-06"),
            ("", "海宁市无码家纺有限公司", "在业", "2021-03-04"),
            ("91330481MA2B00000Y", "海宁市示范皮革有限公司", "歇业", "2019/5/6")]
    folder = Path(tempfile.mkdtemp(prefix="zhengshu-demo-"))
    path = folder / "企业登记信息-示例.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    ingest(path, resource.code, schema, Store(Path(settings.DATA_DIR) / "pipeline"))
    return 1


@seeder(310, "归集批次与每日巡查")
def seed_history() -> str:
    from zhengshu.accounts.models import User
    from zhengshu.datagov import services
    from zhengshu.datagov.models import AggregationResource, InspectionRun, ShutdownOrder
    from zhengshu.datagov.quality import Deadlines
    from zhengshu.datagov.regime import inspect_days

    officer = User.objects.filter(username="dataofficer").first()
    resources = list(AggregationResource.objects.all())
    if officer is None or not resources:
        return "跳过：缺少数据办账号或归集清单"
    today = timezone.localdate()
    start, end = today - timedelta(days=DEMO_DAYS), today - timedelta(days=1)
    # The 月停机 example: a whole calendar month about three months ago without deliveries.
    month = (today.replace(day=1) - timedelta(days=80)).replace(day=1)
    month_last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    outage = (month - timedelta(days=45), month_last)
    deadlines = Deadlines()
    rows = []
    for resource in resources:
        stop = outage if (resource.department.code, resource.name) == (SHUTDOWN_DEPT, SHUTDOWN_NAME) else None
        rows += _simulate(resource, resource.due_since, end, stop, deadlines)
    recorded = services.record_deliveries(actor=officer, rows=rows)
    ingested = _ingest_samples()
    # The regime is replayed over the report year (2023) and over the last year: the cockpit and the annual
    # report of both years then read daily snapshots, reminders, bulletins and orders.
    report_year = (REPORT_YEAR_START, date(REPORT_YEAR_START.year, 12, 31))
    periods = ([report_year] if report_year[1] < start else []) + [(start, today)]
    todo = []
    for first, last in periods:
        done = set(InspectionRun.objects.filter(day__range=(first, last)).values_list("day", flat=True))
        days = [d for d in (first + timedelta(days=i) for i in range((last - first).days + 1)) if d not in done]
        if days:
            inspect_days(days[0], days[-1])
        todo += days
    order = ShutdownOrder.objects.filter(month=month).first()
    if order is not None and order.status == "proposed":
        services.approve_shutdown(actor=officer, order=order, note="全月未归集，同意停机", day=order.proposed_on)
        clerk = User.objects.filter(department=order.department).first() or officer
        if clerk.has_perm("datagov.rectify_shutdownorder", order):
            services.add_rectification(actor=clerk, order=order, note="已修复前置机接口，恢复每日推送并补报历史数据",
                                       kind="submitted")
        for offset in range(1, 40):
            try:
                services.reinstate_shutdown(actor=officer, order=order, note="复核：按期归集，质量达标",
                                            day=order.proposed_on + timedelta(days=offset))
                break
            except services.ServiceError:
                continue
    from zhengshu.datagov.selectors import aggregation_summary

    summary = aggregation_summary()
    rate = summary["aggregation_rate"]
    return (f"新增批次 {recorded}（另有真实样例文件 {ingested} 个经管道入湖），巡查 {len(todo)} 天；归集总量 {summary['total_records']:,} 条，"
            f"归集率 {rate * 100:.1f}%" if rate is not None else "归集率 —")

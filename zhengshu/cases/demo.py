"""Demo (seeders 120–149): 异地无忧 partner regions and agreements, parameters and metric definitions, a
year (2023) of cases through every path — inserted in bulk, with their events and clocks — and a handful of
live cases for the personas, made through the services.

The 2023 cases are generated with shares chosen from the office's report (一网通办 99.48 %); the metrics
page then computes the figures from these cases, nothing is written in. Deterministic and idempotent.
"""

from __future__ import annotations

import bisect
import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from zhengshu.core.demo import seeder

TZ = ZoneInfo("Asia/Shanghai")
YEAR = 2023
TARGET_CASES = 21_000
# 16 partner provinces; counties are taken in code order from the shipped division table (65 in all).
PARTNER_PROVINCES = ("340000", "360000", "410000", "420000", "430000", "450000", "500000", "510000", "520000",
                     "530000", "610000", "620000", "370000", "320000", "350000", "230000")
COUNTIES_PER_PROVINCE = (5, 4, 5, 4, 4, 4, 4, 5, 5, 4, 4, 3, 4, 3, 4, 3)  # 65
CHANNEL_SHARES = (("1", 0.33), ("2", 0.17), ("3", 0.41), ("4", 0.08), ("5", 0.01))
NOT_VIA_PLATFORM = 0.0052  # share of all cases handled outside the integrated platform (report: 99.48 %)


@seeder(120, "办件参数与指标口径")
def seed_parameters() -> str:
    from zhengshu.accounts.models import User
    from zhengshu.cases.metrics import ensure_metric_definitions
    from zhengshu.cases.models import Parameter
    from zhengshu.cases.parameters import DEFAULTS
    from zhengshu.cases.permissions import grant_case_permissions

    for key, (name, value, help_text) in DEFAULTS.items():
        Parameter.objects.get_or_create(key=key, defaults={"name": name, "value": value, "help": help_text})
    ensure_metric_definitions()
    grant_case_permissions({u.username: u for u in User.objects.all() if u.username in (
        "clerk_a", "colleague_a", "outsider_b", "town_clerk", "auditor", "dataofficer", "citizen", "enterprise")})
    return f"参数 {len(DEFAULTS)} 项，指标口径 8 项，权限已授予"


@seeder(121, "异地无忧合作地区")
def seed_partner_regions() -> str:
    from zhengshu.cases.models import Agreement, AgreementItem, PartnerRegion
    from zhengshu.govservices.models import ServiceItem
    from zhengshu.orgs.models import Division

    provinces = {d.code: d.name for d in Division.objects.filter(code__in=PARTNER_PROVINCES)}
    if not provinces:
        return "行政区划未载入，跳过"
    existing = set(PartnerRegion.objects.values_list("division_id", flat=True))
    for code, count in zip(PARTNER_PROVINCES, COUNTIES_PER_PROVINCE, strict=True):
        counties = (Division.objects.filter(code__startswith=code[:2], level="county", current=True)
                    .exclude(name__endswith="区").order_by("code")[:count])
        for county in counties:
            if county.code not in existing:
                PartnerRegion.objects.create(division=county, province_code=code, province_name=provinces[code])
    items = list(ServiceItem.objects.exclude(cross_region_scope="").filter(status="published"))
    made = 0
    for region in PartnerRegion.objects.select_related("division"):
        if region.agreements.exists():
            continue
        agreement = Agreement.objects.create(region=region, title=f"海宁市—{region}政务服务“异地无忧”合作协议",
                                             signed_on=date(2022, 6, 1) + timedelta(days=region.pk * 5 % 300))
        AgreementItem.objects.bulk_create([
            AgreementItem(agreement=agreement, item=item,
                          modes=(["full_online", "proxy"] if item.full_online else ["proxy", "multi_place"]))
            for item in items
        ])
        made += 1
    regions = PartnerRegion.objects.count()
    return f"合作地区 {regions} 个（{len(provinces)} 省），新签协议 {made} 份，通办事项 {len(items)} 项"


class _Calendar:
    """Working days of 2022–2024 in memory, for computing thousands of due dates fast (same rules as clock)."""

    def __init__(self):
        from zhengshu.core.workdays import _Calendar as CoreCalendar

        start, end = date(2022, 12, 1), date(2024, 12, 31)
        core = CoreCalendar(start, end, None)
        self.days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        self.work = [d for d in self.days if core.is_workday(d)]
        self.work_set = set(self.work)

    def add(self, start: date, n: int, unit: str = "workday") -> date:
        if unit == "calendar_day":
            end = start + timedelta(days=n)
            while n and end not in self.work_set:
                end += timedelta(days=1)
            return end
        if n == 0:
            return start
        return self.work[bisect.bisect_right(self.work, start) + n - 1]

    def between(self, start: date, end: date) -> int:
        return max(bisect.bisect_right(self.work, end) - bisect.bisect_right(self.work, start), 0)


def _fast_insert(model, rows) -> int:
    """INSERT rows (dicts by field name or attname) with executemany: the demo's 150,000 events in seconds.

    Values are adapted per field type once (dates, datetimes, JSON); related objects give their pk; missing
    fields take their default. Only for freshly generated demo rows: no signals, no change log per row.
    """
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    adapters = []
    for f in fields:
        kind = f.get_internal_type()
        if kind == "DateTimeField":
            adapters.append(connection.ops.adapt_datetimefield_value)
        elif kind == "DateField":
            adapters.append(connection.ops.adapt_datefield_value)
        elif kind == "JSONField":
            adapters.append(lambda v, f=f: f.get_db_prep_save(v, connection))
        else:
            adapters.append(None)
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    batch, count = [], 0
    with connection.cursor() as cursor:
        for row in rows:
            values = []
            for f, adapt in zip(fields, adapters, strict=True):
                if f.attname in row:
                    value = row[f.attname]
                elif f.name in row:
                    value = row[f.name]
                    value = value.pk if f.is_relation and value is not None else value
                else:
                    value = f.get_default()
                values.append(adapt(value) if adapt and value is not None else value)
            batch.append(values)
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _dt(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(8, 30), tzinfo=TZ) + timedelta(minutes=minutes)


@seeder(125, "2023年办件")
def seed_cases() -> str:
    from zhengshu.cases.models import Case

    if Case.objects.filter(submitted_at__year=YEAR).exists():
        return f"{YEAR} 年办件已存在（{Case.objects.filter(submitted_at__year=YEAR).count()} 件），跳过"
    with transaction.atomic():
        counts = _generate()
    return "，".join(f"{k} {v}" for k, v in counts.items())


def _generate() -> dict:  # noqa: C901 - one generator, read top to bottom
    from zhengshu.accounts.models import User
    from zhengshu.cases.idgen import resident_id, uscc
    from zhengshu.cases.models import (
        Case,
        CaseEvent,
        CaseSequence,
        ClockEvent,
        Commitment,
        CommitmentTemplate,
        PartnerRegion,
        ProxyReceipt,
        Rating,
        Rectification,
        Revisit,
        Suspension,
        ToleranceRecord,
        VerificationTask,
    )
    from zhengshu.core.models import ChangeAction, record_change
    from zhengshu.govservices.models import ServiceItem

    rnd = random.Random(YEAR)
    cal = _Calendar()
    items = list(ServiceItem.objects.filter(status="published").select_related("department")
                 .prefetch_related("materials"))
    if not items:
        return {"事项": 0}
    regions = list(PartnerRegion.objects.all())
    cross_items = [i for i in items if i.cross_region_scope]
    clerks = {u.department_id: u for u in User.objects.filter(kind="staff", department__isnull=False)
              .exclude(admin_role__gt="").order_by("-username")}
    templates = {}
    for item in items:
        if item.allows_commitment:
            templates[item.pk], _ = CommitmentTemplate.objects.get_or_create(
                item=item, version=1, defaults={
                    "title": f"{item.name}告知承诺书", "effective_from": date(2022, 1, 1),
                    "body": f"本人（单位）申请{item.name}，已知晓告知的证明义务和证明内容，承诺符合规定条件，"
                            "愿意承担不实承诺的法律责任。"})
    # High-frequency items carry most cases (a Zipf-like weight by a stable shuffle).
    order = items[:]
    rnd.shuffle(order)
    weights = [1 / (rank + 3) for rank in range(len(order))]
    workdays_2023 = [d for d in cal.work if d.year == YEAR]
    all_days_2023 = [d for d in cal.days if d.year == YEAR]
    seq_by_prefix: dict[str, int] = {}
    cases: list[Case] = []
    plans: list[dict] = []
    channels, shares = zip(*CHANNEL_SHARES, strict=True)
    now = timezone.now()

    for n in range(TARGET_CASES):
        item = rnd.choices(order, weights)[0]
        channel = rnd.choices(channels, shares)[0]
        if channel == "5":
            if not cross_items or not regions:
                channel = "1"
            else:
                item = rnd.choice(cross_items)
        online = channel in ("2", "3")
        day = rnd.choice(all_days_2023 if online else workdays_2023)
        submitted = _dt(day, rnd.randint(0, 510)) if not online else datetime.combine(
            day, time(0, 0), tzinfo=TZ) + timedelta(minutes=rnd.randint(420, 1380))
        organisation = rnd.random() < 0.3
        ident = uscc("330481", 10_000 + n) if organisation else resident_id(
            "330481", f"{rnd.randint(1950, 2003)}{rnd.randint(1, 12):02d}{rnd.randint(1, 28):02d}", n)
        prefix = f"{item.implementation_code}{day:%Y%m%d}"
        seq_by_prefix[prefix] = seq_by_prefix.get(prefix, 0) + 1
        case = Case(
            number=f"{prefix}{seq_by_prefix[prefix]:06d}", item=item, department_id=item.department_id,
            channel=channel, via_platform=not (channel == "1" and rnd.random() < NOT_VIA_PLATFORM / 0.33),
            applicant_kind="organisation" if organisation else "person",
            applicant_name=(f"海宁市示范{n:05d}有限公司" if organisation else
                            rnd.choice("王李张刘陈杨黄赵周吴徐孙朱马胡郭") + rnd.choice("伟芳娜敏静丽强磊洋艳杰涛明超秀英华")),
            applicant_id_number=ident, contact_phone=f"139{rnd.randint(0, 99_999_999):08d}",
            submitted_at=submitted, is_immediate=item.is_immediate, form_data={"demo": True},
            cross_region_mode="proxy" if channel == "5" else "",
        )
        cases.append(case)
        plans.append({"r": rnd.random(), "r2": rnd.random(), "r3": rnd.random(), "r4": rnd.random()})

    events, clocks, tolerances, suspensions, ratings_later, proxies = [], [], [], [], [], []
    commitments_later = []
    stats = {"办件": len(cases), "不予受理": 0, "补正": 0, "容缺": 0, "告知承诺": 0, "特别程序": 0, "终止": 0,
             "撤销": 0, "撤回": 0, "办结": 0, "评价": 0, "差评": 0, "异地代收": 0, "办理中": 0}

    def ev(case, action, label, frm, to, at, reason="", data=None):
        events.append(dict(case=case, action=action, label=label, from_status=frm, to_status=to,
                                actor=clerks.get(case.department_id), actor_repr="窗口工作人员", at=at,
                                reason=reason, data=data or {}))

    for index, (case, plan) in enumerate(zip(cases, plans, strict=True)):
        item = case.item
        day = timezone.localdate(case.submitted_at)
        ev(case, "submit", "提交申请", "", "submitted", case.submitted_at)
        r = plan["r"]
        if case.channel == "5":
            region = regions[index % len(regions)]
            proxies.append(ProxyReceipt(case=case, region=region, receiving_window=f"{region}政务服务中心跨省通办窗口",
                                        form_review_ok=True, identity_checked=True, stage="collected",
                                        received_at=case.submitted_at, sent_logistics_no=f"SF{YEAR}{index:08d}",
                                        sent_at=case.submitted_at + timedelta(hours=6),
                                        arrived_at=case.submitted_at + timedelta(days=2)))
            stats["异地代收"] += 1
        if r < 0.010:  # withdrawn before acceptance
            case.status, case.closed_reason = "withdrawn", "申请人主动撤回"
            ev(case, "withdraw", "申请人撤回", "submitted", "withdrawn", case.submitted_at + timedelta(hours=3))
            stats["撤回"] += 1
            continue
        accept_day = day if day in cal.work_set else cal.add(day, 1)
        if r < 0.085:  # 一次性告知补正 first
            ev(case, "request_correction", "一次性告知补正", "submitted", "correction", case.submitted_at + timedelta(hours=2),
               "申请材料不齐全，请补正")
            accept_day = cal.add(accept_day, 1 + int(plan["r2"] * 6))
            ev(case, "resubmit", "补正后重新提交", "correction", "submitted", _dt(accept_day, 30))
            stats["补正"] += 1
        if r > 0.985:  # 不予受理
            case.status, case.closed_reason = "rejected", "不符合受理条件"
            ev(case, "reject", "不予受理", "submitted", "rejected", _dt(accept_day, 60), case.closed_reason)
            stats["不予受理"] += 1
            continue
        accepted_at = max(_dt(accept_day, 45), case.submitted_at + timedelta(minutes=20))
        case.accepted_at, case.accepted_on = accepted_at, timezone.localdate(accepted_at)
        case.legal_limit, case.legal_unit = item.legal_limit, item.legal_limit_unit
        case.promised_limit, case.promised_unit = item.promised_limit, item.promised_limit_unit
        case.accepted_by = clerks.get(case.department_id)
        status = "accepted"
        note = ""
        missing = [m for m in item.materials.all() if m.may_be_missing]
        if missing and plan["r2"] < 0.06:
            case.tolerance = True
            note = "容缺受理"
            stats["容缺"] += 1
        elif item.pk in templates and plan["r2"] > 0.9:
            case.commitment = True
            note = "告知承诺受理"
            stats["告知承诺"] += 1
        ev(case, "accept", "受理", "submitted", status, accepted_at, note)
        limit = 0 if item.is_immediate else (item.promised_limit if item.promised_limit is not None else item.legal_limit or 0)
        unit = item.promised_limit_unit if item.promised_limit is not None else item.legal_limit_unit
        ext = paused = 0
        if not item.is_immediate and limit >= 5 and plan["r3"] < 0.02:
            paused = 2 + int(plan["r4"] * 8)
            stats["特别程序"] += 1
        elif not item.is_immediate and limit >= 5 and plan["r3"] < 0.03:
            ext = 5 if (item.legal_limit or 0) >= 10 else 2
            stats["特别程序"] += 1
        case.extension_days, case.paused_days = ext, paused
        case.legal_due = cal.add(case.accepted_on, (item.legal_limit or 0) + ext + paused, item.legal_limit_unit) \
            if item.legal_limit is not None else None
        case.promised_due = cal.add(case.accepted_on, limit + ext + paused, unit)
        case.warn_on = cal.add(case.accepted_on, -(-(limit + ext) * 8 // 10) + paused, unit) if limit else case.promised_due
        clocks.append(dict(case=case, kind="start", on=case.accepted_on, legal_due=case.legal_due,
                                 promised_due=case.promised_due, at=accepted_at, reason="受理，次日起算"))
        if case.tolerance:
            material = missing[0]
            promised = cal.add(case.accepted_on, min(material.missing_max_workdays or 5, limit or 5))
            overdue = plan["r4"] < 0.05
            tolerances.append(ToleranceRecord(case=case, material=material, material_name=material.name,
                                              promised_date=promised, status="overdue" if overdue else "supplied",
                                              supplied_at=None if overdue else _dt(promised, 60), reminders=1,
                                              last_reminded_on=cal.add(case.accepted_on, 1)))
            if overdue:
                end = promised + timedelta(days=1)
                case.status, case.closed_reason = "terminated", f"容缺材料“{material.name}”超过承诺期限未补齐"
                ev(case, "terminate", "终止办理", "accepted", "terminated", _dt(end, 10), case.closed_reason)
                clocks.append(dict(case=case, kind="stop", on=end, legal_due=case.legal_due,
                                         promised_due=case.promised_due, at=_dt(end, 10), reason="终止办理"))
                stats["终止"] += 1
                continue
        if case.commitment:
            commitments_later.append((case, plan["r4"] < 0.01))
        # 办理: a share of the time limit, rarely beyond it.
        if limit == 0:
            done = case.accepted_on
        else:
            used = limit + ext + paused
            late = plan["r4"] > 0.997
            share = plan["r3"] if not late else 1.1 + plan["r2"]
            done = cal.add(case.accepted_on, max(1, min(int(used * share * 0.9) + 1, used)) if not late else
                           int(used * share) + 1, unit)
        done_at = max(_dt(done, 400), accepted_at + timedelta(minutes=30))
        if done_at > now:
            case.status = "reviewing"
            ev(case, "start_review", "开始审查", "accepted", "reviewing", accepted_at + timedelta(hours=1))
            stats["办理中"] += 1
            continue
        if paused or ext:
            kind = "2" if paused else "1"
            start = cal.add(case.accepted_on, 1)
            end = cal.add(start, paused) if paused else start
            suspensions.append(Suspension(case=case, kind=kind, reason="现场核查" if paused else "情况复杂，经负责人批准延长",
                                          started_on=start, ended_on=end, extension_days=ext, counted_days=paused,
                                          result="核查合格" if paused else ""))
            ev(case, "start_review", "开始审查", "accepted", "reviewing", _dt(start, 0))
            ev(case, "suspend", "启动特别程序（挂起）", "reviewing", "suspended", _dt(start, 60), "", {"kind": kind})
            ev(case, "resume", "特别程序结束，恢复审查", "suspended", "reviewing", _dt(end, 90))
            clocks.append(dict(case=case, kind="pause" if paused else "extend", on=start, days=ext,
                                     at=_dt(start, 60), legal_due=case.legal_due, promised_due=case.promised_due))
            if paused:
                clocks.append(dict(case=case, kind="resume", on=end, days=paused, at=_dt(end, 90),
                                         legal_due=case.legal_due, promised_due=case.promised_due))
            frm = "reviewing"
        else:
            frm = "accepted"
        refused = plan["r2"] > 0.985
        case.decision = "refused" if refused else "granted"
        case.decided_at = done_at - timedelta(minutes=20)
        ev(case, "decide", "作出决定", frm, "decided", case.decided_at, "不符合法定条件" if refused else "",
           {"decision": case.decision})
        case.concluded_at, case.concluded_on = done_at, timezone.localdate(done_at)
        case.on_time = case.concluded_on <= case.promised_due
        case.result_name = item.result_name if not refused else "不予许可决定书"
        ev(case, "conclude", "办结", "decided", "concluded", done_at)
        clocks.append(dict(case=case, kind="stop", on=case.concluded_on, legal_due=case.legal_due,
                                 promised_due=case.promised_due, at=done_at, reason="办结"))
        stats["办结"] += 1
        electronic = case.channel in ("2", "3") and item.full_online
        case.delivery_method = "electronic" if electronic else ("post" if case.channel == "5" else "window")
        case.delivered_at = done_at + timedelta(hours=1)
        case.logistics_no = f"EMS{YEAR}{index:08d}" if case.delivery_method == "post" else ""
        case.full_online = electronic
        ev(case, "deliver", "送达", "concluded", "delivered", case.delivered_at, "",
           {"method": case.delivery_method})
        case.status = "delivered"
        if case.channel == "5":
            proxies[-1].result_logistics_no = case.logistics_no
            proxies[-1].returned_at = case.delivered_at
            proxies[-1].collected_at = case.delivered_at + timedelta(days=3)
        if plan["r3"] < 0.72 and case.delivered_at.year == YEAR:
            level = rnd.choices((1, 2, 3, 4, 5), (0.86, 0.125, 0.01, 0.003, 0.002))[0]
            rated_at = case.delivered_at + timedelta(hours=2)
            ratings_later.append((case, level, rated_at))
            ev(case, "rate", "评价", "delivered", "rated", rated_at, "", {"level": level})
            case.status = "rated"
            stats["评价"] += 1

    # 告知承诺 verification: a few commitments are found false after 办结 and the decision is revoked.
    letters, tasks, revoked = [], [], []
    for case, false in commitments_later:
        letter = Commitment(case=case, template=templates[case.item_id], signer_name=case.applicant_name,
                            signed_at=case.accepted_at, text=templates[case.item_id].body)
        letters.append(letter)
        due = cal.add(case.accepted_on, 20)
        tasks.append(VerificationTask(commitment=letter, method="data_sharing", due_date=due,
                                      outcome="false" if false else "true", concluded_at=_dt(due, 0),
                                      notes="数据共享核查：承诺内容与登记信息不符" if false else "数据共享核查一致"))
        if false and case.status in ("delivered", "rated"):
            ev(case, "revoke", "撤销决定", case.status, "revoked", _dt(due, 10), "告知承诺核查不实")
            case.status, case.closed_reason = "revoked", "告知承诺核查不实"
            revoked.append(case)
    stamp = timezone.now()
    _fast_insert(Case, ({**{f.attname: getattr(c, f.attname) for f in Case._meta.concrete_fields},
                         "created": stamp, "updated": stamp} for c in cases))
    ids = dict(Case.objects.filter(submitted_at__year=YEAR).values_list("number", "pk"))
    for case in cases:
        case.pk = case.id = ids[case.number]
    Commitment.objects.bulk_create(letters, batch_size=1000)
    VerificationTask.objects.bulk_create(tasks, batch_size=1000)
    stats["撤销"] = len(revoked)
    from zhengshu.cases.models import ApplicantFlag

    ApplicantFlag.objects.bulk_create([
        ApplicantFlag(id_number=c.applicant_id_number, name=c.applicant_name, kind="false_commitment",
                      reason="告知承诺核查不实", source_case_id=c.pk, flagged_on=date(YEAR, 12, 31),
                      department_id=c.department_id) for c in revoked])
    _fast_insert(Rating, ({"case": c, "level": lv, "channel": "2" if c.channel in ("2", "3") else "4", "rated_at": at}
                          for c, lv, at in ratings_later))
    bad = list(Rating.objects.filter(case__submitted_at__year=YEAR, level__gte=4).select_related("case"))
    rects = [Rectification(rating=r, department_id=r.case.department_id,
                           due_date=cal.add(timezone.localdate(r.rated_at), 15), status="done",
                           measures="已约谈窗口人员并优化办事指南", closed_at=r.rated_at + timedelta(days=5)) for r in bad]
    Rectification.objects.bulk_create(rects)
    Revisit.objects.bulk_create([Revisit(rectification=x, at=x.closed_at - timedelta(days=1), method="电话",
                                         content="回访申请人，说明整改情况", satisfied=True)
                                 for x in Rectification.objects.filter(rating__in=bad)])
    stats["差评"] = len(bad)
    ProxyReceipt.objects.bulk_create(proxies, batch_size=1000)
    ToleranceRecord.objects.bulk_create(tolerances, batch_size=1000)
    Suspension.objects.bulk_create(suspensions, batch_size=1000)
    _fast_insert(CaseEvent, events)
    _fast_insert(ClockEvent, clocks)
    existing = dict(CaseSequence.objects.filter(prefix__in=list(seq_by_prefix)).values_list("prefix", "last"))
    CaseSequence.objects.bulk_create([CaseSequence(prefix=p, last=n) for p, n in seq_by_prefix.items()
                                      if p not in existing], batch_size=5000)
    record_change(action=ChangeAction.SYSTEM, object_type="cases.case",
                  message=f"演示数据：批量生成 {YEAR} 年办件 {len(cases)} 件及其环节 {len(events)} 条、计时 {len(clocks)} 条")
    return stats


@seeder(130, "演示账号的办件")
def seed_persona_cases() -> str:
    """A few live cases for the personas, made through the services (so they carry a full change log)."""
    from zhengshu.accounts.models import User
    from zhengshu.cases import services
    from zhengshu.cases.models import Case
    from zhengshu.govservices.models import ServiceItem

    users = {u.username: u for u in User.objects.filter(username__in=("clerk_a", "citizen", "enterprise"))}
    if len(users) < 3 or Case.objects.filter(applicant_user=users["citizen"]).exists():
        return "已存在或缺少演示账号，跳过"
    clerk, citizen = users["clerk_a"], users["citizen"]
    items = list(ServiceItem.objects.filter(status="published", department=clerk.department, is_immediate=False,
                                            promised_limit__gte=3).order_by("implementation_code")[:4])
    if not items:
        return "市场监管局无可申请事项，跳过"
    today = timezone.localdate()
    made = 0
    for index, item in enumerate(items):
        submitted = timezone.now() - timedelta(days=14 - index * 3)
        case = services.submit_application(actor=citizen, item=item, applicant_name=citizen.full_name,
                                           applicant_id_number=citizen.id_number, channel="3",
                                           contact_name=citizen.full_name, contact_phone=citizen.phone,
                                           at=submitted)
        made += 1
        if index == 3:
            continue  # waits in 待受理
        if index == 2:
            services.request_correction(actor=clerk, case=case, content="请补充经营场所使用证明（租赁合同）",
                                        at=submitted + timedelta(hours=3))
            continue
        services.accept(actor=clerk, case=case, at=submitted + timedelta(hours=2))
        if index == 0:
            services.decide(actor=clerk, case=case, decision="granted", at=submitted + timedelta(days=2))
            services.conclude(actor=clerk, case=case, at=submitted + timedelta(days=2, hours=1))
            services.deliver(actor=clerk, case=case, method="electronic", at=submitted + timedelta(days=2, hours=2))
    return f"张伟的办件 {made} 件（截至 {today:%Y-%m-%d}）"


BUNDLES = (
    ("YJS-CY-01", "开办餐饮店“一件事”", "HN-SJJ", ("个体工商户设立登记", "小餐饮登记证核发", "食品经营许可（新办）")),
    ("YJS-SY-01", "失业“一件事”", "HN-RSJ", ("失业保险金申领", "就业创业证申领", "灵活就业人员参保登记")),
)
COMMON_FIELDS = ["申请人姓名", "身份证号", "联系电话", "经营（住所）地址"]
# 1×1 PNG (the certified-photo placeholder of 照片全域通 in the demo vault).
PHOTO = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                      "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@seeder(131, "一件事与材料库")
def seed_bundles() -> str:
    from zhengshu.accounts.models import User
    from zhengshu.cases import services
    from zhengshu.cases.models import Bundle, BundleItem, VaultMaterial
    from zhengshu.govservices.models import ServiceItem
    from zhengshu.orgs.models import Department

    made = 0
    for code, name, dept_code, item_names in BUNDLES:
        dept = Department.objects.filter(code=dept_code).first()
        items = [ServiceItem.objects.filter(name=n, status="published").first() for n in item_names]
        items = [i for i in items if i is not None]
        if dept is None or len(items) < 2 or Bundle.objects.filter(code=code).exists():
            continue
        bundle = Bundle.objects.create(code=code, name=name, department=dept)
        for sort, item in enumerate(items):
            BundleItem.objects.create(bundle=bundle, item=item, sort=(sort + 1) * 10,
                                      fields=COMMON_FIELDS + [f"{item.name}事项说明"])
        made += 1
    citizen = User.objects.filter(username="citizen").first()
    photos = 0
    if citizen is not None and not VaultMaterial.objects.filter(owner_id_number=citizen.id_number).exists():
        services.add_vault_material(actor=citizen, owner_id_number=citizen.id_number, name="证件照（照片全域通）",
                                    filename="photo.png", content=PHOTO, source="照片全域通：公安户籍证件照",
                                    issued_by="海宁市公安局", valid_until=timezone.localdate() + timedelta(days=365 * 2))
        photos = 1
    return f"一件事 {made} 个，材料库照片 {photos} 张"

"""Reads of public resource trading that pages, the API, other apps and the cockpit may use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum

from zhengshu.trading import rules
from zhengshu.trading.choices import CreditStatus, FindingStatus, Regime, Severity, Stage
from zhengshu.trading.models import (
    AdverseRecord, Bid, Clue, DocumentFinding, Enterprise, MustTenderThreshold, TenderProject, VillageProject,
    VillageTier,
)
from zhengshu.trading.village import split_groups, village_findings


def blocking_findings(project: TenderProject):
    """Open high-severity findings that stop publication (公告)."""
    return DocumentFinding.objects.filter(project=project, status=FindingStatus.OPEN, severity=Severity.HIGH)


def credit_status(enterprise, on: dt.date) -> tuple[str, str]:
    """The bidder's credit at ``on``: debarred, an adverse record still disclosed, or clean (CU-02, TH-30)."""
    records = AdverseRecord.objects.filter(enterprise=enterprise, decided_on__lte=on)
    debar = records.filter(debarred_until__gte=on).order_by("-debarred_until").first()
    if debar:
        return CreditStatus.DEBARRED, (f"取消投标资格期内（至 {debar.debarred_until}，{debar.get_type_display()}，"
                                       f"{debar.authority}{debar.document_no}），投标无效（《招标投标法》第53、54条）")
    active = list(records.filter(valid_until__gte=on))
    if active:
        kinds = "、".join(sorted({r.get_type_display() for r in active}))
        return CreditStatus.ADVERSE, f"有效期内不良行为记录 {len(active)} 条：{kinds}"
    return CreditStatus.CLEAN, ""


def award_facts(project: TenderProject) -> rules.AwardFacts | None:
    committee = getattr(project, "award_committee", None)
    report = getattr(project, "evaluation", None)
    if committee is None or report is None:
        return None
    return rules.AwardFacts(
        method=committee.method,
        candidates=[c.bid.bidder_id for c in report.candidates.select_related("bid")],
        winner=committee.winner_id, ranked_report=report.ranked, ranked_configured=project.candidates_ranked,
        candidate_count_max=project.max_candidates,
        members=[(m.declared, m.conflict, m.vote_for_id, m.reason) for m in committee.members.all()],
        rationale=committee.rationale, compliance_basis=committee.compliance_basis,
        separation_basis=project.separation_basis, decided_on=committee.decided_on,
        publicity_end=project.candidate_publicity_end, bid_validity_end=project.bid_validity_end,
        evaluation_size=report.committee_size)


def project_findings(project: TenderProject) -> list[rules.LegalFinding]:
    """The legal timing/amount findings of one project, plus the 评定分离 ones when it has an award committee."""
    at_opening = project.stage not in (Stage.PLAN, Stage.NOTICE, Stage.DOCS, Stage.CLARIFY)
    found = rules.legal_findings(project, thresholds=list(MustTenderThreshold.objects.all()),
                                 bidder_count=project.bids.count() if at_opening else None)
    facts = award_facts(project) if project.separated else None
    if facts is not None:
        found += rules.award_findings(facts)
    return found


def savings(projects) -> dict:
    """Savings = (Σ budget − Σ award) ÷ Σ budget over awarded projects (budget: 预算 or 最高限价)."""
    budget = award = Decimal(0)
    count = 0
    for p in projects.exclude(award_amount_yuan=None).only(
            "regime", "budget_yuan", "estimated_price_yuan", "award_amount_yuan"):
        base = p.reference_amount
        if not base:
            continue
        budget += Decimal(base)
        award += Decimal(p.award_amount_yuan)
        count += 1
    saved = budget - award
    return {"projects": count, "budget_yuan": budget, "award_yuan": award, "saved_yuan": saved,
            "rate": (saved / budget) if budget else None}


def trading_summary(user, year: int | None = None) -> dict:
    qs = TenderProject.objects.restrict(user, "view")
    if year:
        qs = qs.filter(Q(notice_date__year=year) | Q(notice_date=None, planned_date__year=year))
    tenders = qs.exclude(stage=Stage.PLAN)
    total = tenders.count()
    separated = tenders.filter(separated=True).count()
    return {
        "year": year,
        "tenders": total,
        "separated": separated,
        "separated_share": (Decimal(separated) / total) if total else None,
        "savings_all": savings(qs),
        "savings_procurement": savings(qs.filter(regime=Regime.PROCUREMENT)),
        "savings_works": savings(qs.filter(regime=Regime.WORKS)),
        "open_findings": DocumentFinding.objects.filter(project__in=qs, status=FindingStatus.OPEN).count(),
        "by_stage": list(qs.values("stage").annotate(n=Count("id")).order_by("stage")),
    }


def supervisor_queue(user):
    """Projects with open document findings, most high-severity first (预警队列)."""
    return (TenderProject.objects.restrict(user, "view")
            .annotate(open_high=Count("findings", filter=Q(findings__status=FindingStatus.OPEN,
                                                             findings__severity=Severity.HIGH)),
                      open_all=Count("findings", filter=Q(findings__status=FindingStatus.OPEN)))
            .filter(open_all__gt=0).order_by("-open_high", "-open_all", "code"))


def credit_report(uscc: str, on: dt.date | None = None, user=None) -> dict | None:
    """One enterprise's trading credit: adverse records (active/expired), debarment, bids, wins, and the clues
    transferred about it — those only for a ``user`` who may see clues (they go to 纪检监察、公安)."""
    on = on or dt.date.today()
    enterprise = Enterprise.objects.filter(uscc=uscc).first()
    if enterprise is None:
        return None
    records = list(AdverseRecord.objects.filter(enterprise=enterprise).order_by("-decided_on"))
    status, note = credit_status(enterprise, on)
    bids = Bid.objects.filter(bidder=enterprise)
    won = TenderProject.objects.filter(winner=enterprise)
    return {
        "enterprise": {"uscc": enterprise.uscc, "name": enterprise.name, "region": enterprise.region},
        "as_of": on.isoformat(),
        "status": status, "status_label": str(CreditStatus(status).label), "note": note,
        "records": [{"type": r.type, "type_label": r.get_type_display(), "decided_on": r.decided_on.isoformat(),
                     "valid_until": r.valid_until.isoformat(),
                     "debarred_until": r.debarred_until.isoformat() if r.debarred_until else None,
                     "active": r.valid_until >= on, "authority": r.authority, "document_no": r.document_no,
                     "summary": r.summary} for r in records],
        "bids": bids.count(),
        "flagged_bids": bids.exclude(credit_status=CreditStatus.CLEAN).count(),
        "wins": won.count(),
        "won_amount_yuan": str(won.aggregate(s=Sum("award_amount_yuan"))["s"] or Decimal(0)),
        "clues": [{"code": c.code, "transferred_on": c.transferred_on.isoformat(), "recipient": c.recipient}
                  for c in Clue.objects.restrict(user, "view").filter(firms=enterprise)]
        if user is not None and user.has_perm("trading.view_clue") else None,
    }


def clue_totals(qs=None) -> dict:
    qs = Clue.objects.all() if qs is None else qs
    agg = qs.aggregate(persons=Sum("person_times"), amount=Sum("amount_yuan"))
    return {"clues": qs.count(), "firms": Enterprise.objects.filter(clues__in=qs).distinct().count(),
            "person_times": agg["persons"] or 0, "amount_yuan": agg["amount"] or Decimal(0)}


def village_risks(projects=None) -> dict:
    """Project id → its VL findings (split detection runs over the whole set given)."""
    projects = list(VillageProject.objects.all() if projects is None else projects)
    tiers = list(VillageTier.objects.all())
    splits = split_groups(projects, tiers)
    return {p.pk: village_findings(p, tiers, splits.get(p.pk)) for p in projects}


def village_project_findings(project: VillageProject):
    siblings = VillageProject.objects.filter(village_code=project.village_code, category=project.category)
    return village_risks(siblings).get(project.pk, [])


# --- added for the cockpit (统筹驾驶舱): city-wide figures by month, department and town -------------------


def _year_q(year: int) -> Q:
    return Q(notice_date__year=year) | Q(notice_date=None, planned_date__year=year)


def tender_breakdown(year: int) -> dict:
    """City-wide tender figures of ``year`` (same year rule and definitions as ``trading_summary``, without a
    user's data scope: for aggregate reporting only).

    ``{"tenders", "separated", "separated_share", "savings_all", "savings_procurement", "open_findings",
    "by_month": [{"month", "tenders", "separated"}], "by_department": [{"code", "name", "level", "tenders",
    "separated"}]}``; a project's month is that of its 公告日期 (计划日期 when not yet announced).
    """
    from django.db.models.functions import Coalesce, ExtractMonth

    qs = TenderProject.objects.filter(_year_q(year))
    tenders = qs.exclude(stage=Stage.PLAN)
    total = tenders.count()
    separated = tenders.filter(separated=True).count()
    months = {m: {"month": m, "tenders": 0, "separated": 0} for m in range(1, 13)}
    for row in (tenders.annotate(m=ExtractMonth(Coalesce("notice_date", "planned_date"))).values("m")
                .annotate(n=Count("id"), s=Count("id", filter=Q(separated=True)))):
        months[row["m"]].update(tenders=row["n"], separated=row["s"])
    by_department = [{"code": r["department__code"], "name": r["department__name"], "level": r["department__level"],
                      "tenders": r["n"], "separated": r["s"]}
                     for r in tenders.values("department__code", "department__name", "department__level")
                     .annotate(n=Count("id"), s=Count("id", filter=Q(separated=True))).order_by("-n", "department__code")]
    return {
        "tenders": total, "separated": separated,
        "separated_share": (Decimal(separated) / total) if total else None,
        "savings_all": savings(qs), "savings_procurement": savings(qs.filter(regime=Regime.PROCUREMENT)),
        "open_findings": DocumentFinding.objects.filter(project__in=qs, status=FindingStatus.OPEN).count(),
        "by_month": list(months.values()), "by_department": by_department,
    }


def clue_breakdown(year: int) -> dict:
    """Clues transferred in ``year`` (by 移交日期): ``clue_totals`` of that year plus ``by_month``."""
    from django.db.models.functions import ExtractMonth

    qs = Clue.objects.filter(transferred_on__year=year)
    months = {m: {"month": m, "clues": 0} for m in range(1, 13)}
    for row in qs.annotate(m=ExtractMonth("transferred_on")).values("m").annotate(n=Count("id")):
        months[row["m"]]["clues"] = row["n"]
    return {**clue_totals(qs), "by_month": list(months.values())}


def village_breakdown(year: int) -> dict:
    """Village projects approved (立项) in ``year``: count, estimated amount, projects with findings (VL rules,
    split detection over the whole year), by month and by town.

    ``{"projects", "amount_yuan", "flagged", "by_month": [{"month", "projects", "flagged"}], "by_town":
    [{"code", "name", "projects", "flagged", "amount_yuan"}]}``.
    """
    projects = list(VillageProject.objects.filter(proposed_on__year=year).select_related("town"))
    risks = village_risks(projects)
    months = {m: {"month": m, "projects": 0, "flagged": 0} for m in range(1, 13)}
    towns: dict[str, dict] = {}
    amount = Decimal(0)
    for p in projects:
        flagged = bool(risks.get(p.pk))
        amount += p.amount_yuan or 0
        months[p.proposed_on.month]["projects"] += 1
        months[p.proposed_on.month]["flagged"] += flagged
        town = towns.setdefault(p.town_id, {"code": p.town_id, "name": p.town.name if p.town else p.town_id,
                                            "projects": 0, "flagged": 0, "amount_yuan": Decimal(0)})
        town["projects"] += 1
        town["flagged"] += flagged
        town["amount_yuan"] += p.amount_yuan or 0
    return {"projects": len(projects), "amount_yuan": amount, "flagged": sum(m["flagged"] for m in months.values()),
            "by_month": list(months.values()), "by_town": sorted(towns.values(), key=lambda r: r["code"])}

"""Every state change of public resource trading. Views, API, commands and seeders call these."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from zhengshu.core.services import ServiceError, service
from zhengshu.trading import rules
from zhengshu.trading.selectors import blocking_findings, credit_status
from zhengshu.trading.choices import (
    LOT_METHODS, NEXT_STAGES, PRICE_METHODS, STAGE_DATE_FIELD, TENDER_METHODS, VILLAGE_DATE_FIELD, VILLAGE_NEXT,
    VOTE_METHODS,
    AwardMethod, CreditStatus, DecryptStatus, FindingStatus, Severity, Stage, VillageStage,
)
from zhengshu.trading.models import (
    AwardCommittee, AwardMember, Bid, Candidate, DocumentFinding, EvaluationReport, OpeningLogEntry,
    StageEvent, TenderDocument, TenderProject, VillageProject,
)

MIN_REASON = 5


# --- lifecycle ----------------------------------------------------------------------------------------------


def _move(project: TenderProject, to: str, on: dt.date, actor, note: str = "") -> TenderProject:
    before = project.stage
    project.stage = to
    field = STAGE_DATE_FIELD.get(to)
    if field and not (to == Stage.CLARIFY and getattr(project, field) and getattr(project, field) > on):
        setattr(project, field, on)
    project.save()
    StageEvent.objects.create(project=project, from_stage=before, to_stage=to, on=on, actor=actor, note=note[:500])
    return project


@service(perm="trading.change_tenderproject", obj="project")
def advance_tender(*, actor, project: TenderProject, to: str, on: dt.date, note: str = "") -> TenderProject:
    """Move a tender to its next stage on ``on``; the stage's date is recorded and the legal gates applied."""
    given, project = project, TenderProject.objects.select_for_update().get(pk=project.pk)
    if to not in NEXT_STAGES[Stage(project.stage)]:
        allowed = "、".join(Stage(s).label for s in NEXT_STAGES[Stage(project.stage)]) or "无"
        raise ServiceError(f"项目 {project.code} 处于“{project.get_stage_display()}”，不能转到“{Stage(to).label}”（可转：{allowed}）")
    if to == Stage.NOTICE:
        blocking = list(blocking_findings(project)[:5])
        if blocking:
            rules_list = "、".join(f"{f.rule}（第 {f.start} 字）" for f in blocking)
            raise ServiceError(f"项目 {project.code} 的招标文件有未处理的高风险问题：{rules_list}；整改或经监管人员记录理由放行后才能发布公告")
    if to == Stage.OPENING and project.method in TENDER_METHODS:
        count = project.bids.count()
        if count < rules.MIN_BIDDERS:
            raise ServiceError(f"项目 {project.code} 投标人仅 {count} 个，少于 {rules.MIN_BIDDERS} 个不得开标"
                               f"（{rules.bidder_article(project)}），应转为流标并重新招标")
    if to == Stage.AWARD:
        if project.separated:
            committee = getattr(project, "award_committee", None)
            if committee is None or committee.winner_id is None:
                raise ServiceError(f"项目 {project.code} 采用评定分离，须先由定标委员会作出定标决定")
        elif project.winner_id is None:
            raise ServiceError(f"项目 {project.code} 尚未确定中标人")
    if to == Stage.CONTRACT and project.winner_id is None:
        raise ServiceError(f"项目 {project.code} 尚未确定中标人，不能签订合同")
    _move(project, to, on, actor, note)
    given.refresh_from_db()
    return given


@service(perm="trading.add_tenderproject", obj="project")
def retender(*, actor, project: TenderProject, code: str) -> TenderProject:
    """A failed tender (流标) is tendered again as a new project that points back to it."""
    if project.stage != Stage.FAILED:
        raise ServiceError(f"项目 {project.code} 未流标，不能重新招标")
    fields = {f.name: getattr(project, f.name) for f in TenderProject._meta.concrete_fields
              if f.name in ("department", "name", "regime", "kind", "method", "tenderer_name", "tenderer_division",
                            "agency", "location", "estimated_price_yuan", "budget_yuan", "state_fund_share",
                            "state_controlled", "import_approved", "separated", "separation_basis",
                            "candidates_ranked", "max_candidates", "bid_bond_yuan")}
    new = TenderProject(code=code, retender_of=project, planned_date=timezone.localdate(), **fields)
    new.name = f"{project.name}（重新招标）"
    new.full_clean()
    new.save()
    return new


# --- bids and opening ---------------------------------------------------------------------------------------


@service(perm="trading.add_bid")
def record_bid(*, actor, project: TenderProject, bidder, price_yuan: Decimal, submitted_at: dt.datetime,
               lot=None) -> Bid:
    """Receive a bid before the deadline; the bidder's credit is checked at this moment."""
    if project.stage not in (Stage.DOCS, Stage.CLARIFY):
        raise ServiceError(f"项目 {project.code} 处于“{project.get_stage_display()}”，不接收投标")
    if not TenderProject.objects.restrict(actor, "view").filter(pk=project.pk).exists():
        raise ServiceError("项目不在您的数据范围内")
    if project.bid_deadline and timezone.localdate(submitted_at) > project.bid_deadline:
        raise ServiceError(f"投标截止日期为 {project.bid_deadline}，逾期递交的投标文件不予受理")
    if Bid.objects.filter(project=project, lot=lot, bidder=bidder).exists():
        raise ServiceError(f"{bidder} 已对项目 {project.code} 递交过投标文件")
    status, note = credit_status(bidder, timezone.localdate(submitted_at))
    bid = Bid(project=project, lot=lot, bidder=bidder, price_yuan=Decimal(price_yuan), submitted_at=submitted_at,
              credit_status=status, credit_note=note)
    if status == CreditStatus.DEBARRED:
        bid.rejected, bid.reject_reason = True, note[:300]
    bid.full_clean()
    bid.save()
    return bid


@service(perm="trading.change_tenderproject", obj="project")
def open_bids_online(*, actor, project: TenderProject, at: dt.datetime, failed_bidders=()) -> list[OpeningLogEntry]:
    """不见面开标: log the online opening and each bid's decryption; a failed decryption is recorded as such."""
    failed = {getattr(b, "pk", b) for b in failed_bidders}
    log = [OpeningLogEntry.objects.create(project=project, time=at, event="开标开始",
                                          message=f"递交投标文件 {project.bids.count()} 份")]
    for i, bid in enumerate(project.bids.select_related("bidder").order_by("submitted_at", "id")):
        when = at + dt.timedelta(minutes=1 + i)
        ok = bid.bidder_id not in failed
        bid.decrypt_status = DecryptStatus.OK if ok else DecryptStatus.FAILED
        bid.decrypted_at = when if ok else None
        if not ok:
            bid.rejected, bid.reject_reason = True, "投标文件解密失败"
        bid.save()
        log.append(OpeningLogEntry.objects.create(project=project, bid=bid, time=when, event="解密", ok=ok,
                                                  message=f"{bid.bidder}：{'解密成功' if ok else '解密失败'}"))
    log.append(OpeningLogEntry.objects.create(project=project, time=at + dt.timedelta(minutes=len(log)),
                                              event="唱标结束", message="开标记录已生成"))
    return log


# --- documents and findings ---------------------------------------------------------------------------------


@service(perm="trading.add_tenderdocument")
def upload_document(*, actor, project: TenderProject, filename: str, content: bytes) -> TenderDocument:
    """Store a tender document and check it with the project's facts; earlier versions' open findings close."""
    from zhengshu.trading.documents import CheckerUnavailable, run_checker

    if not TenderProject.objects.restrict(actor, "change").filter(pk=project.pk).exists():
        raise ServiceError("项目不在您的数据范围内")
    try:
        text, findings, version = run_checker(content, filename, project.check_facts())
    except CheckerUnavailable as exc:
        raise ServiceError(str(exc)) from None
    except ValueError as exc:
        raise ServiceError(f"文件 {filename} 无法读取：{exc}") from None
    document = TenderDocument.objects.create(
        project=project, filename=filename[:200], content=content, sha256=hashlib.sha256(content).hexdigest(),
        text=text, uploaded_by=actor, checked_at=timezone.now(), rules_version=version)
    _store_findings(document, findings)
    DocumentFinding.objects.filter(project=project, status=FindingStatus.OPEN).exclude(document=document).update(
        status=FindingStatus.RESOLVED, handled_by=actor, handled_at=timezone.now(),
        reason=f"已上传新版本《{document.filename}》，以新版本检查结果为准"[:500])
    return document


def _store_findings(document: TenderDocument, findings) -> list[DocumentFinding]:
    rows = []
    for f in findings:
        row = DocumentFinding(
            document=document, project=document.project, rule=f.rule, group=getattr(f, "group", "") or "",
            basis=(getattr(f, "basis", "") or "")[:300], severity=f.severity, start=f.start, end=f.end,
            text=f.text or document.text[f.start:f.end], message=(f.message or "")[:500],
            suggestion=(getattr(f, "suggestion", "") or "")[:500], section=(getattr(f, "section", "") or "")[:40])
        row.save()
        rows.append(row)
    return rows


def _handle(finding: DocumentFinding, actor, status: str, reason: str) -> DocumentFinding:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ServiceError(f"处理 {finding.rule}（第 {finding.start} 字）须写明理由，不少于 {MIN_REASON} 个字")
    if finding.status != FindingStatus.OPEN:
        raise ServiceError(f"{finding.rule}（第 {finding.start} 字）已处理（{finding.get_status_display()}）")
    finding.status, finding.reason = status, reason[:500]
    finding.handled_by, finding.handled_at = actor, timezone.now()
    finding.save()
    return finding


@service(perm="trading.change_documentfinding", obj="finding")
def resolve_finding(*, actor, finding: DocumentFinding, reason: str) -> DocumentFinding:
    """The tenderer marks a finding as corrected (整改), saying what was changed.

    A high-severity finding gates publication, so the tenderer's word is not enough: it is resolved by uploading
    the corrected document (its check replaces this one) or released by a supervisor with a recorded reason.
    """
    if finding.severity == Severity.HIGH and not actor.has_perm("trading.override_documentfinding", finding):
        raise ServiceError(f"{finding.rule}（第 {finding.start} 字）为高风险问题：请上传修改后的招标文件重新检查，"
                           "或由招投标监管人员记录理由后放行")
    return _handle(finding, actor, FindingStatus.RESOLVED, reason)


@service(perm="trading.override_documentfinding", obj="finding")
def override_finding(*, actor, finding: DocumentFinding, reason: str) -> DocumentFinding:
    """A supervisor releases a finding with a recorded reason (e.g. a qualification the law itself requires)."""
    return _handle(finding, actor, FindingStatus.OVERRIDDEN, reason)


# --- 评定分离 ------------------------------------------------------------------------------------------------


@service(perm="trading.change_tenderproject", obj="project")
def record_evaluation(*, actor, project: TenderProject, report_date: dt.date, committee_size: int,
                      candidates: list[dict], ranked: bool = False, remarks: str = "") -> EvaluationReport:
    """The evaluation committee's report: candidates (``{"bid", "rank", "remarks"}``), ranked or not."""
    if project.stage not in (Stage.OPENING, Stage.EVALUATION):
        raise ServiceError(f"项目 {project.code} 处于“{project.get_stage_display()}”，不能录入评标报告")
    if not candidates:
        raise ServiceError("评标报告至少推荐一名中标候选人")
    for c in candidates:
        bid = c["bid"]
        if bid.project_id != project.pk:
            raise ServiceError(f"候选人 {bid.bidder} 的投标不属于项目 {project.code}")
        if bid.rejected:
            raise ServiceError(f"候选人 {bid.bidder} 的投标已被否决（{bid.reject_reason}），不能推荐")
        if ranked and not c.get("rank"):
            raise ServiceError(f"排序推荐时候选人 {bid.bidder} 须有名次")
    if EvaluationReport.objects.filter(project=project).exists():
        raise ServiceError(f"项目 {project.code} 已有评标报告")
    report = EvaluationReport.objects.create(project=project, report_date=report_date, committee_size=committee_size,
                                             ranked=ranked, remarks=remarks)
    for c in candidates:
        Candidate.objects.create(report=report, bid=c["bid"], rank=c.get("rank") if ranked else None,
                                 remarks=c.get("remarks", "")[:500])
    if project.stage == Stage.OPENING:
        _move(project, Stage.EVALUATION, report_date, actor, "评标报告已提交")
    return report


@service(perm="trading.change_tenderproject", obj="project")
def form_award_committee(*, actor, project: TenderProject, formed_on: dt.date, method: str, members: list[dict],
                         formation: str = "", compliance_basis: str = "", supervisor_present: str = "",
                         recorded: bool = True) -> AwardCommittee:
    """The tenderer's award committee (定标委员会) with members' conflict-of-interest declarations."""
    if not project.separated:
        raise ServiceError(f"项目 {project.code} 未采用评定分离，由评标委员会排序推荐后依法确定中标人")
    if AwardMethod(method) in LOT_METHODS and method == AwardMethod.VOTE_LOT and not compliance_basis.strip():
        raise ServiceError("票决抽签为混合方式，须写明合规依据（发改法规规〔2022〕1117号 一(二)）")
    if not members:
        raise ServiceError("定标委员会须有成员")
    committee = AwardCommittee.objects.create(
        project=project, formed_on=formed_on, method=method, compliance_basis=compliance_basis,
        formation=formation or "从招标人定标委员会成员库随机抽取", supervisor_present=supervisor_present,
        recorded=recorded)
    for m in members:
        AwardMember.objects.create(committee=committee, name=m["name"], position=m.get("position", ""),
                                   declared=m.get("declared", True), conflict=m.get("conflict", False),
                                   conflict_note=m.get("conflict_note", ""))
    return committee


@service(perm="trading.change_tenderproject", obj="project")
def decide_award(*, actor, project: TenderProject, decided_on: dt.date, rationale: str,
                 votes: dict | None = None, winner=None) -> AwardCommittee:
    """The award committee's reasoned decision.

    票决: ``votes`` maps member id → (enterprise, reason); the most votes of members without a conflict wins.
    价格竞争: the winner follows from the candidates' prices. 集体议事 and 抽签 methods name ``winner``.
    """
    committee = getattr(project, "award_committee", None)
    report = getattr(project, "evaluation", None)
    if committee is None or report is None:
        raise ServiceError(f"项目 {project.code} 须先有评标报告和定标委员会")
    if committee.winner_id:
        raise ServiceError(f"项目 {project.code} 已定标")
    if project.stage != Stage.CANDIDATES:
        raise ServiceError(f"项目 {project.code} 处于“{project.get_stage_display()}”，候选人公示后才能定标")
    if project.candidate_publicity_end and decided_on <= project.candidate_publicity_end:
        raise ServiceError(f"候选人公示至 {project.candidate_publicity_end}，公示期满后才能定标（《招标投标法实施条例》第54条）")
    candidates = {c.bid.bidder_id: c.bid for c in report.candidates.select_related("bid__bidder")}
    members = {m.pk: m for m in committee.members.all()}
    for member_id, (enterprise, reason) in (votes or {}).items():
        member = members.get(member_id)
        if member is None:
            raise ServiceError(f"委员 {member_id} 不属于本定标委员会")
        if member.conflict:
            raise ServiceError(f"委员 {member.name} 存在利害关系，应当回避，不能表决")
        if enterprise.pk not in candidates:
            raise ServiceError(f"委员 {member.name} 投给的 {enterprise} 不是中标候选人")
        member.vote_for, member.reason = enterprise, (reason or "")[:500]
        member.save()
    method = committee.method
    if method in VOTE_METHODS:
        ballots = [(m.declared, m.conflict, m.vote_for_id, m.reason) for m in members.values()]
        chosen, _tally = rules.decide_by_votes(ballots)
        if chosen is None:
            raise ServiceError("表决未产生唯一得票最多的候选人（平票或无人表决），请按招标文件规定的规则再次表决")
        winner_id = chosen
    elif method in PRICE_METHODS:
        winner_id = rules.decide_by_price(method, {k: b.price_yuan for k, b in candidates.items()})
        if winner_id is None:
            raise ServiceError("价格竞争未产生唯一中标人（报价相同），请按招标文件规定处理")
    else:
        if winner is None:
            raise ServiceError(f"“{AwardMethod(method).label}”须写明确定的中标人")
        winner_id = winner.pk
    if winner is not None and winner.pk != winner_id:
        raise ServiceError(f"所选中标人与按“{AwardMethod(method).label}”得出的结果不一致")
    if winner_id not in candidates:
        raise ServiceError("中标人不在评标委员会推荐的候选人之中（《招标投标法》第57条）")
    if len((rationale or "").strip()) < MIN_REASON:
        raise ServiceError("定标报告须写明择优/比劣理由")
    committee.winner_id, committee.decided_on, committee.rationale = winner_id, decided_on, rationale.strip()
    committee.save()
    project.winner_id = winner_id
    project.award_amount_yuan = candidates[winner_id].price_yuan
    project.save()
    _move(project, Stage.AWARD, decided_on, actor, f"定标：{candidates[winner_id].bidder}（{AwardMethod(method).label}）")
    return committee


@service(perm="trading.change_tenderproject", obj="project")
def award_first_ranked(*, actor, project: TenderProject, decided_on: dt.date) -> TenderProject:
    """Without 评定分离: the first-ranked candidate wins (《招标投标法实施条例》第55条)."""
    report = getattr(project, "evaluation", None)
    if project.separated:
        raise ServiceError(f"项目 {project.code} 采用评定分离，须由定标委员会定标")
    if report is None or not report.ranked:
        raise ServiceError(f"项目 {project.code} 须有排序推荐的评标报告")
    if project.stage != Stage.CANDIDATES:
        raise ServiceError(f"项目 {project.code} 处于“{project.get_stage_display()}”，候选人公示后才能定标")
    first = report.candidates.select_related("bid").order_by("rank").first()
    project.winner_id, project.award_amount_yuan = first.bid.bidder_id, first.bid.price_yuan
    project.save()
    return _move(project, Stage.AWARD, decided_on, actor, f"确定排名第一的中标候选人：{first.bid.bidder}")


# --- village projects ---------------------------------------------------------------------------------------


@service(perm="trading.change_villageproject", obj="project")
def advance_village(*, actor, project: VillageProject, on: dt.date, **fields) -> VillageProject:
    """Move a village project one stage on (立项 → 决策 → 交易 → 施工 → 验收 → 审计 → 公示), with that stage's facts."""
    given, project = project, VillageProject.objects.select_for_update().get(pk=project.pk)
    to = VILLAGE_NEXT.get(VillageStage(project.stage))
    if to is None:
        raise ServiceError(f"村级工程 {project.code} 已公示结项")
    allowed = {
        VillageStage.DECIDED: {"members_total", "votes_for", "publicity_start", "publicity_end"},
        VillageStage.TRADED: {"trading_method", "contractor", "contract_date", "contract_amount_yuan"},
        VillageStage.BUILDING: set(),
        VillageStage.ACCEPTED: set(),
        VillageStage.AUDITED: {"audit_amount_yuan"},
        VillageStage.DISCLOSED: set(),
    }[to]
    unknown = set(fields) - allowed
    if unknown:
        raise ServiceError(f"“{to.label}”阶段不能填写：{'、'.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(project, name, value)
    setattr(project, VILLAGE_DATE_FIELD[to], on)
    if to == VillageStage.DECIDED and (project.members_total is None or project.votes_for is None):
        raise ServiceError("决策须录入应到成员数和赞成票数")
    if to == VillageStage.TRADED and not project.trading_method:
        raise ServiceError("交易须录入交易方式")
    project.stage = to
    try:
        project.full_clean()
    except ValidationError as exc:
        raise ServiceError("；".join(exc.messages)) from None
    project.save()
    given.refresh_from_db()
    return given

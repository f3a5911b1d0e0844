"""Pages of public resource trading: generic lists, the project page, the document with its marked findings,
the supervisor queue, the dashboard, the credit report and the village project page."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms import modelform_factory
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhengshu.core.services import ServiceError
from zhengshu.core.views.generic import ModelConfig, display_value, field_label
from zhengshu.trading import selectors, services
from zhengshu.trading.choices import DecryptStatus, FindingStatus, Stage
from zhengshu.trading.forms import (
    AdvanceForm, BidForm, CheckRuleForm, CommitteeForm, DecisionForm, EvaluationForm, FindingActionForm,
    TenderProjectForm, UploadForm, VillageProjectForm,
)
from zhengshu.trading.highlight import highlight
from zhengshu.trading.models import (
    AdverseRecord, CheckRule, Clue, DocumentFinding, Enterprise, MustTenderThreshold, TenderDocument, TenderProject,
    VillageProject, VillageTier,
)

PROJECT_FIELDS = (
    "code", "name", "regime", "kind", "method", "tenderer_name", "agency", "location", "estimated_price_yuan",
    "budget_yuan", "state_fund_share", "state_controlled", "separated", "separation_basis", "candidates_ranked",
    "bid_bond_yuan", "performance_bond_yuan", "award_amount_yuan", "winner", "department", "retender_of",
)
DATE_FIELDS = (
    "planned_date", "notice_date", "doc_issue_date", "doc_sale_end", "original_bid_deadline", "bid_deadline",
    "clarification_date", "opening_date", "evaluation_report_date", "candidate_publicity_start",
    "candidate_publicity_end", "bid_validity_end", "award_date", "award_publicity_start", "award_publicity_end",
    "notification_date", "contract_date", "acceptance_date", "failed_date",
)
PROJECT_FORM_FIELDS = (
    "code", "name", "regime", "kind", "method", "department", "tenderer_name", "tenderer_division", "agency",
    "location", "estimated_price_yuan", "budget_yuan", "state_fund_share", "state_controlled", "import_approved",
    "separated", "separation_basis", "candidates_ranked", "max_candidates",
    *[f for f in DATE_FIELDS if f != "failed_date"], "clarification_affects_preparation", "bid_bond_yuan",
    "performance_bond_yuan", "description", "comments",
)
VILLAGE_FORM_FIELDS = ("code", "name", "department", "town", "village_code", "village_name", "category", "amount_yuan",
                       "funding", "proposed_on", "description", "comments")


class VillageConfig(ModelConfig):
    """The town filter offers the city's towns only (a plain FK filter would list every division of China)."""

    @cached_property
    def filterset_class(self):
        import django_filters

        from zhengshu.trading.forms import city_divisions

        town = django_filters.ModelChoiceFilter(label="镇（街道）", queryset=lambda request: city_divisions(True))
        return type("VillageProjectFilterSet", (ModelConfig.filterset_class.func(self),), {"town": town})


def _year_filter(label: str, q_of_year):
    """A 年度 filter (used by the cockpit's drill-downs): ``q_of_year(year) -> Q``."""
    import django_filters

    def apply(qs, _name, value):
        return qs.filter(q_of_year(int(value))) if value else qs

    return lambda: {"year": django_filters.NumberFilter(label=label, method=apply, min_value=2000, max_value=2100)}


project_config = ModelConfig(
    model=TenderProject,
    list_fields=("code", "name", "regime", "kind", "tenderer_name", "stage", "estimated_price_yuan",
                 "award_amount_yuan", "separated"),
    search_fields=("code", "name", "tenderer_name", "agency"),
    filter_fields=("regime", "kind", "stage", "separated"),
    extra_filters=_year_filter("年度（公告日期，未公告的按计划日期）", selectors._year_q),
    form_fields=PROJECT_FORM_FIELDS,
    form_class=modelform_factory(TenderProject, form=TenderProjectForm, fields=PROJECT_FORM_FIELDS),
    deletable=False, url_prefix="projects",
    queryset_hook=lambda qs: qs.select_related("department", "winner"),
)
enterprise_config = ModelConfig(
    model=Enterprise, list_fields=("name", "uscc", "region"), search_fields=("name", "uscc"),
    form_fields=("uscc", "name", "legal_rep", "region"), deletable=False)
adverse_config = ModelConfig(
    model=AdverseRecord, list_fields=("enterprise", "type", "decided_on", "valid_until", "debarred_until", "authority"),
    search_fields=("enterprise__name", "enterprise__uscc", "document_no"), filter_fields=("type",),
    form_fields=("enterprise", "type", "decided_on", "valid_until", "debarred_until", "authority", "document_no",
                 "basis", "summary"),
    queryset_hook=lambda qs: qs.select_related("enterprise"))
clue_config = ModelConfig(
    model=Clue, list_fields=("code", "transferred_on", "recipient", "person_times", "amount_yuan"),
    search_fields=("code", "summary", "recipient"),
    extra_filters=_year_filter("年度（移交日期）", lambda y: Q(transferred_on__year=y)),
    form_fields=("code", "project", "transferred_on", "recipient", "summary", "firms", "person_times", "amount_yuan"))
checkrule_config = ModelConfig(
    model=CheckRule, list_fields=("rule_id", "enabled", "severity", "group", "pattern"),
    search_fields=("rule_id", "group", "message"), filter_fields=("enabled", "severity"),
    form_class=CheckRuleForm, form_fields=CheckRuleForm.Meta.fields)
village_config = VillageConfig(
    model=VillageProject,
    list_fields=("code", "village_name", "name", "category", "amount_yuan", "stage", "trading_method"),
    search_fields=("code", "name", "village_name"), filter_fields=("category", "stage", "town"),
    extra_filters=_year_filter("年度（立项日期）", lambda y: Q(proposed_on__year=y)),
    form_fields=VILLAGE_FORM_FIELDS,
    form_class=modelform_factory(VillageProject, form=VillageProjectForm, fields=VILLAGE_FORM_FIELDS),
    deletable=False, url_prefix="villages", queryset_hook=lambda qs: qs.select_related("department", "contractor"))
tier_config = ModelConfig(
    model=VillageTier, list_fields=("name", "min_yuan", "max_yuan", "method", "effective_from"),
    form_fields=("name", "min_yuan", "max_yuan", "method", "effective_from", "basis"))
threshold_config = ModelConfig(
    model=MustTenderThreshold, list_fields=("kind", "amount_yuan", "effective_from", "effective_to", "basis"),
    filter_fields=("kind",), form_fields=("kind", "amount_yuan", "effective_from", "effective_to", "basis"))


def _fields(obj, names):
    return [(field_label(type(obj), n), display_value(obj, n)) for n in names]


def _project(request, pk, action="view") -> TenderProject:
    if not request.user.has_perm("trading.view_tenderproject"):
        raise PermissionDenied
    project = get_object_or_404(TenderProject.objects.restrict(request.user, "view").select_related(
        "department", "winner"), pk=pk)
    if action != "view" and not request.user.has_perm(f"trading.{action}_tenderproject", project):
        raise PermissionDenied
    return project


@login_required
def project_detail(request, pk):
    project = _project(request, pk)
    user = request.user
    can_change = user.has_perm("trading.change_tenderproject", project)
    evaluation = getattr(project, "evaluation", None)
    committee = getattr(project, "award_committee", None)
    context = {
        "title": "招标项目", "object": project, "fields": _fields(project, PROJECT_FIELDS),
        "dates": [(label, value) for label, value in _fields(project, DATE_FIELDS) if value != "—"],
        "legal": selectors.project_findings(project),
        "bids": project.bids.select_related("bidder").order_by("price_yuan"),
        "opening_log": project.opening_log.all(),
        "documents": project.documents.all(),
        "events": project.events.select_related("actor"),
        "evaluation": evaluation,
        "candidates": evaluation.candidates.select_related("bid__bidder") if evaluation else [],
        "committee": committee, "members": committee.members.select_related("vote_for") if committee else [],
        "blocking": selectors.blocking_findings(project).count(),
        "advance_form": AdvanceForm(project=project, initial={"on": timezone.localdate()}) if can_change else None,
        "upload_form": UploadForm() if user.has_perm("trading.add_tenderdocument") and can_change else None,
        "edit_url": reverse("trading:tenderproject_edit", args=[project.pk]) if can_change else None,
        "list_url": reverse("trading:tenderproject_list"),
    }
    if can_change:
        context.update(_step_forms(project, evaluation, committee))
    return render(request, "trading/project_detail.html", context)


def _step_forms(project, evaluation, committee) -> dict:
    """The forms of the next workflow step on the project page (only those that apply now)."""
    today = timezone.localdate()
    forms = {}
    if project.stage in (Stage.DOCS, Stage.CLARIFY):
        forms["bid_form"] = BidForm()
    if project.stage == Stage.OPENING and project.bids.filter(decrypt_status=DecryptStatus.PENDING).exists():
        forms["can_open"] = True
    if project.stage in (Stage.OPENING, Stage.EVALUATION) and evaluation is None:
        forms["evaluation_form"] = EvaluationForm(project=project, initial={"report_date": today})
    if project.separated and evaluation is not None and committee is None:
        forms["committee_form"] = CommitteeForm(initial={"formed_on": today})
    if committee is not None and committee.winner_id is None and project.stage == Stage.CANDIDATES:
        forms["decision_form"] = DecisionForm(committee=committee, candidates=evaluation.candidates.select_related(
            "bid__bidder"), initial={"decided_on": today})
    return forms


@login_required
@require_POST
def project_step(request, pk, step):
    """One workflow step from the project page: bid, online opening, evaluation report, committee, decision."""
    project = _project(request, pk, "change")
    user = request.user
    try:
        if step == "bid":
            form = BidForm(request.POST)
            if form.is_valid():
                bid = services.record_bid(actor=user, project=project, **form.cleaned_data)
                messages.success(request, f"已接收 {bid.bidder} 的投标" + (f"（{bid.credit_note}）" if bid.credit_note else ""))
        elif step == "open":
            form = None
            services.open_bids_online(actor=user, project=project, at=timezone.now())
            messages.success(request, "已完成线上开标解密")
        elif step == "evaluation":
            form = EvaluationForm(request.POST, project=project)
            if form.is_valid():
                data = {k: form.cleaned_data[k] for k in ("report_date", "committee_size", "ranked", "remarks")}
                services.record_evaluation(actor=user, project=project, candidates=form.candidates(), **data)
                messages.success(request, "评标报告已录入")
        elif step == "committee":
            form = CommitteeForm(request.POST)
            if form.is_valid():
                services.form_award_committee(actor=user, project=project, **form.cleaned_data)
                messages.success(request, "定标委员会已组建")
        elif step == "decision":
            committee = getattr(project, "award_committee", None)
            if committee is None:
                raise ServiceError("尚未组建定标委员会")
            form = DecisionForm(request.POST, committee=committee,
                                candidates=project.evaluation.candidates.select_related("bid__bidder"))
            if form.is_valid():
                winner = form.cleaned_data.get("winner")
                services.decide_award(actor=user, project=project, decided_on=form.cleaned_data["decided_on"],
                                      rationale=form.cleaned_data["rationale"], votes=form.votes() or None,
                                      winner=Enterprise.objects.get(pk=int(winner)) if winner else None)
                messages.success(request, "已定标")
        else:
            raise Http404
        if form is not None and not form.is_valid():
            messages.error(request, _form_errors(form))
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("trading:tenderproject_detail", pk=project.pk)


@login_required
@require_POST
def project_advance(request, pk):
    project = _project(request, pk, "change")
    form = AdvanceForm(request.POST, project=project)
    if form.is_valid():
        try:
            services.advance_tender(actor=request.user, project=project, to=form.cleaned_data["to"],
                                    on=form.cleaned_data["on"], note=form.cleaned_data["note"])
            label = dict(form.fields["to"].choices)[form.cleaned_data["to"]]
            messages.success(request, f"项目 {project.code} 已转到“{label}”")
        except ServiceError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _form_errors(form))
    return redirect("trading:tenderproject_detail", pk=project.pk)


def _form_errors(form) -> str:
    return "；".join(f"{form.fields[k].label}：{'、'.join(v)}" if k in form.fields else "、".join(v)
                    for k, v in form.errors.items())


@login_required
@require_POST
def document_upload(request, pk):
    project = _project(request, pk, "change")
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("trading:tenderproject_detail", pk=project.pk)
    upload = form.cleaned_data["file"]
    try:
        document = services.upload_document(actor=request.user, project=project, filename=upload.name,
                                            content=upload.read())
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("trading:tenderproject_detail", pk=project.pk)
    messages.success(request, f"已检查《{document.filename}》：发现 {document.findings.count()} 处问题")
    return redirect("trading:document_detail", pk=document.pk)


@login_required
def document_detail(request, pk):
    if not request.user.has_perm("trading.view_tenderdocument"):
        raise PermissionDenied
    document = get_object_or_404(TenderDocument.objects.restrict(request.user, "view").select_related("project"), pk=pk)
    if not TenderProject.objects.restrict(request.user, "view").filter(pk=document.project_id).exists():
        raise Http404
    findings = list(document.findings.select_related("handled_by").order_by("start", "id"))
    shown = [f for f in findings if f.status == FindingStatus.OPEN] if request.GET.get("open") else findings
    user = request.user
    return render(request, "trading/document_detail.html", {
        "title": "招标文件", "object": document, "project": document.project, "findings": findings,
        "marked": highlight(document.text, shown),
        "can_override": user.has_perm("trading.override_documentfinding"),
        "can_resolve": user.has_perm("trading.change_documentfinding", document.findings.first())
        if findings else False,
        "form": FindingActionForm(),
    })


@login_required
@require_POST
def finding_action(request, pk):
    if not request.user.has_perm("trading.view_documentfinding"):
        raise PermissionDenied
    finding = get_object_or_404(DocumentFinding.objects.restrict(request.user, "view"), pk=pk)
    form = FindingActionForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        fn = services.override_finding if action == "override" else services.resolve_finding
        try:
            fn(actor=request.user, finding=finding, reason=form.cleaned_data["reason"])
            label = dict(form.fields["action"].choices)[action]
            messages.success(request, f"{finding.rule}（第 {finding.start} 字）已{label}")
        except ServiceError as exc:
            messages.error(request, str(exc))
        except PermissionDenied:
            messages.error(request, "没有权限处理该问题（监管放行须由招投标监管人员操作）")
    else:
        messages.error(request, "请选择处理方式并写明理由")
    return redirect(f"{reverse('trading:document_detail', args=[finding.document_id])}#finding-{finding.pk}")


@login_required
def queue(request):
    if not request.user.has_perm("trading.override_documentfinding"):
        raise PermissionDenied
    projects = selectors.supervisor_queue(request.user)[:500]
    return render(request, "trading/queue.html", {"title": "预警队列", "projects": projects})


@login_required
def dashboard(request):
    if not request.user.has_perm("trading.view_tenderproject"):
        raise PermissionDenied
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else None
    summary = selectors.trading_summary(request.user, year)
    clues = selectors.clue_totals() if request.user.has_perm("trading.view_clue") else None
    return render(request, "trading/dashboard.html", {"title": "交易概况", "s": summary, "clues": clues, "year": year})


@login_required
def credit_report(request, uscc):
    if not request.user.has_perm("trading.view_enterprise"):
        raise PermissionDenied
    report = selectors.credit_report(uscc, user=request.user)
    if report is None:
        raise Http404
    return render(request, "trading/credit_report.html", {"title": "信用报告", "r": report})


@login_required
def village_detail(request, pk):
    if not request.user.has_perm("trading.view_villageproject"):
        raise PermissionDenied
    qs = VillageProject.objects.restrict(request.user, "view").select_related("contractor")
    project = get_object_or_404(qs, pk=pk)
    names = [f.name for f in VillageProject._meta.concrete_fields if f.name not in ("id", "created", "updated")]
    return render(request, "trading/village_detail.html", {
        "title": "村级工程", "object": project, "fields": _fields(project, names),
        "risks": selectors.village_project_findings(project),
        "edit_url": reverse("trading:villageproject_edit", args=[project.pk])
        if request.user.has_perm("trading.change_villageproject", project) else None,
        "list_url": reverse("trading:villageproject_list"),
    })

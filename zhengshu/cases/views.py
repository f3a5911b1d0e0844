"""Pages of the case app: work queues, case detail with its actions, online application, 我的办件, 一件事,
异地无忧 figures and the metrics with drill-down. Every read is restricted; every write calls a service."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhengshu.cases import clock, metrics, selectors, services
from zhengshu.cases.choices import (
    ApplicantKind,
    CaseStatus,
    Decision,
    DeliveryMethod,
    SuspensionKind,
)
from zhengshu.cases.models import (
    AgreementItem,
    ApplicantFlag,
    Attachment,
    Bundle,
    Case,
    CommitmentTemplate,
    MetricDefinition,
    Parameter,
    PartnerRegion,
    Rectification,
    ToleranceRecord,
    VaultMaterial,
    VerificationTask,
)
from zhengshu.cases.parameters import param_int
from zhengshu.cases.transitions import TRANSITIONS, allowed_from
from zhengshu.core.masking import mask
from zhengshu.core.services import ServiceError
from zhengshu.core.views.generic import ModelConfig
from zhengshu.orgs.choices import DepartmentLevel

CASE_CONFIG = ModelConfig(
    model=Case,
    list_fields=("number", "item", "applicant_name", "department", "channel", "status", "submitted_at",
                 "promised_due"),
    search_fields=("number", "applicant_name", "item__name"),
    filter_fields=("status", "channel", "department", "tolerance", "commitment", "cross_region_mode"),
    queryset_hook=lambda qs: qs.select_related("item", "department"),
    deletable=False, url_prefix="all",
)
FLAG_CONFIG = ModelConfig(model=ApplicantFlag, list_fields=("id_number", "name", "kind", "flagged_on", "lifted_on",
                                                            "department"),
                          search_fields=("name", "id_number"), filter_fields=("kind",), deletable=False,
                          url_prefix="flags")
RECTIFICATION_CONFIG = ModelConfig(model=Rectification, list_fields=("rating", "department", "due_date", "status"),
                                   filter_fields=("status", "department"), deletable=False, url_prefix="rectifications",
                                   queryset_hook=lambda qs: qs.select_related("rating__case", "department"))
PARAMETER_CONFIG = ModelConfig(model=Parameter, list_fields=("key", "name", "value", "help"),
                               form_fields=("key", "name", "value", "help"), deletable=False,
                               url_prefix="parameters")
METRIC_CONFIG = ModelConfig(model=MetricDefinition, list_fields=("sort", "key", "name", "unit", "kind"),
                            form_fields=("key", "name", "unit", "kind", "base", "numerator", "denominator",
                                         "definition", "sort"),
                            search_fields=("key", "name"), deletable=False, url_prefix="metric-definitions")
BUNDLE_CONFIG = ModelConfig(model=Bundle, list_fields=("code", "name", "department", "active"),
                            search_fields=("code", "name"), deletable=False, url_prefix="bundles")

# The fields each action's form asks for: (name, label, kind, options).
ACTION_FIELDS: dict[str, list[tuple]] = {
    "request_correction": [("content", "需补正的全部内容（一次性告知）", "textarea", None)],
    "resubmit": [("files", "补正材料", "file", None)],
    "reject": [("reason", "不予受理理由", "textarea", None)],
    "accept": [],
    "start_review": [],
    "suspend": [("kind", "特别程序种类", "select", SuspensionKind.choices), ("reason", "启动理由或依据", "text", None),
                ("extension_days", "延长天数（仅延长审批）", "number", None)],
    "resume": [("result", "特别程序结果", "text", None)],
    "decide": [("decision", "决定", "select", Decision.choices), ("text", "决定意见", "text", None)],
    "conclude": [("result_number", "结果证照编号", "text", None)],
    "deliver": [("method", "送达方式", "select", DeliveryMethod.choices), ("logistics_no", "物流单号", "text", None)],
    "rate": [("level", "满意度", "select", [(str(k), v) for k, v in ((1, "非常满意"), (2, "满意"), (3, "基本满意"),
                                                                   (4, "不满意"), (5, "非常不满意"))]),
             ("comment", "文字评价", "text", None)],
    "terminate": [("reason", "终止理由", "textarea", None)],
    "revoke": [("reason", "撤销理由", "textarea", None)],
    "withdraw": [("reason", "撤回原因", "text", None)],
}


def _today() -> date:
    return timezone.localdate()


def _is_staff(user) -> bool:
    return getattr(user, "kind", "staff") == "staff"


def _codes(table: str) -> dict[str, str]:
    from zhengshu.govservices.models import code_map

    return code_map(table, active_only=True)


def _case_or_404(user, pk: int, action: str = "view") -> Case:
    case = get_object_or_404(Case.objects.restrict(user, "view").select_related("item", "department"), pk=pk)
    if action != "view" and not user.has_perm(f"cases.{action}_case", case):
        raise PermissionDenied
    return case


def _row(case: Case, today: date, channels: dict) -> dict:
    return {"case": case, "applicant": mask("name", case.applicant_name), "channel": channels.get(case.channel, case.channel),
            "warning": clock.warning(case, today)}


@login_required
def queue(request):
    """办件工作台: the queues of the user's department tree, by level and department."""
    if not _is_staff(request.user):
        return redirect("cases:mine")  # applicants follow their own cases there
    if not request.user.has_perm("cases.view_case"):
        raise PermissionDenied
    today = _today()
    qs = Case.objects.restrict(request.user, "view").select_related("item", "department")
    level = request.GET.get("level", "")
    if level in DepartmentLevel.values:
        qs = qs.filter(department__level=level)
    dept = request.GET.get("department", "")
    if dept.isdigit():
        qs = qs.filter(department_id=int(dept))
    search = request.GET.get("q", "").strip()
    if search:
        qs = qs.filter(number__icontains=search) | qs.filter(applicant_name__icontains=search)
    key = request.GET.get("queue", "intake")
    if key not in selectors.QUEUES:
        key = "intake"
    counts = selectors.queue_counts(qs, today)
    page = Paginator(selectors.queue(qs, key, today).order_by("promised_due", "submitted_at"), 50).get_page(
        request.GET.get("page"))
    channels = _codes("apply_channel")
    params = request.GET.copy()
    params.pop("page", None)
    departments = (Case.objects.restrict(request.user, "view").values_list("department_id", "department__name")
                   .distinct().order_by("department__name"))
    return render(request, "cases/queue.html", {
        "title": "办件工作台", "queues": [(k, v[0], counts[k]) for k, v in selectors.QUEUES.items()], "current": key,
        "rows": [_row(c, today, channels) for c in page.object_list], "page_obj": page,
        "querystring_without_page": (params.urlencode() + "&") if params else "",
        "levels": DepartmentLevel.choices, "level": level, "departments": departments, "department": dept,
        "q": search,
    })


def _action_forms(request, case: Case) -> list[dict]:
    forms = []
    for transition in allowed_from(case.status):
        name = transition.name
        if name in ("resubmit", "withdraw") and not _is_staff(request.user):
            perm = "cases.apply_case"
        else:
            perm = f"cases.{transition.action}_case"
        if not request.user.has_perm(perm, case):
            continue
        fields = list(ACTION_FIELDS[name])
        if name == "rate":
            fields.insert(1, ("channel", "评价渠道", "select", list(_codes("rating_channel").items())))
        forms.append({"name": name, "label": transition.label, "fields": fields,
                      "url": reverse("cases:case_action", args=[case.pk, name])})
    return forms


@login_required
def case_detail(request, pk: int):
    case = _case_or_404(request.user, pk)
    staff = _is_staff(request.user)
    today = _today()
    tolerance_materials = case.item.materials.filter(may_be_missing=True) if case.status == CaseStatus.SUBMITTED else []
    templates = (CommitmentTemplate.objects.filter(item=case.item, active=True)
                 if case.status == CaseStatus.SUBMITTED and case.item.allows_commitment else [])
    can_accept = request.user.has_perm("cases.accept_case", case)
    can_handle = request.user.has_perm("cases.handle_case", case)
    rating = getattr(case, "rating", None) if hasattr(case, "rating") else None
    rectification = getattr(rating, "rectification", None) if rating and hasattr(rating, "rectification") else None
    return render(request, "cases/case_detail.html", {
        "title": "办件", "case": case, "staff": staff, "warning": clock.warning(case, today),
        "applicant_id": mask("id_number", case.applicant_id_number), "applicant": mask("name", case.applicant_name),
        "phone": mask("phone", case.contact_phone),
        "channel": _codes("apply_channel").get(case.channel, case.channel),
        "events": case.events.select_related("actor"), "clock_events": case.clock_events.all(),
        "attachments": case.attachments.all(), "corrections": case.corrections.all(),
        "suspensions": case.suspensions.all(), "tolerances": case.tolerances.all(),
        "commitment": getattr(case, "commitment_letter", None) if case.commitment else None,
        "verifications": VerificationTask.objects.filter(commitment__case=case),
        "rating": rating, "rectification": rectification,
        "proxy": getattr(case, "proxy", None) if case.cross_region_mode == "proxy" else None,
        "actions": _action_forms(request, case), "can_accept": can_accept, "can_handle": can_handle,
        "tolerance_materials": tolerance_materials if can_accept else [],
        "templates": templates if can_accept else [],
        "can_rectify": rectification is not None and request.user.has_perm("cases.change_rectification",
                                                                              rectification),
        "list_url": reverse("cases:queue") if staff else reverse("cases:mine"),
    })


def _files(request, field: str = "files") -> list[tuple[str, str, bytes]]:
    result = []
    for upload in request.FILES.getlist(field):
        result.append((upload.name.rsplit(".", 1)[0], upload.name, upload.read()))
    return result


@login_required
@require_POST
def case_action(request, pk: int, name: str):
    """Run one transition (or a follow-up: 容缺补齐, 核查, 整改) from the case page."""
    case = _case_or_404(request.user, pk)
    post, user = request.POST, request.user
    try:
        _run_action(request, case, name, post, user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    except PermissionDenied:
        messages.error(request, "没有权限执行此操作")
    except (ValueError, TypeError):
        messages.error(request, "提交的数据格式有误，请检查后重试")
    else:
        label = TRANSITIONS[name].label if name in TRANSITIONS else "操作"
        messages.success(request, f"{label}完成")  # the page shows the number; a phone cannot wrap it
    return redirect("cases:case_detail", pk=case.pk)


def _run_action(request, case, name, post, user):  # noqa: C901 - one dispatch table
    kw = {"actor": user, "case": case}
    staff = _is_staff(user)
    if name == "request_correction":
        services.request_correction(**kw, content=post.get("content", ""))
    elif name == "resubmit":
        (services.resubmit if staff else services.resubmit_online)(**kw, files=_files(request))
    elif name == "reject":
        services.reject(**kw, reason=post.get("reason", ""))
    elif name == "accept":
        services.accept(**kw)
    elif name == "accept_tolerance":
        missing = list(case.item.materials.filter(pk__in=post.getlist("missing")))
        services.accept_with_tolerance(**kw, missing=missing)
    elif name == "accept_commitment":
        template = get_object_or_404(CommitmentTemplate, pk=post.get("template"), item=case.item)
        services.accept_with_commitment(**kw, template=template, signer_name=post.get("signer_name", ""))
    elif name == "start_review":
        services.start_review(**kw)
    elif name == "suspend":
        services.suspend(**kw, kind=post.get("kind", ""), reason=post.get("reason", ""),
                         extension_days=int(post.get("extension_days") or 0))
    elif name == "resume":
        services.resume(**kw, result=post.get("result", ""))
    elif name == "decide":
        services.decide(**kw, decision=post.get("decision", ""), text=post.get("text", ""))
    elif name == "conclude":
        services.conclude(**kw, result_number=post.get("result_number", ""))
    elif name == "deliver":
        services.deliver(**kw, method=post.get("method", ""), logistics_no=post.get("logistics_no", ""))
    elif name == "rate":
        services.rate_case(**kw, level=int(post.get("level", "0")), channel=post.get("channel", ""),
                           comment=post.get("comment", ""))
    elif name == "terminate":
        services.terminate(**kw, reason=post.get("reason", ""))
    elif name == "revoke":
        services.revoke(**kw, reason=post.get("reason", ""))
    elif name == "withdraw":
        services.withdraw(**kw, reason=post.get("reason", "") or "申请人主动撤回")
    elif name == "supply":
        record = get_object_or_404(ToleranceRecord, pk=post.get("record"), case=case)
        uploads = _files(request)
        services.supply_missing_material(**kw, record=record, filename=uploads[0][1] if uploads else "",
                                         content=uploads[0][2] if uploads else b"")
    elif name == "verify":
        task = get_object_or_404(VerificationTask, pk=post.get("task"), commitment__case=case)
        services.record_verification(**kw, task=task, outcome=post.get("outcome", ""), notes=post.get("notes", ""))
    elif name in ("revisit", "close_rectification"):
        task = get_object_or_404(Rectification, rating__case=case)
        if name == "revisit":
            services.add_revisit(actor=user, rectification=task, content=post.get("content", ""),
                                 satisfied={"yes": True, "no": False}.get(post.get("satisfied")))
        else:
            services.close_rectification(actor=user, rectification=task, status=post.get("status", ""),
                                         measures=post.get("measures", ""))
    elif name.startswith("proxy_"):
        services.proxy_handoff(**kw, step=name[6:], logistics_no=post.get("logistics_no", ""))
    else:
        raise Http404


@login_required
def attachment(request, pk: int):
    att = get_object_or_404(Attachment.objects.select_related("case", "vault_item"), pk=pk)
    _case_or_404(request.user, att.case_id)
    stored = att.file or (att.vault_item.file if att.vault_item_id else None)
    if not stored:
        raise Http404
    return FileResponse(stored.open("rb"), as_attachment=True, filename=stored.name.rsplit("/", 1)[-1])


@login_required
def apply(request, code: str):
    """Online (or window) application for one published item, with uploads per material."""
    from zhengshu.govservices.selectors import item_by_code

    item = item_by_code(code)
    if item is None or not item.is_public:
        raise Http404("事项不存在或未发布")
    user = request.user
    if not user.has_perm("cases.add_case"):
        raise PermissionDenied
    staff = _is_staff(user)
    materials = list(item.materials.all())
    vault = []
    if not staff:
        own = [x for x in (user.id_number, user.enterprise_uscc) if x]
        vault = list(VaultMaterial.objects.filter(owner_id_number__in=own).order_by("name"))
    initial = {
        "applicant_kind": ApplicantKind.ORGANISATION if user.kind == "enterprise" else ApplicantKind.PERSON,
        "applicant_name": "" if staff else (user.full_name if user.kind != "enterprise" else ""),
        "applicant_id_number": "" if staff else (user.enterprise_uscc if user.kind == "enterprise" else user.id_number),
        "contact_name": "" if staff else user.full_name, "contact_phone": "" if staff else user.phone,
        "channel": "1" if staff else "2",
    }
    data = initial
    if request.method == "POST":
        post = request.POST
        data = {k: post.get(k, v) for k, v in initial.items()}
        files = []
        for material in materials:
            for upload in request.FILES.getlist(f"material_{material.pk}"):
                files.append((material.name, upload.name, upload.read()))
        chosen = [v for v in vault if str(v.pk) in post.getlist("vault")]
        try:
            case = services.submit_application(
                actor=user, item=item, applicant_kind=data["applicant_kind"], applicant_name=data["applicant_name"],
                applicant_id_number=data["applicant_id_number"], contact_name=data["contact_name"],
                contact_phone=data["contact_phone"], channel=data["channel"] if staff else "2",
                form_data={"申请事由": post.get("purpose", "")}, files=files, vault_items=chosen,
                materials={m.name: m for m in materials},
            )
        except (ServiceError, PermissionDenied) as exc:
            messages.error(request, str(exc) or "没有权限")
        else:
            messages.success(request, f"申请已提交，办件编号 {case.number}")
            return redirect("cases:case_detail", pk=case.pk)
    return render(request, "cases/apply.html", {
        "title": "在线申请", "item": item, "materials": materials, "vault": vault, "data": data, "staff": staff,
        "channels": list(_codes("apply_channel").items()), "kinds": ApplicantKind.choices,
        "max_mb": param_int("upload_max_mb"),
    }, status=400 if request.method == "POST" else 200)


@login_required
def mine(request):
    """我的办件: the applicant's own cases, newest first."""
    today = _today()
    cases = selectors.cases_of_applicant(request.user)
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
    channels = _codes("apply_channel")
    return render(request, "cases/mine.html", {
        "title": "我的办件", "rows": [_row(c, today, channels) for c in page.object_list], "page_obj": page,
        "querystring_without_page": "", "bundles": Bundle.objects.filter(active=True).order_by("code"),
    })


@login_required
def bundle_apply(request, code: str):
    bundle = get_object_or_404(Bundle, code=code, active=True)
    if not request.user.has_perm("cases.add_case"):
        raise PermissionDenied
    form = selectors.merged_form(bundle)
    user = request.user
    if request.method == "POST":
        files = []
        for index, name in enumerate(form["materials"]):
            for upload in request.FILES.getlist(f"material_{index}"):
                files.append((name, upload.name, upload.read()))
        try:
            application = services.submit_bundle(
                actor=user, bundle=bundle, applicant_name=request.POST.get("applicant_name", ""),
                applicant_id_number=request.POST.get("applicant_id_number", ""),
                form_data={name: request.POST.get(f"field_{i}", "") for i, name in enumerate(form["fields"])},
                files=files, channel="1" if _is_staff(user) else "2",
            )
        except (ServiceError, PermissionDenied) as exc:
            messages.error(request, str(exc) or "没有权限")
        else:
            messages.success(request, f"一件事已提交，生成 {application.cases.count()} 个办件")
            first = application.cases.order_by("id").first()
            return redirect("cases:case_detail", pk=first.pk)
    return render(request, "cases/bundle_apply.html", {
        "title": bundle.name, "bundle": bundle, "fields": list(form["fields"].items()),
        "materials": list(form["materials"].items()), "entries": bundle.entries.select_related("item"),
        "applicant_name": "" if _is_staff(user) else user.full_name,
        "applicant_id_number": "" if _is_staff(user) else user.id_number,
    })


@login_required
def cross_region(request):
    if not request.user.has_perm("cases.view_partnerregion"):
        raise PermissionDenied
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else _today().year
    regions = PartnerRegion.objects.select_related("division").order_by("province_code", "division_id")
    return render(request, "cases/cross_region.html", {
        "title": "异地无忧", "year": year, "figures": selectors.region_figures(year), "regions": regions,
        "province_count": len({r.province_code for r in regions}), "region_count": len(regions),
        "item_count": AgreementItem.objects.values("item_id").distinct().count(),
    })


def _metric_filters(request):
    from zhengshu.orgs.models import Department

    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else _today().year
    department = None
    code = request.GET.get("department", "")
    if code:
        department = Department.objects.filter(code=code).first()
    return year, department


@login_required
def metrics_page(request):
    if not request.user.has_perm("cases.view_metricdefinition"):
        raise PermissionDenied
    from zhengshu.orgs.models import Department

    year, department = _metric_filters(request)
    metrics.ensure_metric_definitions()
    rows = []
    for definition in MetricDefinition.objects.all():
        figures = metrics.compute(definition, year, department)
        rows.append({"definition": definition, **figures,
                     "percent": None if figures["value"] is None else round(figures["value"] * 100, 2)})
    return render(request, "cases/metrics.html", {
        "title": "办件指标", "rows": rows, "year": year, "department": department,
        "departments": Department.objects.filter(is_active=True).order_by("path"),
        "years": list(range(_today().year, 2019, -1)),
    })


@login_required
def metric_drill(request, key: str):
    """The cases (or items) a metric counts: numerator, denominator or the excluded ones."""
    if not request.user.has_perm("cases.view_metricdefinition"):
        raise PermissionDenied
    definition = get_object_or_404(MetricDefinition, key=key)
    year, department = _metric_filters(request)
    part = request.GET.get("part", "numerator")
    if part not in ("numerator", "denominator", "excluded"):
        part = "numerator"
    result = metrics.drill_down(definition, year, department, part)
    if definition.unit == "cases":
        result = result.filter(pk__in=Case.objects.restrict(request.user, "view").values("pk")) \
            .select_related("item", "department").order_by("-submitted_at")
        kind = "cases"
    else:
        from zhengshu.govservices.models import ServiceItem

        result = ServiceItem.objects.filter(pk__in=result).select_related("department").order_by("department_id")
        kind = "items"
    page = Paginator(result, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "cases/metric_drill.html", {
        "title": definition.name, "definition": definition, "year": year, "department": department, "part": part,
        "kind": kind, "page_obj": page, "querystring_without_page": params.urlencode() + "&",
        "parts": [("numerator", "分子"), ("denominator", "分母"), ("excluded", "未计入分子")],
    })

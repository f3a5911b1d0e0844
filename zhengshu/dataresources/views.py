"""Staff pages of the catalogue, sharing and open-data applications (prefix /catalog/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhengshu.core.services import ServiceError
from zhengshu.core.views.generic import ModelConfig, display_value, field_label
from zhengshu.dataresources import choices as c
from zhengshu.dataresources import services
from zhengshu.dataresources.forms import DecisionForm, ImportForm, ItemFormSet, ResourceForm, ShareRequestForm
from zhengshu.dataresources.models import (
    AccessLog, DataItem, DataResource, OpenApplication, ShareGrant, ShareRequest, Showcase,
)

RESOURCE = ModelConfig(
    model=DataResource,
    list_fields=("code", "name", "department", "theme", "share_type", "open_type", "grade", "status", "version"),
    search_fields=("name", "code", "keywords", "summary"),
    filter_fields=("status", "share_type", "open_type", "grade", "theme", "origin", "resource_class", "department"),
    form_fields=ResourceForm.Meta.fields,  # served by resource_edit (services with data items), not the generic form
    deletable=False,
    queryset_hook=lambda qs: qs.select_related("department"),
    url_prefix="resources",
)
SHARE_REQUEST = ModelConfig(
    model=ShareRequest,
    list_fields=("resource", "department", "status", "period_start", "period_end", "created"),
    search_fields=("purpose", "resource__name", "resource__code"),
    filter_fields=("status",),
    queryset_hook=lambda qs: qs.select_related("resource", "department"),
)
SHARE_GRANT = ModelConfig(
    model=ShareGrant,
    list_fields=("key_prefix", "resource", "department", "valid_from", "expires_on", "revoked_at"),
    search_fields=("key_prefix", "resource__name", "resource__code"),
    queryset_hook=lambda qs: qs.select_related("resource", "department"),
)
ACCESS_LOG = ModelConfig(
    model=AccessLog,
    list_fields=("time", "department", "provider", "resource_code", "allowed", "reason", "key_prefix", "rows"),
    search_fields=("resource_code", "reason", "key_prefix"),
    filter_fields=("allowed",),
    queryset_hook=lambda qs: qs.select_related("department", "provider"),
)
OPEN_APPLICATION = ModelConfig(
    model=OpenApplication,
    list_fields=("resource", "applicant", "kind", "organisation", "status", "created"),
    search_fields=("purpose", "organisation", "resource__name"),
    filter_fields=("status", "kind"),
    queryset_hook=lambda qs: qs.select_related("resource", "applicant"),
)
SHOWCASE = ModelConfig(
    model=Showcase,
    list_fields=("title", "team", "contest_year", "award", "published"),
    search_fields=("title", "team", "summary"),
    filter_fields=("published", "contest_year"),
    form_fields=("title", "team", "summary", "url", "contest_year", "award", "resources", "published"),
)


def _fields(obj, names) -> list[tuple[str, str]]:
    def value(name):
        raw = getattr(obj, name)
        if isinstance(raw, list):
            return "、".join(map(str, raw)) or "—"
        return display_value(obj, name)

    return [(field_label(type(obj), n), value(n)) for n in names]


def _visible(config: ModelConfig, user, pk):
    if not user.has_perm(config.perm("view")):
        raise PermissionDenied
    return get_object_or_404(config.queryset(user), pk=pk)


# --- catalogue ----------------------------------------------------------------------------------


@login_required
def resource_detail(request, pk):
    resource = _visible(RESOURCE, request.user, pk)
    user = request.user
    perm = lambda action: user.has_perm(f"dataresources.{action}_dataresource", resource)  # noqa: E731
    editable = resource.status in (c.Status.DRAFT, c.Status.REJECTED, c.Status.PUBLISHED)
    can_request = (resource.status == c.Status.PUBLISHED and resource.share_type != c.ShareType.NONE
                   and user.department_id and user.department_id != resource.department_id
                   and user.has_perm("dataresources.add_sharerequest"))
    return render(request, "dataresources/resource_detail.html", {
        "title": "数据资源目录", "object": resource, "list_url": RESOURCE.url("list"),
        "fields": _fields(resource, (
            "code", "name", "department", "resource_class", "theme", "summary", "keywords", "format_class",
            "format_type", "share_type", "share_condition", "share_method", "open_type", "open_condition", "grade",
            "update_cycle", "published_at", "related_codes", "origin", "origin_note", "region_code", "record_count",
            "status", "version", "review_comment", "reviewed_by", "submitted_at")),
        "items": resource.items.all(),
        "versions": resource.versions.all()[:20],
        "can_edit": editable and perm("change"),
        "can_submit": resource.status in (c.Status.DRAFT, c.Status.REJECTED) and perm("submit"),
        "can_review": resource.status == c.Status.SUBMITTED and perm("review"),
        "can_withdraw": resource.status == c.Status.PUBLISHED and perm("withdraw"),
        "can_request": can_request,
        "portal_url": reverse("open:dataset", args=[resource.slug]) if resource.is_open else None,
    })


@login_required
def resource_edit(request, pk=None):
    user = request.user
    resource = None
    if pk is None:
        if not user.has_perm("dataresources.add_dataresource"):
            raise PermissionDenied
    else:
        resource = _visible(RESOURCE, user, pk)
        if not user.has_perm("dataresources.change_dataresource", resource):
            raise PermissionDenied
    items_qs = resource.items.all() if resource else DataItem.objects.none()
    initial = {"department": user.department_id} if resource is None else None
    form = ResourceForm(request.POST or None, instance=resource, user=user, initial=initial)
    formset = ItemFormSet(request.POST or None, queryset=items_qs, prefix="items")
    note = request.POST.get("note", "")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "department"}
        items = [f.item_data() for f in formset.forms
                 if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name")]
        try:
            if resource is None:
                resource = services.create_resource(actor=user, department=form.cleaned_data["department"],
                                                    data=data, items=items)
            else:
                resource = services.update_resource(actor=user, resource=resource, data=data, items=items, note=note)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except (ServiceError, PermissionDenied) as exc:
            form.add_error(None, str(exc) or "超出您的数据范围")
        else:
            messages.success(request, f"已保存数据资源目录：{resource}")
            return redirect(RESOURCE.url("detail", resource))
    return render(request, "dataresources/resource_edit.html", {
        "title": "数据资源目录", "object": resource, "form": form, "formset": formset, "note": note,
        "needs_note": resource is not None and resource.status == c.Status.PUBLISHED,
        "return_url": RESOURCE.url("detail", resource) if resource else RESOURCE.url("list"),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def resource_action(request, pk, action: str):
    resource = _visible(RESOURCE, request.user, pk)
    text = request.POST.get("comment", "")
    try:
        if action == "submit":
            services.submit_resource(actor=request.user, resource=resource)
            messages.success(request, "已提交数据办审核")
        elif action == "approve":
            services.review_resource(actor=request.user, resource=resource, approve=True, comment=text)
            messages.success(request, "已审核发布")
        elif action == "reject":
            services.review_resource(actor=request.user, resource=resource, approve=False, comment=text)
            messages.success(request, "已退回提供部门")
        elif action == "withdraw":
            services.withdraw_resource(actor=request.user, resource=resource, reason=text)
            messages.success(request, "已撤销")
        else:
            raise PermissionDenied
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect(RESOURCE.url("detail", resource))


@login_required
def review_queue(request):
    if not request.user.has_perm("dataresources.review_dataresource"):
        raise PermissionDenied
    rows = (DataResource.objects.restrict(request.user, "review").filter(status=c.Status.SUBMITTED)
            .select_related("department").order_by("submitted_at")[:500])
    return render(request, "dataresources/review_queue.html", {"title": "目录审核", "rows": rows})


@login_required
def import_view(request):
    if not request.user.has_perm("dataresources.add_dataresource"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    result, error = None, ""
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_catalogue(actor=request.user, content=form.cleaned_data["file"].read())
        except ServiceError as exc:
            error = str(exc)
    status = 400 if error or (result and not result["written"]) else 200
    return render(request, "dataresources/import.html", {"title": "目录导入导出", "form": form, "result": result,
                                                         "error": error}, status=status)


@login_required
def export_view(request):
    from zhengshu.core.models import ChangeAction, record_change
    from zhengshu.dataresources.xlsx import export_workbook

    if not request.user.has_perm("dataresources.view_dataresource"):
        raise PermissionDenied
    qs = RESOURCE.queryset(request.user)
    if request.GET.get("status") in c.Status.values:
        qs = qs.filter(status=request.GET["status"])
    if request.GET.get("department"):
        qs = qs.filter(department__code=request.GET["department"])
    body = export_workbook(qs)
    record_change(action=ChangeAction.EXPORT, object_type="dataresources.dataresource", object_repr="数据资源目录",
                  message=f"导出目录及信息项；条件：{request.GET.urlencode()}"[:500])
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename=catalogue.xlsx"
    return response


# --- sharing ------------------------------------------------------------------------------------


@login_required
def share_request_new(request, pk):
    resource = _visible(RESOURCE, request.user, pk)
    if not request.user.has_perm("dataresources.add_sharerequest"):
        raise PermissionDenied
    form = ShareRequestForm(request.POST or None, resource=resource)
    if request.method == "POST" and form.is_valid():
        try:
            share = services.request_share(actor=request.user, resource=resource, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已提交共享申请")
            return redirect(SHARE_REQUEST.url("detail", share))
    return render(request, "dataresources/form.html", {
        "title": "共享申请", "heading": f"申请共享：{resource.name}", "form": form,
        "return_url": RESOURCE.url("detail", resource)}, status=400 if request.method == "POST" else 200)


@login_required
def sharerequest_detail(request, pk):
    share = _visible(SHARE_REQUEST, request.user, pk)
    user = request.user
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            stage = request.POST.get("stage")
            try:
                if stage == "provider":
                    services.provider_review_share(actor=user, request=share, **form.cleaned_data)
                elif stage == "office":
                    _req, secret = services.office_review_share(actor=user, request=share, **form.cleaned_data)
                    if secret:
                        messages.success(request, f"已批准并签发共享凭证（仅显示一次，请转交申请部门）：{secret}")
                else:
                    raise PermissionDenied
            except ServiceError as exc:
                messages.error(request, str(exc))
            else:
                messages.info(request, "已记录审核结论")
            return redirect(SHARE_REQUEST.url("detail", share))
    grant = ShareGrant.objects.filter(request=share).first()
    return render(request, "dataresources/sharerequest_detail.html", {
        "title": "共享申请", "object": share, "list_url": SHARE_REQUEST.url("list"),
        "fields": _fields(share, ("resource", "department", "requested_by", "purpose", "basis", "item_names",
                                  "period_start", "period_end", "status", "provider_reviewer", "provider_opinion",
                                  "office_reviewer", "office_opinion", "created")),
        "can_provide": share.status == c.ShareRequestStatus.SUBMITTED
        and user.has_perm("dataresources.provide_sharerequest", share),
        "can_approve": share.status == c.ShareRequestStatus.PROVIDER_APPROVED
        and user.has_perm("dataresources.approve_sharerequest", share),
        "grant_url": SHARE_GRANT.url("detail", grant) if grant and user.has_perm("dataresources.view_sharegrant", grant)
        else None,
        "form": DecisionForm(),
    })


@login_required
def sharegrant_detail(request, pk):
    grant = _visible(SHARE_GRANT, request.user, pk)
    if request.method == "POST":
        try:
            services.revoke_grant(actor=request.user, grant=grant, reason=request.POST.get("reason", ""))
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已撤销共享授权")
        return redirect(SHARE_GRANT.url("detail", grant))
    return render(request, "dataresources/sharegrant_detail.html", {
        "title": "共享授权", "object": grant, "list_url": SHARE_GRANT.url("list"), "state": grant.state,
        "fields": _fields(grant, ("resource", "department", "item_names", "key_prefix", "valid_from", "expires_on",
                                  "revoked_at", "revoke_reason", "created")),
        "can_revoke": not grant.revoked_at and request.user.has_perm("dataresources.revoke_sharegrant", grant),
        "accesses": grant.accesses.all()[:50],
        "api_url": reverse("dataresources-api:shared-data", args=[grant.resource.code.replace("/", "-")]),
    })


# --- open data applications ----------------------------------------------------------------------


@login_required
def openapplication_detail(request, pk):
    application = _visible(OPEN_APPLICATION, request.user, pk)
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.review_open_application(actor=request.user, application=application, **form.cleaned_data)
            except ServiceError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "已记录审核结论")
        return redirect(OPEN_APPLICATION.url("detail", application))
    return render(request, "dataresources/openapplication_detail.html", {
        "title": "开放数据申请", "object": application, "list_url": OPEN_APPLICATION.url("list"),
        "fields": _fields(application, ("resource", "applicant", "kind", "organisation", "uscc", "purpose",
                                        "scenario", "status", "reviewer", "opinion", "valid_until", "created")),
        "can_review": application.status == c.OpenApplicationStatus.SUBMITTED
        and request.user.has_perm("dataresources.review_openapplication", application),
        "form": DecisionForm(),
    })

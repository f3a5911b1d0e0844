"""The public open data portal (D6): no login needed to browse, search and download 无条件开放 data;
受限开放 data is downloaded after the data office approves an application."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from zhengshu.core.services import ServiceError
from zhengshu.dataresources import choices as c
from zhengshu.dataresources.models import DataResource, OpenApplication, Showcase
from zhengshu.dataresources.selectors import masked_rows, open_datasets, search

PAGE_SIZE = 20
PREVIEW_ROWS = 10


def _dataset_or_404(slug: str) -> DataResource:
    resource = open_datasets().filter(code=slug.replace("-", "/", 1)).first() if "-" in slug else None
    if resource is None:
        raise Http404("数据集不存在或未开放")
    return resource


def approved_application(user, resource: DataResource) -> OpenApplication | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return OpenApplication.objects.filter(
        resource=resource, applicant=user, status=c.OpenApplicationStatus.APPROVED,
        valid_until__gte=timezone.localdate()).first()


def may_download(user, resource: DataResource) -> bool:
    if resource.open_type == c.OpenType.UNCONDITIONAL:
        return True
    return approved_application(user, resource) is not None


def home(request):
    qs = open_datasets()
    themes = qs.order_by().values("theme").annotate(n=Count("id")).order_by("-n")
    depts = qs.order_by().values("department__code", "department__name").annotate(n=Count("id")).order_by("-n")
    return render(request, "dataresources/portal_home.html", {
        "total": qs.count(),
        "unconditional": qs.filter(open_type=c.OpenType.UNCONDITIONAL).count(),
        "restricted": qs.filter(open_type=c.OpenType.RESTRICTED).count(),
        "themes": [{"key": t["theme"], "label": c.THEME_LABELS.get(t["theme"], t["theme"]), "n": t["n"]}
                   for t in themes],
        "departments": list(depts[:12]),
        "latest": qs.order_by("-published_at", "code")[:8],
        "popular": qs.order_by("-download_count", "code")[:8],
        "showcases": Showcase.objects.filter(published=True)[:3],
    })


def dataset_list(request):
    qs = open_datasets()
    q = request.GET.get("q", "").strip()
    selected = {k: request.GET.get(k, "") for k in ("theme", "org", "open_type", "format")}
    if selected["theme"]:
        qs = qs.filter(theme=selected["theme"])
    if selected["org"]:
        qs = qs.filter(department__code__iexact=selected["org"])
    if selected["open_type"] in c.OpenType.values:
        qs = qs.filter(open_type=selected["open_type"])
    if selected["format"] and selected["format"].upper() not in ("CSV", "XLSX", "JSON"):
        qs = qs.none()
    facet_base = qs
    if q:
        qs = search(qs, q)
    else:
        qs = qs.order_by("-published_at", "code")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    scoped = search(facet_base, q).order_by() if q else facet_base.order_by()
    facets = {
        "theme": [{"value": r["theme"], "label": c.THEME_LABELS.get(r["theme"], r["theme"]), "n": r["n"]}
                  for r in scoped.values("theme").annotate(n=Count("id")).order_by("-n")],
        "org": [{"value": r["department__code"], "label": r["department__name"], "n": r["n"]}
                for r in scoped.values("department__code", "department__name").annotate(n=Count("id")).order_by("-n")],
        "open_type": [{"value": r["open_type"], "label": str(c.OpenType(r["open_type"]).label), "n": r["n"]}
                      for r in scoped.values("open_type").annotate(n=Count("id")).order_by("-n")],
    }
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "dataresources/portal_list.html", {
        "q": q, "selected": selected, "page_obj": page, "count": page.paginator.count, "facets": facets,
        "querystring_without_page": (params.urlencode() + "&") if params else "",
        "formats": ("CSV", "XLSX", "JSON"),
    })


def dataset_detail(request, slug: str):
    resource = _dataset_or_404(slug)
    application = approved_application(request.user, resource)
    items, rows = masked_rows(resource, limit=PREVIEW_ROWS)
    pending = None
    if request.user.is_authenticated and application is None:
        pending = OpenApplication.objects.filter(resource=resource, applicant=request.user).first()
    return render(request, "dataresources/portal_detail.html", {
        "resource": resource, "items": items, "rows": [[row[i.name] for i in items] for row in rows],
        "can_download": may_download(request.user, resource), "application": application, "pending": pending,
        "hidden_items": resource.items.filter(grade=c.Grade.L4).count(),
        "related": open_datasets().filter(code__in=resource.related_codes.split())[:5],
        "showcases": resource.showcases.filter(published=True),
    })


def download(request, slug: str, fmt: str):
    resource = _dataset_or_404(slug)
    if not may_download(request.user, resource):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        raise PermissionDenied("受限开放数据须经申请并获数据办批准后下载")
    full_l3 = resource.open_type == c.OpenType.RESTRICTED
    items, rows = masked_rows(resource, full_l3=full_l3)
    labels = [f"{i.label}" for i in items]
    filename = f"{resource.name}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(labels)
        writer.writerows([[row[i.name] for i in items] for row in rows])
        body, ctype = ("\ufeff" + buffer.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(resource.name[:31])
        sheet.append(labels)
        for row in rows:
            sheet.append([row[i.name] for i in items])
        out = io.BytesIO()
        workbook.save(out)
        body, ctype = out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "json":
        body = json.dumps({
            "resource": resource.code, "name": resource.name, "provider": resource.department.name,
            "fields": [{"name": i.name, "label": i.label, "type": i.data_type} for i in items], "rows": rows,
        }, ensure_ascii=False, indent=1).encode("utf-8")
        ctype = "application/json; charset=utf-8"
    else:
        raise Http404("不支持的格式")
    DataResource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
    if resource.open_type == c.OpenType.RESTRICTED:  # restricted data: who took it, under which approval
        from zhengshu.core.models import ChangeAction, record_change

        application = approved_application(request.user, resource)
        record_change(action=ChangeAction.EXPORT, obj=resource, actor=request.user,
                      message=f"下载受限开放数据（{fmt.upper()}，{len(rows)} 行）；"
                              f"开放数据申请 #{application.pk}，有效期至 {application.valid_until:%Y-%m-%d}")
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename={resource.slug}.{fmt}; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def apply(request, slug: str):
    from zhengshu.dataresources.services import apply_open_data

    resource = _dataset_or_404(slug)
    if resource.open_type != c.OpenType.RESTRICTED:
        messages.info(request, "该数据集为无条件开放，可直接下载")
        return redirect("open:dataset", slug=slug)
    error = ""
    values = {"kind": c.ApplicantKind.USER, "purpose": "", "organisation": "", "uscc": "", "scenario": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        if values["kind"] not in c.ApplicantKind.values:
            values["kind"] = c.ApplicantKind.USER
        try:
            apply_open_data(actor=request.user, resource=resource, **values)
        except ServiceError as exc:
            error = str(exc)
        except PermissionDenied:
            error = "您的账号不能申请开放数据（仅限注册的个人、企业用户和授权运营单位）"
        else:
            messages.success(request, f"已提交“{resource.name}”的开放数据申请，请等待数据办审核")
            return redirect("open:dataset", slug=slug)
    return render(request, "dataresources/portal_apply.html", {
        "resource": resource, "values": values, "error": error, "kinds": c.ApplicantKind.choices,
    }, status=400 if error else 200)


def showcase(request):
    # Only open datasets are named: a showcase may have been linked to an entry since withdrawn or closed.
    return render(request, "dataresources/portal_showcase.html", {
        "showcases": Showcase.objects.filter(published=True).prefetch_related(
            Prefetch("resources", queryset=open_datasets().order_by("code"), to_attr="open_resources")),
    })

"""Pages of the catalogue: staff list/detail/edit/review (login), public 办事指南 (no login)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhengshu.core.services import ServiceError
from zhengshu.core.views.generic import ModelConfig
from zhengshu.govservices import selectors, services
from zhengshu.govservices.forms import CodeValueForm, MaterialFormSet, ServiceItemForm
from zhengshu.govservices.models import (
    CodeValue,
    ItemFinding,
    ItemStatus,
    ItemVersion,
    ServiceItem,
    code_map,
    limit_text,
)
from zhengshu.govservices.search import search_items

ITEM = ModelConfig(
    model=ServiceItem,
    list_fields=("name", "implementation_code", "department", "status", "published_version", "is_immediate",
                 "visits", "promised_limit"),
    search_fields=("name", "implementation_code", "basic_code", "keywords", "department__name"),
    filter_fields=("status", "item_type", "is_immediate", "cross_region_scope", "department"),
    url_prefix="items",
    form_fields=ServiceItemForm.Meta.fields,  # edited by item_edit (services.save_item), not the generic page
    queryset_hook=lambda qs: qs.select_related("department"),
)
FINDING = ModelConfig(
    model=ItemFinding,
    list_fields=("item", "rule", "severity", "field", "message", "found_at"),
    search_fields=("item__name", "item__implementation_code", "message"),
    filter_fields=("severity", "rule"),
    url_prefix="findings",
    queryset_hook=lambda qs: qs.select_related("item"),
)
CODE_VALUE = ModelConfig(
    model=CodeValue,
    list_fields=("table", "code", "name", "aliases", "sort", "active"),
    search_fields=("code", "name", "aliases"),
    filter_fields=("table", "active"),
    form_class=CodeValueForm,
    form_fields=CodeValueForm.Meta.fields,
    deletable=False,
    url_prefix="codes",
)


def _names(data: dict) -> dict:
    """Code → name for the code fields of an item (or a version snapshot)."""
    def many(table, codes):
        table_names = code_map(table)
        return "、".join(table_names.get(c, c) for c in codes or [])

    one = {t: code_map(t) for t in ("item_type", "exercise_level", "online_depth", "cross_region")}
    return {
        "item_type": one["item_type"].get(data.get("item_type"), data.get("item_type")),
        "exercise_level": one["exercise_level"].get(data.get("exercise_level"), data.get("exercise_level")),
        "online_depth": one["online_depth"].get(data.get("online_depth"), data.get("online_depth") or ""),
        "cross_region": one["cross_region"].get(data.get("cross_region_scope"), ""),
        "handling_forms": many("handling_form", data.get("handling_forms")),
        "service_objects": many("service_object", data.get("service_objects")),
        "legal_limit": limit_text(data.get("legal_limit"), data.get("legal_limit_unit") or "workday",
                                  data.get("legal_limit") == 0),
        "promised_limit": limit_text(data.get("promised_limit"), data.get("promised_limit_unit") or "workday",
                                     data.get("is_immediate")),
    }


# --- staff pages ------------------------------------------------------------------------------------------

@login_required
def item_detail(request, pk):
    if not request.user.has_perm("govservices.view_serviceitem"):
        raise PermissionDenied
    item = get_object_or_404(ITEM.queryset(request.user), pk=pk)
    user = request.user
    can_change = user.has_perm("govservices.change_serviceitem", item)
    can_review = user.has_perm("govservices.review_serviceitem", item)
    changes = []
    if user.has_perm("core.view_changelogentry"):
        from zhengshu.core.models import ChangeLogEntry

        changes = ChangeLogEntry.objects.filter(object_type="govservices.serviceitem", object_id=str(item.pk))[:20]
    return render(request, "govservices/item_detail.html", {
        "item": item, "names": _names(vars(item)), "materials": item.materials.all(),
        "findings": item.findings.all(), "versions": item.versions.all()[:20], "changes": changes,
        "can_change": can_change, "can_submit": can_change and item.status == ItemStatus.DRAFT,
        "can_review": can_review and item.status == ItemStatus.REVIEW,
        "can_withdraw": can_review and item.published_version > 0 and item.status != ItemStatus.WITHDRAWN,
        "can_delete": user.has_perm("govservices.delete_serviceitem", item) and not item.published_version,
        "today": timezone.localdate(),
    })


@login_required
def item_edit(request, pk=None):
    user = request.user
    item = None
    if pk is not None:
        if not user.has_perm("govservices.view_serviceitem"):
            raise PermissionDenied
        item = get_object_or_404(ITEM.queryset(user), pk=pk)
        if not user.has_perm("govservices.change_serviceitem", item):
            raise PermissionDenied
    elif not user.has_perm("govservices.add_serviceitem"):
        raise PermissionDenied
    initial = [{k: getattr(m, k) for k in ("name", "originals", "copies", "required", "may_be_missing",
                                            "missing_max_workdays", "commitment_allowed")}
               for m in item.materials.all()] if item else []
    if request.method == "POST":
        form = ServiceItemForm(request.POST, instance=item, user=user)
        formset = MaterialFormSet(request.POST, prefix="m", initial=initial)
        if form.is_valid() and formset.is_valid():
            data = {k: v for k, v in form.cleaned_data.items()}
            materials = [{k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
                         for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                saved = services.save_item(actor=user, item=item, data=data, materials=materials)
            except ValidationError as exc:
                for field, errors in getattr(exc, "error_dict", {"__all__": exc.error_list}).items():
                    form.add_error(field if field in form.fields else None, errors)
            except (ServiceError, PermissionDenied) as exc:
                form.add_error(None, str(exc) or "超出您的数据范围")
            else:
                messages.success(request, f"已保存事项“{saved.name}”（草稿）")
                return redirect("govservices:serviceitem_detail", pk=saved.pk)
        status = 400
    else:
        form = ServiceItemForm(instance=item, user=user,
                               initial={} if item else {"department": user.department_id})
        formset = MaterialFormSet(prefix="m", initial=initial)
        status = 200
    return render(request, "govservices/item_edit.html", {"form": form, "formset": formset, "item": item},
                  status=status)


@login_required
@require_POST
def item_action(request, pk, action):
    user = request.user
    if not user.has_perm("govservices.view_serviceitem"):
        raise PermissionDenied
    item = get_object_or_404(ITEM.queryset(user), pk=pk)
    reason = request.POST.get("reason", "")
    try:
        if action == "submit":
            services.submit_item(actor=user, item=item)
            messages.success(request, "已提交审核")
        elif action == "approve":
            text = request.POST.get("effective_from") or ""
            effective = dt.date.fromisoformat(text) if text else None
            version = services.approve_item(actor=user, item=item, effective_from=effective, note=reason)
            messages.success(request, f"已发布第{version.version}版，{version.effective_from:%Y-%m-%d}起生效")
        elif action == "return":
            services.return_item(actor=user, item=item, reason=reason)
            messages.success(request, "已退回修改")
        elif action == "withdraw":
            services.withdraw_item(actor=user, item=item, reason=reason)
            messages.success(request, "事项已废止")
        elif action == "delete":
            if item.published_version:
                raise ServiceError("已发布过的事项不能删除，请废止")
            from zhengshu.core.services import delete_object

            delete_object(actor=user, instance=item)
            messages.success(request, f"已删除草稿“{item.name}”")
            return redirect("govservices:serviceitem_list")
        else:
            raise PermissionDenied
    except ValueError:
        messages.error(request, "生效日期格式应为 YYYY-MM-DD")
    except (ServiceError, PermissionDenied) as exc:
        messages.error(request, str(exc) or "没有权限")
    return redirect("govservices:serviceitem_detail", pk=item.pk)


@login_required
def review_queue(request):
    if not request.user.has_perm("govservices.review_serviceitem"):
        raise PermissionDenied
    items = ServiceItem.objects.restrict(request.user, "review").filter(status=ItemStatus.REVIEW) \
        .select_related("department").annotate(errors=Count("findings", filter=Q(findings__severity="error")))
    return render(request, "govservices/review_queue.html", {"items": items[:500]})


# --- public 办事指南 ---------------------------------------------------------------------------------------

GUIDE_LIST_FIELDS = ("name", "item_type", "is_immediate", "promised_limit", "promised_limit_unit", "visits",
                     "handling_forms", "online_depth", "cross_region_scope")


def guide_index(request):
    from zhengshu.orgs.models import Department

    items = selectors.published_items().select_related("department")
    q = (request.GET.get("q") or "").strip()[:50]
    dept = request.GET.get("department") or ""
    kind = request.GET.get("type") or ""
    if dept.isdigit():
        items = items.filter(department_id=int(dept))
    if kind:
        items = items.filter(item_type=kind)
    items = search_items(items, q)
    if "search_rank" not in items.query.annotations:  # ranked by shared characters: keep that order
        items = items.order_by("department__sort_order", "name")
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    departments = Department.objects.filter(pk__in=selectors.published_items().values("department")).order_by(
        "sort_order", "name")
    type_names = code_map("item_type")
    revised = [i.pk for i in page.object_list if i.status != ItemStatus.PUBLISHED]
    snapshots = dict(ItemVersion.objects.filter(selectors.in_force(), item_id__in=revised)
                     .order_by("item_id", "version").values_list("item_id", "data")) if revised else {}
    for item in page.object_list:
        item.department_name = item.department.name
        data = snapshots.get(item.pk)
        if data:  # under revision: the public sees the version in force, never the draft
            for name in GUIDE_LIST_FIELDS:
                setattr(item, name, data.get(name, getattr(item, name)))
            item.department_name = (data.get("department") or {}).get("name", item.department_name)
        item.type_name = type_names.get(item.item_type, item.item_type)
        item.limit_label = item.limit_text("promised")
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "govservices/guide_index.html", {
        "page_obj": page, "q": q, "department": dept, "type": kind, "departments": departments,
        "types": CodeValue.objects.filter(table="item_type", active=True),
        "querystring": params.urlencode(),
    })


def guide_detail(request, code):
    item = selectors.published_items().filter(implementation_code=code.upper()).select_related("department").first()
    if item is None:
        from django.http import Http404

        raise Http404("没有这个事项，或事项未发布")
    version = selectors.current_version(item)
    data = version.data if version else {}
    return render(request, "govservices/guide_detail.html", {
        "item": item, "version": version, "data": data, "names": _names(data),
        "materials": data.get("materials", []),
        "full_online": data.get("online_depth") == "4",
        "cross_region": bool(data.get("cross_region_scope")),
    })


@login_required
def import_page(request):
    """The office uploads a catalogue (XLSX, or CSV files); 只检查 first, then import — all or nothing."""
    import shutil
    import tempfile
    from pathlib import Path

    from zhengshu.govservices.catalogue_io import ImportError_

    if not request.user.has_perm("govservices.review_serviceitem"):
        raise PermissionDenied
    result, error = None, ""
    if request.method == "POST":
        uploads = request.FILES.getlist("files")
        if not uploads:
            error = "请选择要导入的文件（.xlsx，或事项与申请材料两个 .csv）"
        else:
            folder = Path(tempfile.mkdtemp(prefix="zs-import-"))
            try:
                paths = []
                for upload in uploads[:2]:
                    target = folder / Path(upload.name).name
                    with open(target, "wb") as handle:
                        for chunk in upload.chunks():
                            handle.write(chunk)
                    paths.append(target)
                result = services.import_items(actor=request.user, paths=paths,
                                               dry_run=request.POST.get("dry_run") == "on",
                                               publish=request.POST.get("publish") == "on")
            except ImportError_ as exc:
                error = str(exc)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
    return render(request, "govservices/import.html", {
        "result": result, "error": error, "dry_run": request.POST.get("dry_run") == "on",
    }, status=400 if error or (result and result["errors"]) else 200)

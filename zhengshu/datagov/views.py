"""Pages: figures with trends, drill-down to a resource and to a batch's rejected rows, and the regime."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q, Sum
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from zhengshu.core.services import ServiceError
from zhengshu.core.views.generic import ModelConfig
from zhengshu.datagov import services
from zhengshu.datagov.choices import RectificationKind, ShutdownStatus
from zhengshu.datagov.forms import AggregationResourceForm
from zhengshu.datagov.models import (
    AggregationResource, Bulletin, Delivery, GovernancePolicy, InspectionRun, QualitySnapshot, Reminder, ShutdownOrder,
)

REJECTS_PAGE = 100
TREND_DAYS = (30, 90, 365)

RESOURCE = ModelConfig(
    model=AggregationResource,
    list_fields=("code", "name", "department", "update_cycle", "delivery_workdays", "application", "is_active"),
    search_fields=("code", "name", "application"),
    filter_fields=("update_cycle", "is_active", "department"),
    form_class=AggregationResourceForm,
    form_fields=AggregationResourceForm.Meta.fields,
    queryset_hook=lambda qs: qs.select_related("department"),
    url_prefix="resources",
)
DELIVERY = ModelConfig(
    model=Delivery,
    list_fields=("batch_id", "resource_code", "department", "committed_at", "read", "accepted", "rejected",
                 "in_lake"),
    search_fields=("batch_id", "resource_code", "source_name"),
    filter_fields=("in_lake", "department"),
    detail_fields=("batch_id", "resource", "resource_code", "department", "source_name", "committed_at", "read",
                   "accepted", "rejected", "duplicates", "ragged", "new_versions", "null_cells", "item_count",
                   "seconds", "in_lake"),
    queryset_hook=lambda qs: qs.select_related("department"),
    url_prefix="deliveries",
)
REMINDER = ModelConfig(
    model=Reminder,
    list_fields=("title", "department", "day", "acknowledged_at"),
    search_fields=("title", "message"),
    filter_fields=("department",),
    queryset_hook=lambda qs: qs.select_related("department"),
    url_prefix="reminders",
)
BULLETIN = ModelConfig(
    model=Bulletin,
    list_fields=("title", "period_start", "period_end", "issued_on"),
    search_fields=("title",),
    url_prefix="bulletins",
)
SHUTDOWN = ModelConfig(
    model=ShutdownOrder,
    list_fields=("number", "target_name", "target_kind", "department", "month", "status", "effective_from",
                 "rectify_by"),
    search_fields=("number", "target_name", "resource_code", "application"),
    filter_fields=("status", "target_kind", "department"),
    queryset_hook=lambda qs: qs.select_related("department"),
    url_prefix="shutdowns",
)
POLICY = ModelConfig(
    model=GovernancePolicy,
    list_fields=("name", "code", "pass_score", "rate_basis", "reminder_weekday"),
    form_fields=("name", "weight_completeness", "weight_validity", "weight_uniqueness", "weight_timeliness",
                 "pass_score", "quality_window_days", "late_timeliness", "rate_basis", "reminder_weekday",
                 "reminder_reply_workdays", "rectification_workdays"),
    deletable=False,
    url_prefix="policies",
)
RUN = ModelConfig(model=InspectionRun, list_fields=("day", "runs", "ran_at"), url_prefix="runs")


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def trend(snapshots, days: int, end: date | None = None) -> dict:
    """Daily series over the last ``days`` days of snapshots: rate, average score, records, failing."""
    last = end or snapshots.order_by("-day").values_list("day", flat=True).first()
    if last is None:
        return {"days": [], "rate": [], "score": [], "records": [], "failing": []}
    rows = (snapshots.filter(day__gt=last - timedelta(days=days), day__lte=last).values("day")
            .annotate(n_due=Count("id", filter=Q(due=True)), n_ok=Count("id", filter=Q(due=True, aggregated=True)),
                      avg_score=Avg("score"), records=Sum("total_records"),
                      n_failing=Count("id", filter=Q(failing=True)))
            .order_by("day"))
    series = {"days": [], "rate": [], "score": [], "records": [], "failing": []}
    for r in rows:
        series["days"].append(r["day"].isoformat())
        series["rate"].append(round(100 * r["n_ok"] / r["n_due"], 2) if r["n_due"] else None)
        series["score"].append(round(r["avg_score"] or 0, 2))
        series["records"].append(int(r["records"] or 0))
        series["failing"].append(r["n_failing"])
    return series


class OverviewView(LoginRequiredMixin, View):
    """归集与质量: the figures as of the latest snapshot the user may see, trends, departments, failures."""

    def get(self, request):
        _require(request.user, "datagov.view_qualitysnapshot")
        snaps = QualitySnapshot.objects.restrict(request.user, "view")
        department = None
        if (request.GET.get("department") or "").isdigit():
            from zhengshu.orgs.models import Department

            department = Department.objects.filter(pk=int(request.GET["department"])).first()
            snaps = snaps.filter(department=department)
        days = int(request.GET.get("days") or 90) if (request.GET.get("days") or "90").isdigit() else 90
        days = days if days in TREND_DAYS else 90
        as_of = snaps.order_by("-day").values_list("day", flat=True).first()
        current = snaps.filter(day=as_of).select_related("resource", "department") if as_of else snaps.none()
        due = sum(1 for s in current if s.due)
        ok = sum(1 for s in current if s.due and s.aggregated)
        departments = {}
        for s in current:
            row = departments.setdefault(s.department_id, {"department": s.department, "resources": 0, "due": 0,
                                                           "ok": 0, "records": 0, "score": 0.0, "failing": 0})
            row["resources"] += 1
            row["due"] += s.due
            row["ok"] += s.due and s.aggregated
            row["records"] += s.total_records
            row["score"] += s.score
            row["failing"] += s.failing
        table = []
        for row in departments.values():
            row["rate"] = _percent(row["ok"] / row["due"]) if row["due"] else "—"
            row["score"] = row["score"] / row["resources"]
            table.append(row)
        table.sort(key=lambda r: (-r["score"], r["department"].code))
        series = trend(snaps, days, as_of)
        return render(request, "datagov/overview.html", {
            "title": f"归集与质量 · {department.name}" if department else "归集与质量", "as_of": as_of,
            "department": department,
            "resource_rows": sorted(current, key=lambda s: (not s.failing, s.resource.code)) if department else [],
            "days": days, "day_choices": TREND_DAYS,
            "total_records": sum(s.total_records for s in current), "resources": len(current),
            "due": due, "ok": ok, "rate": _percent(ok / due) if due else "—",
            "failing": [s for s in current if s.failing],
            "departments": table, "series": series,
            "policy": GovernancePolicy.objects.filter(code="default").first(),
            "can_run": request.user.has_perm("datagov.add_inspectionrun"),
            "open_reminders": Reminder.objects.restrict(request.user, "view").filter(
                department_id=request.user.department_id, acknowledged_at__isnull=True)[:5]
            if request.user.department_id else [],
            "today": timezone.localdate(),
        })


class ResourceQualityView(LoginRequiredMixin, View):
    """One resource: its metric trends and its batches, each with a link to the rejected rows."""

    def get(self, request, pk):
        _require(request.user, "datagov.view_aggregationresource")
        resource = get_object_or_404(AggregationResource.objects.restrict(request.user, "view")
                                     .select_related("department"), pk=pk)
        snaps = QualitySnapshot.objects.restrict(request.user, "view").filter(resource=resource)
        rows = list(snaps.order_by("-day")[:365])[::-1]
        series = {
            "days": [s.day.isoformat() for s in rows],
            "score": [s.score for s in rows],
            "completeness": [None if s.completeness is None else round(100 * s.completeness, 2) for s in rows],
            "validity": [None if s.validity is None else round(100 * s.validity, 2) for s in rows],
            "uniqueness": [None if s.uniqueness is None else round(100 * s.uniqueness, 2) for s in rows],
            "records": [s.total_records for s in rows],
        }
        deliveries = Delivery.objects.restrict(request.user, "view").filter(resource=resource)
        page = Paginator(deliveries.order_by("-committed_at"), 20).get_page(request.GET.get("page"))
        return render(request, "datagov/resource_quality.html", {
            "title": f"{resource.name} · 质量", "resource": resource, "latest": rows[-1] if rows else None,
            "series": series, "page_obj": page,
            "querystring_without_page": "",
            "orders": ShutdownOrder.objects.restrict(request.user, "view").filter(
                Q(resource_code=resource.code) | Q(application=resource.application, application__gt="")),
        })


class RejectsView(LoginRequiredMixin, View):
    """A batch's rejected rows (row, column, rule, reason, values), paged, or downloaded as CSV/XLSX."""

    def get(self, request, pk):
        from zhengshu.datagov.documents import rejects_csv_chunks, rejects_xlsx
        from zhengshu.datagov.lake import iter_rejects, reject_cells

        _require(request.user, "datagov.view_delivery")
        delivery = get_object_or_404(Delivery.objects.restrict(request.user, "view"), pk=pk)
        context = {"title": f"拒收明细 · {delivery.batch_id}", "delivery": delivery, "rows": [], "error": ""}
        if not delivery.in_lake:
            context["error"] = "该批次由外部系统报送数字，拒收明细不在本机数据湖中，请向报送部门调取。"
            return render(request, "datagov/rejects.html", context)
        fmt = request.GET.get("format")
        try:
            if fmt in ("csv", "xlsx"):
                from zhengshu.core.models import ChangeAction, record_change

                rows = iter_rejects(delivery.batch_id)
                first = list(itertools.islice(rows, 1))  # a missing store or file fails here, not mid-download
                rows = itertools.chain(first, rows)
                record_change(action=ChangeAction.EXPORT, obj=delivery,
                              message=f"下载拒收明细（{fmt}）：{delivery.batch_id}")
                if fmt == "csv":  # streamed: a batch may have hundreds of thousands of rejected rows
                    response = StreamingHttpResponse(rejects_csv_chunks(rows), content_type="text/csv; charset=utf-8")
                else:
                    response = HttpResponse(rejects_xlsx(rows, delivery.resource_code), content_type=(
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
                response["Content-Disposition"] = f"attachment; filename=rejects-{delivery.batch_id}.{fmt}"
                return response
            page_no = max(int(request.GET.get("page") or 1), 1)
            start = (page_no - 1) * REJECTS_PAGE
            chunk = list(itertools.islice(iter_rejects(delivery.batch_id), start, start + REJECTS_PAGE + 1))
        except (NotImplementedError, KeyError, FileNotFoundError, OSError) as exc:
            context["error"] = f"无法读取拒收明细：{exc}"
            return render(request, "datagov/rejects.html", context)
        context.update({
            "rows": [reject_cells(r) for r in chunk[:REJECTS_PAGE]], "page": page_no,
            "has_next": len(chunk) > REJECTS_PAGE, "first_row": start + 1,
        })
        return render(request, "datagov/rejects.html", context)


class ReminderDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        _require(request.user, "datagov.view_reminder")
        reminder = get_object_or_404(Reminder.objects.restrict(request.user, "view").select_related("department"),
                                     pk=pk)
        codes = [it.get("code") for it in reminder.items]
        pks = dict(AggregationResource.objects.restrict(request.user, "view").filter(code__in=codes)
                   .values_list("code", "pk"))
        return render(request, "datagov/reminder_detail.html", {
            "title": reminder.title, "reminder": reminder,
            "items": [{**it, "pk": pks.get(it.get("code"))} for it in reminder.items],
            "can_ack": reminder.acknowledged_at is None and request.user.has_perm("datagov.change_reminder", reminder),
        })

    def post(self, request, pk):
        _require(request.user, "datagov.view_reminder")
        reminder = get_object_or_404(Reminder.objects.restrict(request.user, "view"), pk=pk)
        try:
            services.acknowledge_reminder(actor=request.user, reminder=reminder)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "已签收")
        return redirect("datagov:reminder_detail", pk=pk)


class BulletinDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        from zhengshu.datagov.documents import bulletin_docx, bulletin_number

        _require(request.user, "datagov.view_bulletin")
        bulletin = get_object_or_404(Bulletin.objects.restrict(request.user, "view"), pk=pk)
        if request.GET.get("format") == "docx":
            response = HttpResponse(
                bulletin_docx(bulletin),
                content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            response["Content-Disposition"] = f"attachment; filename=bulletin-{bulletin.period_start}.docx"
            return response
        ranking = [{**r, "rate_text": _percent(r["rate"])} for r in bulletin.ranking]
        return render(request, "datagov/bulletin_detail.html", {
            "title": bulletin.title, "bulletin": bulletin, "ranking": ranking, "number": bulletin_number(bulletin),
            "summary_rate": _percent(bulletin.summary.get("rate")),
        })


class ShutdownDetailView(LoginRequiredMixin, View):
    """A shutdown order: evidence, decision, rectification log, and the actions the user may take."""

    def get(self, request, pk):
        _require(request.user, "datagov.view_shutdownorder")
        order = get_object_or_404(ShutdownOrder.objects.restrict(request.user, "view")
                                  .select_related("department", "decided_by", "reinstated_by"), pk=pk)
        user = request.user
        proposed, approved = order.status == ShutdownStatus.PROPOSED, order.status == ShutdownStatus.APPROVED
        return render(request, "datagov/shutdown_detail.html", {
            "title": f"停机单 {order.number}", "order": order, "entries": order.rectifications.select_related("author"),
            "can_decide": proposed and user.has_perm("datagov.approve_shutdownorder", order),
            "can_rectify": approved and user.has_perm("datagov.rectify_shutdownorder", order),
            "can_reinstate": approved and user.has_perm("datagov.reinstate_shutdownorder", order),
            "kinds": [(RectificationKind.NOTE, RectificationKind.NOTE.label),
                      (RectificationKind.SUBMITTED, RectificationKind.SUBMITTED.label)],
        })

    def post(self, request, pk):
        _require(request.user, "datagov.view_shutdownorder")
        order = get_object_or_404(ShutdownOrder.objects.restrict(request.user, "view"), pk=pk)
        action, note = request.POST.get("action"), request.POST.get("note", "")
        calls = {
            "approve": lambda: services.approve_shutdown(actor=request.user, order=order, note=note),
            "reject": lambda: services.reject_shutdown(actor=request.user, order=order, note=note),
            "rectify": lambda: services.add_rectification(actor=request.user, order=order, note=note,
                                                          kind=request.POST.get("kind", RectificationKind.NOTE)),
            "reinstate": lambda: services.reinstate_shutdown(actor=request.user, order=order, note=note),
        }
        if action not in calls:
            raise Http404
        try:
            calls[action]()
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, {"approve": "已批准停机", "reject": "已决定不予停机", "rectify": "已记录整改",
                                       "reinstate": "已恢复"}[action])
        return redirect("datagov:shutdownorder_detail", pk=pk)


class RunInspectionView(LoginRequiredMixin, View):
    def post(self, request):
        _require(request.user, "datagov.add_inspectionrun")
        try:
            day = date.fromisoformat(request.POST.get("date") or timezone.localdate().isoformat())
            result = services.run_inspection(actor=request.user, day=day)
        except ValueError:
            messages.error(request, "巡查日期格式应为 YYYY-MM-DD")
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已巡查 {result['date']}：新提醒 {len(result['reminders'])} 条，"
                                      f"通报 {result['bulletin']['title'] if result['bulletin'] else '无'}，"
                                      f"停机单 {'、'.join(result['shutdown_orders']) or '无'}")
        return redirect("datagov:overview")

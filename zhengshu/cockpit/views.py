"""The cockpit page (一屏掌控), its refresh data, the report download and the list of generated reports."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhengshu.cockpit import cache, figures
from zhengshu.cockpit.models import AnnualReport
from zhengshu.core.views.generic import ModelConfig

VIEW_PERM = "cockpit.view_annualreport"
REPORT_PERM = "cockpit.add_annualreport"
REFRESH_SECONDS = 60
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

report_config = ModelConfig(
    model=AnnualReport, list_fields=("year", "created", "generated_by", "filename", "digest"),
    filter_fields=("year",), deletable=False)


def parse_period(params, today=None) -> tuple[int, int, int]:
    """``year``, ``from`` and ``to`` (months 1–12) from the query string; defaults: the last complete year, 1–12.
    Raises ValueError with a Chinese message naming the bad parameter."""
    today = today or timezone.localdate()
    text = (params.get("year") or "").strip()
    if text:
        if not text.isdigit() or not 2000 <= int(text) <= 2100:
            raise ValueError(f"参数 year 应为 2000–2100 的年份，收到“{text}”")
        year = int(text)
    else:
        year = today.year - 1
    months = []
    for name, default in (("from", 1), ("to", 12)):
        value = (params.get(name) or "").strip()
        if not value:
            months.append(default)
        elif value.isdigit() and 1 <= int(value) <= 12:
            months.append(int(value))
        else:
            raise ValueError(f"参数 {name} 应为 1–12 的月份，收到“{value}”")
    if months[0] > months[1]:
        raise ValueError(f"起始月份（{months[0]}）晚于截止月份（{months[1]}）")
    return year, months[0], months[1]


def payload(year: int, start: int, end: int) -> dict:
    data = figures.in_range(cache.get_figures(year), start, end)
    for fig in data["figures"]:
        fig["text"], fig["exact"] = figures.compact(fig), figures.display(fig)
    data["months"] = [start, end]
    data["refreshed_at"] = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
    return data


def _check(request, perm=VIEW_PERM):
    if not request.user.has_perm(perm):
        raise PermissionDenied("没有查看驾驶舱的权限（需“驾驶舱：查看全市指标”授权）")


@login_required
def screen(request):
    _check(request)
    try:
        year, start, end = parse_period(request.GET)
        error = ""
    except ValueError as exc:
        year, start, end = parse_period({})
        error = str(exc)
    data = payload(year, start, end)
    by_key = figures.by_key(data)
    sections = [{"key": s["key"], "name": s["name"],
                 "figures": [f for f in data["figures"] if f["section"] == s["key"]]} for s in data["sections"]]
    this_year = timezone.localdate().year
    return render(request, "cockpit/screen.html", {
        "data": data, "sections": sections, "f": by_key, "year": year, "start": start, "end": end,
        "error": error, "years": list(range(this_year, this_year - 6, -1)), "months": list(range(1, 13)),
        "refresh_seconds": REFRESH_SECONDS, "can_report": request.user.has_perm(REPORT_PERM),
        "chart_data": json.dumps(data, ensure_ascii=False),
    })


@login_required
def screen_data(request):
    """The same figures as JSON, for the page's self-refresh."""
    _check(request)
    try:
        year, start, end = parse_period(request.GET)
    except ValueError as exc:
        return JsonResponse({"detail": str(exc)}, status=400)
    return JsonResponse(payload(year, start, end), json_dumps_params={"ensure_ascii": False})


@login_required
@require_POST
def report_download(request):
    """Generate the year's annual report (recorded) and send it as a Word file."""
    _check(request, REPORT_PERM)
    from zhengshu.cockpit.services import generate_annual_report

    try:
        year, _start, _end = parse_period(request.POST)
    except ValueError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    record, content = generate_annual_report(actor=request.user, year=year)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{record.filename}"'
    return response

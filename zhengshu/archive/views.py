"""Pages of 一企一档: search, the archive of one enterprise, a source record, the review queue, and the
generic pages of the sources, decisions and builds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhengshu.archive import selectors, services
from zhengshu.archive.choices import Verdict
from zhengshu.archive.forms import ArchiveSourceForm
from zhengshu.archive.models import ArchiveBuild, ArchiveSource, MatchDecision
from zhengshu.core.services import ServiceError
from zhengshu.core.views.generic import ModelConfig
from zhengshu.pipeline.linking import CATEGORIES

REVIEW_PAGE = 20

source_config = ModelConfig(
    model=ArchiveSource,
    list_fields=("resource_code", "name", "category", "authority", "name_index", "enabled"),
    search_fields=("name", "resource_code"),
    filter_fields=("category", "enabled"),
    detail_fields=("resource_code", "name", "category", "authority", "name_index", "enabled", "schema"),
    form_class=ArchiveSourceForm,
)
decision_config = ModelConfig(
    model=MatchDecision,
    list_fields=("name_example", "name_key", "uscc", "candidate_name", "verdict", "decided_by", "updated"),
    search_fields=("name_key", "name_example", "uscc", "candidate_name"),
    filter_fields=("verdict",),
    deletable=False,
)
build_config = ModelConfig(
    model=ArchiveBuild,
    list_fields=("started_at", "generation", "full", "batches", "enterprises", "linked", "unlinked", "review",
                 "touched", "seconds"),
    filter_fields=("full",),
    deletable=False,
)


def _require_view(request) -> None:
    if not selectors.can_view(request.user):
        raise PermissionDenied("没有查阅企业档案的权限")


@login_required
def index(request):
    _require_view(request)
    text = (request.GET.get("q") or "").strip()
    results = selectors.search_enterprises(text, request.user, limit=50) if text else []
    return render(request, "archive/index.html", {
        "title": "一企一档", "q": text, "results": results, "searched": bool(text),
        "counts": selectors.archive_counts(),
        "can_build": request.user.has_perm("archive.add_archivebuild"),
        "can_review": request.user.has_perm("archive.add_matchdecision"),
    })


@login_required
def enterprise(request, uscc):
    _require_view(request)
    category = request.GET.get("cat") or None
    if category is not None and category not in CATEGORIES:
        category = None
    profile = selectors.enterprise_profile(uscc.strip().upper(), request.user, category)
    if profile is None:
        raise Http404(f"企业档案中没有统一社会信用代码为 {uscc} 的企业")
    return render(request, "archive/enterprise.html", {"title": profile["name"], "p": profile})


@login_required
def record(request):
    _require_view(request)
    resource, batch, ord_ = request.GET.get("resource", ""), request.GET.get("batch", ""), request.GET.get("ord", "")
    if not (ord_.isascii() and ord_.isdigit()):
        raise Http404("记录号（ord）应为正整数")
    rec = selectors.source_record(resource, batch, int(ord_), request.user)
    if rec is None:
        raise Http404(f"资源 {resource} 的批次 {batch} 中没有第 {ord_} 条记录")
    return render(request, "archive/record.html", {"title": "来源记录", "r": rec})


@login_required
def review(request):
    _require_view(request)
    page_no = request.GET.get("page", "1")
    page_no = int(page_no) if page_no.isascii() and page_no.isdigit() and int(page_no) > 0 else 1
    rows, total = selectors.review_queue(request.user, REVIEW_PAGE, (page_no - 1) * REVIEW_PAGE)
    paginator = Paginator(range(total), REVIEW_PAGE) if total else None
    return render(request, "archive/review.html", {
        "title": "关联复核", "rows": rows, "total": total, "page_no": page_no,
        "page": paginator.get_page(page_no) if paginator else None,
        "can_decide": request.user.has_perm("archive.add_matchdecision"), "verdicts": Verdict.choices,
    })


@login_required
@require_POST
def decide(request):
    verdict = request.POST.get("verdict", "")
    try:
        decision = services.decide_match(actor=request.user, name_key=request.POST.get("name_key", ""),
                                         uscc=request.POST.get("uscc", ""), verdict=verdict,
                                         note=request.POST.get("note", ""))
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已记录：{decision}；档案已更新。")
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("archive:review")  # only back into this site
    return redirect(target)


@login_required
@require_POST
def build(request):
    try:
        run = services.build_archive(actor=request.user, full=request.POST.get("full") == "1")
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"档案已构建：企业 {run.enterprises} 家，已关联记录 {run.linked} 条，"
                                  f"未关联 {run.unlinked} 条，待复核 {run.review} 项（新批次 {run.batches} 个，"
                                  f"更新企业 {run.touched} 家，{run.seconds:.1f} 秒）。")
    return redirect("archive:index")

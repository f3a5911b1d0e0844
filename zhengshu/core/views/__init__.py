"""Pages of the platform itself: the home page, personal-data reveal, and the core models' pages."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from zhengshu.core.models import CalendarOverride, ChangeLogEntry, Job
from zhengshu.core.services import ServiceError, reveal_field
from zhengshu.core.views.generic import ModelConfig

CHANGELOG = ModelConfig(
    model=ChangeLogEntry,
    list_fields=("seq", "time", "actor_repr", "action", "object_type", "object_repr", "message", "ip"),
    search_fields=("actor_repr", "object_repr", "message", "request_id"),
    filter_fields=("action", "object_type"),
    url_prefix="changelog",
)
CALENDAR = ModelConfig(
    model=CalendarOverride,
    list_fields=("date", "kind", "citywide", "department", "reason"),
    search_fields=("reason",),
    filter_fields=("kind", "citywide", "department"),
    form_fields=("date", "kind", "citywide", "department", "reason", "comments"),
    queryset_hook=lambda qs: qs.select_related("department"),
    url_prefix="calendar",
)
JOBS = ModelConfig(
    model=Job,
    list_fields=("id", "kind", "status", "department", "created", "started", "finished", "attempts"),
    search_fields=("kind", "error"),
    filter_fields=("status", "kind"),
    url_prefix="jobs",
)


@login_required
def home(request):
    # The audit admin sees the latest rows of all; staff their own ("view_own"); the system admin none.
    action = "view" if request.user.has_perm("core.view_changelogentry") else "view_own"
    recent = list(ChangeLogEntry.objects.restrict(request.user, action)[:10])
    return render(request, "core/home.html", {"recent_changes": recent})


@login_required
@require_POST
def reveal(request, label: str, pk: str, field: str):
    """Show one personal-data field in full: needs the reveal permission and a stated purpose."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None
    obj = get_object_or_404(model._default_manager.restrict(request.user, "view"), pk=pk)
    try:
        value = reveal_field(actor=request.user, instance=obj, field=field, purpose=request.POST.get("purpose", ""))
    except PermissionDenied:
        return JsonResponse({"detail": "没有查看完整个人信息的权限", "errors": {}}, status=403)
    except ServiceError as exc:
        return JsonResponse({"detail": str(exc), "errors": {"purpose": [str(exc)]}}, status=400)
    return JsonResponse({"value": value})

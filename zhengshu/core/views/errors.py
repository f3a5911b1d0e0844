"""Error pages; under /api/ they answer in the API's one error shape."""

from django.http import JsonResponse
from django.shortcuts import render

from zhengshu.core.api.errors import MESSAGES


def _answer(request, status, template, message):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message or MESSAGES[status], "errors": {}}, status=status)
    return render(request, template, {"message": message}, status=status)


def permission_denied(request, exception=None):
    return _answer(request, 403, "403.html", str(exception or "") or MESSAGES[403])


def page_not_found(request, exception=None):
    return _answer(request, 404, "404.html", MESSAGES[404])


def server_error(request):
    """500: JSON under /api/; elsewhere the static page (no context processors, nothing that can fail)."""
    from django.template import loader

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "系统错误，请稍后重试；如持续出现请联系系统管理员", "errors": {}}, status=500)
    from django.http import HttpResponseServerError

    return HttpResponseServerError(loader.get_template("500.html").render())

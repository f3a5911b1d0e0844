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

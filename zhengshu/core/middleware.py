"""Give every request a change context: actor, request id (also sent back as X-Request-ID), client IP."""

from __future__ import annotations

import re
import uuid

from django.conf import settings

from zhengshu.core.context import change_context

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_ip(request) -> str:
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        user = request.user if request.user.is_authenticated else None
        source = "api" if request.path.startswith("/api/") else "web"
        with change_context(actor=user, source=source, request_id=request.id, ip=client_ip(request)):
            response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response

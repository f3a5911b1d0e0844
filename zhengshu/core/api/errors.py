"""One error shape for the whole API: ``{"detail": "…", "errors": {field: [messages]}}``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from zhengshu.core.services import ServiceError

MESSAGES = {
    400: "请求数据有误",
    401: "未登录或登录已失效",
    403: "没有权限执行此操作",
    404: "对象不存在，或不在您的数据范围内",
    405: "不支持此请求方法",
    409: "与当前状态冲突",
}


def exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    elif isinstance(exc, ServiceError):
        return Response({"detail": str(exc), "errors": {}}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {"detail": MESSAGES[400], "errors": errors}
    else:
        detail = data.get("detail") if isinstance(data, dict) else None
        code = response.status_code
        if code == 404 or not detail:
            detail = MESSAGES.get(code, str(detail or ""))
        response.data = {"detail": str(detail), "errors": {}}
    return response

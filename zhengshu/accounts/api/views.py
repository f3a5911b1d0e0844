from zhengshu.accounts.api.serializers import UserSerializer
from zhengshu.accounts.models import User
from zhengshu.core.api.viewsets import BaseModelViewSet


class UserViewSet(BaseModelViewSet):
    queryset = User.objects.select_related("department")
    serializer_class = UserSerializer
    filterset_fields = ("kind", "department", "admin_role", "is_active")
    http_method_names = ("get", "post", "put", "patch", "head", "options")  # accounts are disabled, not deleted

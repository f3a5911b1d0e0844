from zhengshu.accounts.models import User
from zhengshu.core.api.viewsets import BaseModelSerializer


class UserSerializer(BaseModelSerializer):
    class Meta:
        model = User
        fields = ("id", "username", "full_name", "kind", "department", "phone", "id_number", "enterprise_uscc",
                  "admin_role", "is_active", "last_login")
        read_only_fields = ("last_login", "admin_role")

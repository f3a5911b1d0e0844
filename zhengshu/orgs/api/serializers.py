from zhengshu.core.api.viewsets import BaseModelSerializer
from zhengshu.orgs.models import Department, Division


class DivisionSerializer(BaseModelSerializer):
    class Meta:
        model = Division
        fields = ("code", "name", "level", "parent", "current", "valid_from", "valid_to", "successor_codes")


class DepartmentSerializer(BaseModelSerializer):
    class Meta:
        model = Department
        fields = ("id", "name", "short_name", "code", "uscc", "level", "parent", "division", "sort_order", "is_active",
                  "created", "updated")
        read_only_fields = ("created", "updated")

    def validate(self, attrs):
        from zhengshu import identifiers
        from rest_framework import serializers

        uscc = attrs.get("uscc")
        if uscc:
            result = identifiers.check(uscc)
            if result["kind"] != "uscc" or not result["valid"]:
                raise serializers.ValidationError({"uscc": [f"统一社会信用代码无效：{result['reason']}"]})
        return attrs

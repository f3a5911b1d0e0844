from zhengshu.core.api.viewsets import BaseModelViewSet, ReadOnlyModelViewSet
from zhengshu.orgs.api.serializers import DepartmentSerializer, DivisionSerializer
from zhengshu.orgs.models import Department, Division


class DivisionViewSet(ReadOnlyModelViewSet):
    queryset = Division.objects.all()
    serializer_class = DivisionSerializer
    filterset_fields = ("level", "current", "parent")


class DepartmentViewSet(BaseModelViewSet):
    queryset = Department.objects.select_related("parent", "division")
    serializer_class = DepartmentSerializer
    filterset_fields = ("level", "parent", "division", "is_active")

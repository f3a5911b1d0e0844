from zhengshu.core.views.generic import ModelConfig
from zhengshu.orgs.forms import DepartmentForm
from zhengshu.orgs.models import Department, Division

DIVISION = ModelConfig(
    model=Division,
    list_fields=("code", "name", "level", "parent", "current", "valid_from", "valid_to"),
    search_fields=("code", "name"),
    filter_fields=("level", "current"),
    queryset_hook=lambda qs: qs.select_related("parent"),
)
DEPARTMENT = ModelConfig(
    model=Department,
    list_fields=("name", "code", "level", "parent", "division", "uscc", "is_active"),
    search_fields=("name", "short_name", "code", "uscc"),
    filter_fields=("level", "is_active"),
    detail_fields=("name", "short_name", "code", "uscc", "level", "parent", "division", "sort_order", "is_active", "created", "updated"),
    form_class=DepartmentForm,
    form_fields=DepartmentForm.Meta.fields,
    queryset_hook=lambda qs: qs.select_related("parent", "division"),
)

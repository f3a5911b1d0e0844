"""Routing of assisted-handling requests to a level (市 / 镇·街道 / 村·社区) and a department queue.

Rules, in order (the reason is stored on the request):
1. The asker gave where they are (a town or a village) and that place, or for a village its town, offers a
   public item of the same name → the nearest such queue (村·社区 first, then 镇·街道).
2. The item is implemented by a town or village (its 实施主体 is a 镇·街道 / 村·社区 department) → that queue.
3. Otherwise an item of a city department → that department's queue (市级).
4. No item: the asker's place (村·社区 or 镇·街道) if given, else the city's government service office
   (市政务服务和数据资源管理办公室, code ``OFFICE_CODE``), else the top of the department tree.
"""

from __future__ import annotations

from zhengshu.orgs.choices import DepartmentLevel
from zhengshu.orgs.models import Department

OFFICE_CODE = "HN-ZSB"


def _same_item_at(name: str, department: Department | None):
    from zhengshu.govservices.selectors import published_items

    if department is None:
        return None
    return published_items().filter(name=name, department=department).first()


def route(item, location: Department | None) -> tuple[Department, str, str]:
    """(department queue, level, reason) for a request about ``item`` (or None) from ``location`` (or None)."""
    if item is not None:
        dept = item.department
        places = []
        if location is not None:
            places.append(location)
            if location.level == DepartmentLevel.VILLAGE and location.parent_id:
                places.append(location.parent)
        for place in places:
            if _same_item_at(item.name, place) is not None:
                return place, place.level, f"{place.name}可办理“{item.name}”，就近帮办"
        if dept.level in (DepartmentLevel.TOWN, DepartmentLevel.VILLAGE):
            return dept, dept.level, f"事项由{dept.name}实施"
        return dept, DepartmentLevel.CITY, f"市级部门{dept.name}实施的事项"
    if location is not None:
        return location, location.level, f"未指定事项，由申请人所在的{location.name}帮办"
    office = Department.objects.filter(code=OFFICE_CODE).first() or Department.objects.filter(
        parent__isnull=True).order_by("path").first()
    if office is None:
        from zhengshu.core.services import ServiceError

        raise ServiceError("系统中还没有部门，无法分派帮办请求")
    return office, DepartmentLevel.CITY, "未指定事项和所在地，由市政务服务中心综合帮办"

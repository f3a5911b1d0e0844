"""Demo: Haining's divisions (from the shipped data) and its real departments and towns."""

from __future__ import annotations

from django.conf import settings

from zhengshu.core.demo import seeder
from zhengshu.orgs.choices import DepartmentLevel
from zhengshu.orgs.loader import load_divisions
from zhengshu.orgs.models import Department, Division

GOVERNMENT = ("HN-GOV", "海宁市人民政府", "市政府")
CITY_DEPARTMENTS = (
    ("HN-ZSB", "海宁市政务服务和数据资源管理办公室", "市政务数据办"),
    ("HN-SJJ", "海宁市市场监督管理局", "市场监管局"),
    ("HN-ZJJ", "海宁市住房和城乡建设局", "住建局"),
    ("HN-RSJ", "海宁市人力资源和社会保障局", "人社局"),
    ("HN-FGJ", "海宁市发展和改革局", "发改局"),
    ("HN-CZJ", "海宁市财政局", "财政局"),
    ("HN-JYJ", "海宁市教育局", "教育局"),
    ("HN-WJJ", "海宁市卫生健康局", "卫健局"),
    ("HN-MZJ", "海宁市民政局", "民政局"),
    ("HN-GAJ", "海宁市公安局", "公安局"),
    ("HN-ZRJ", "海宁市自然资源和规划局", "自然资源和规划局"),
    ("HN-JTJ", "海宁市交通运输局", "交通运输局"),
    ("HN-NYJ", "海宁市农业农村局", "农业农村局"),
    ("HN-JXJ", "海宁市经济和信息化局", "经信局"),
    ("HN-SWJ", "国家税务总局海宁市税务局", "税务局"),
    ("HN-SLJ", "海宁市水利局", "水利局"),
    ("HN-STJ", "嘉兴市生态环境局海宁分局", "生态环境分局"),
    ("HN-YJJ", "海宁市应急管理局", "应急管理局"),
    ("HN-YBJ", "海宁市医疗保障局", "医保局"),
    ("HN-GHJ", "海宁市公共资源交易中心", "公共资源交易中心"),
)


def ensure_department(code: str, name: str, short: str, *, level: str, division: Division,
                      parent: Department | None) -> Department:
    dept = Department.objects.filter(code=code).first()
    if dept is None:
        dept = Department(code=code)
    dept.name, dept.short_name, dept.level, dept.division, dept.parent = name, short, level, division, parent
    dept.save()
    return dept


@seeder(10, "行政区划")
def seed_divisions() -> str:
    counts = load_divisions()
    return f"共 {counts['total']}，新增 {counts['created']}，更新 {counts['updated']}"


@seeder(11, "部门")
def seed_departments() -> str:
    city = Division.objects.get(code=settings.CITY_DIVISION)
    gov = ensure_department(*GOVERNMENT, level=DepartmentLevel.CITY, division=city, parent=None)
    for order, (code, name, short) in enumerate(CITY_DEPARTMENTS):
        dept = ensure_department(code, name, short, level=DepartmentLevel.CITY, division=city, parent=gov)
        if dept.sort_order != order:
            dept.sort_order = order
            dept.save()
    towns = Division.objects.filter(code__startswith=city.code, level="township").order_by("code")
    for town in towns:
        ensure_department(f"HN-{town.code}", f"海宁市{town.name}", town.name,
                          level=DepartmentLevel.TOWN, division=town, parent=gov)
    return f"市级部门 {len(CITY_DEPARTMENTS)} 个，镇·街道 {towns.count()} 个"

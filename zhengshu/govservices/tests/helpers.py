"""Test data for the catalogue: personas with catalogue rights, items, and generated catalogue files."""

from __future__ import annotations

import csv
from pathlib import Path

from zhengshu.govservices.catalogue_io import ITEM_COLUMNS, MATERIAL_COLUMNS
from zhengshu.govservices.demo import make_uscc

ITEM_HEADER = ["事项名称", "基本编码", "实施编码", "事项类型", "实施主体", "实施主体代码", "行使层级", "法定办结时限",
               "承诺办结时限", "受理条件", "办理流程", "是否收费", "到办事现场次数", "办理形式", "通办范围", "服务对象",
               "咨询电话", "常见问题", "必须现场办理原因说明", "数据来源"]
MATERIAL_HEADER = ["实施编码", "材料名称", "原件份数", "复印件份数", "是否必备", "是否容缺", "容缺补齐时限"]
assert all(h in ITEM_COLUMNS for h in ITEM_HEADER[:-1]) and all(h in MATERIAL_COLUMNS for h in MATERIAL_HEADER)

NAMES = ["食品经营许可", "个体工商户设立登记", "建筑工程施工许可证核发", "失业保险金申领", "居住证申领",
         "不动产转移登记", "道路货物运输经营许可", "医师执业注册", "内地居民婚姻登记", "取水许可"]
TYPES = [("行政许可", "01"), ("07", "07"), ("行政许可", "01"), ("行政给付", "05"), ("行政确认", "07"),
         ("07", "07"), ("01", "01"), ("行政许可", "01"), ("行政确认", "07"), ("行政许可", "01")]


def give_uscc(world) -> dict[str, str]:
    """Real-looking USCCs for the test world's departments (saved on them); code → USCC."""
    codes = {}
    for n, dept in enumerate((world.office, world.dept_a, world.dept_b, world.town), start=1):
        dept.uscc = make_uscc(1_000_000 + n)
        dept.save()
        codes[dept.code] = dept.uscc
    return codes


def grant(p) -> None:
    from zhengshu.govservices.permissions import grant_catalogue_permissions

    grant_catalogue_permissions(vars(p))
    for user in (p.clerk_a, p.colleague_a, p.outsider_b, p.town_clerk, p.auditor, p.dataofficer):
        user.clear_permission_cache()


def catalogue_rows(world, count: int, *, suffix: str = "") -> tuple[list[list], list[list]]:
    """``count`` items over departments A and B, written as offices write them (names or codes, text limits)."""
    depts = [world.dept_a, world.dept_b]
    items, materials = [], []
    for i in range(count):
        dept = depts[i % 2]
        label, kind = TYPES[i % len(TYPES)]
        level_text = ("县级", "4")[i % 2]
        basic = f"33{kind}{i:05d}000"
        code = dept.uscc + "4" + basic
        immediate = i % 3 == 0
        name = f"{NAMES[i % len(NAMES)]}（第{i}项）{suffix}"
        legal = "即办" if immediate and kind != "01" else ("20个工作日", "30个自然日", "20")[i % 3]
        promised = "即办" if immediate else ("5个工作日", "3个工作日", "10个自然日")[i % 3]
        visits = ("0", "0次", "1次")[i % 3] if not immediate else "0"
        forms = "窗口办理、电脑端网上办理、移动端网上申请" if visits != "1次" else "窗口办理"
        items.append([
            name, basic if i % 4 else "", code, label, dept.name if i % 5 else "", dept.uscc if i % 5 == 0 else "",
            level_text, legal, promised, "材料齐全、符合法定形式", "申请→受理→审查→决定", ("否", "是")[i % 7 == 0],
            visits, forms, ("", "跨省通办", "全省")[i % 3], ("自然人", "企业法人、自然人")[i % 2], "0573-87000000",
            "问：能网上办吗？答：能。", "须现场核验" if visits == "1次" else "", f"省库{i % 9}",
        ])
        materials.append([code, "申请表", "1", "0", "是", "否", ""])
        materials.append([code, "身份证明", "0", "1", "是", "否", ""])
        if not immediate:
            materials.append([code, "场所证明", "0", "1", "否", "是", "3个工作日"])
    return items, materials


def write_csv(directory: Path, stem: str, items, materials, encoding: str) -> Path:
    path = directory / f"{stem}.csv"
    for target, header, body in ((path, ITEM_HEADER, items),
                                 (directory / f"{stem}_申请材料.csv", MATERIAL_HEADER, materials)):
        with open(target, "w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(body)
    return path


def write_xlsx(directory: Path, stem: str, items, materials) -> Path:
    from openpyxl import Workbook

    path = directory / f"{stem}.xlsx"
    workbook = Workbook(write_only=True)
    for title, header, body in (("事项", ITEM_HEADER, items), ("申请材料", MATERIAL_HEADER, materials)):
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        for row in body:
            sheet.append([int(v) if isinstance(v, str) and v.isdigit() and len(v) < 3 else v for v in row])
    workbook.save(path)
    return path

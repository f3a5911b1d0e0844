"""Seed values of the code tables (no Django imports: used by a data migration and by the seeder).

Sources: GB/T 39046—2020《政务服务平台基础数据规范》附录 A (A.1 事项类型, A.2 行使层级, A.3 实施主体性质,
A.4 服务对象, A.5 办理形式, A.6 办件类型, A.7 特别程序种类, A.8 满意度) and its table 9 (评价渠道, listed
without numeric codes). 网办深度 follows the Zhejiang Ⅰ–Ⅳ levels (全程网办（Ⅳ级）); 通办范围 lists the four
scopes of GB/T 39046 item 33 (numeric codes local); 申报来源 are the channels of the Haining platform.
Codes without a number in the standard are local and may be re-coded by staff before go-live.

Each row: (code, name, aliases) — aliases are other spellings accepted on import, joined by "、".
"""

from __future__ import annotations

SEED: dict[str, list[tuple[str, str, str]]] = {
    "item_type": [
        ("00", "行政权力事项", ""),
        ("01", "行政许可", "许可"),
        ("02", "行政处罚", "处罚"),
        ("03", "行政强制", "强制"),
        ("04", "行政征收", "征收"),
        ("05", "行政给付", "给付"),
        ("06", "行政检查", "检查"),
        ("07", "行政确认", "确认"),
        ("08", "行政奖励", "奖励"),
        ("09", "行政裁决", "裁决"),
        ("10", "其他类别事项", "其他行政权力、其他"),
        ("11", "政府内部审批", ""),
        ("20", "公共服务事项", "公共服务"),
    ],
    "exercise_level": [
        ("1", "国家级", "国家"),
        ("2", "省级", "省"),
        ("3", "市级", "市、设区市级"),
        ("4", "县级", "县、县（市、区）级、县(市、区)级"),
        ("5", "镇（乡、街道）级", "镇(乡、街道)级、乡镇级、镇街级、街道级"),
        ("6", "村（社区）级", "村(社区)级、村级、社区级"),
        ("7", "分级管理", ""),
    ],
    "subject_nature": [
        ("1", "法定机关", ""),
        ("2", "授权组织", ""),
        ("3", "受委托组织", ""),
        ("9", "其他", ""),
    ],
    "service_object": [
        ("1", "自然人", "个人"),
        ("2", "企业法人", "企业、法人"),
        ("3", "事业法人", "事业单位"),
        ("4", "社会组织法人", "社会组织"),
        ("5", "行政机关", "机关"),
        ("6", "其他组织", ""),
    ],
    "handling_form": [
        ("1", "窗口办理", "窗口"),
        ("2", "电脑端网上办理", "网上办理、PC端、网上申请"),
        ("3", "移动端网上申请", "移动端、掌上办理、浙里办"),
        ("4", "快递申请", "邮寄申请、邮寄"),
        ("9", "其他", ""),
    ],
    "project_type": [
        ("1", "即办件", "即办"),
        ("2", "承诺件", "承诺"),
        ("9", "其他", ""),
    ],
    "special_procedure": [
        ("1", "延长审批", "A"),
        ("2", "除延长审批之外的情况", "其他特别程序、B"),
    ],
    "satisfaction": [
        ("1", "非常满意", ""),
        ("2", "满意", ""),
        ("3", "基本满意", ""),
        ("4", "不满意", ""),
        ("5", "非常不满意", ""),
    ],
    "online_depth": [
        ("1", "事项公开（Ⅰ级）", "事项公开、Ⅰ级"),
        ("2", "在线预审（Ⅱ级）", "在线预审、Ⅱ级"),
        ("3", "在线办理（Ⅲ级）", "在线办理、网上受理、Ⅲ级"),
        ("4", "全程网办（Ⅳ级）", "全程网办、Ⅳ级"),
    ],
    "cross_region": [
        ("1", "全国通办", "全国"),
        ("2", "跨省通办", "跨省"),
        ("3", "跨市通办", "跨市、省内通办、全省通办、全省"),
        ("4", "跨县通办", "跨县、市域通办、全市通办、全市"),
    ],
    "apply_channel": [
        ("1", "窗口", "窗口办理、线下窗口"),
        ("2", "PC端", "电脑端、政务服务网"),
        ("3", "浙里办", "移动端、浙里办APP"),
        ("4", "自助终端", "自助机"),
        ("5", "代收代办", "异地代收代办"),
    ],
    "rating_channel": [
        ("1", "PC端", "电脑端"),
        ("2", "移动服务端", "移动端、浙里办"),
        ("3", "二维码", ""),
        ("4", "政务大厅平板电脑", "评价器、平板电脑"),
        ("5", "其他终端", ""),
        ("6", "电话", "12345"),
        ("7", "短信", ""),
    ],
}


def seed_rows():
    """Yield ``(table, code, name, aliases, sort)`` for every seed value."""
    for table, rows in SEED.items():
        for index, (code, name, aliases) in enumerate(rows):
            yield table, code, name, aliases, (index + 1) * 10

"""Configurable values of the case rules, kept as data (``Parameter`` rows) with these defaults."""

from __future__ import annotations

DEFAULTS: dict[str, tuple[str, str, str]] = {
    # key: (name, default value, help)
    "case_number_format": ("办件编号格式", "{code}{date:%Y%m%d}{seq:06d}",
                           "可用 {code} 实施编码、{date:%Y%m%d} 申请日期、{channel} 申报来源、{seq:06d} 当日序号"),
    "warn_ratio": ("预警比例", "0.8", "已用承诺时限达到该比例时预警"),
    "correction_days": ("补正期限（自然日）", "30", "一次性告知补正后申请人补正的期限"),
    "tolerance_default_workdays": ("容缺补齐默认期限（工作日）", "10", "材料未设最长补齐时限时使用"),
    "tolerance_remind_days": ("容缺提醒提前天数", "3", "承诺补齐日前多少天起每日提醒"),
    "verification_workdays": ("告知承诺核查期限（工作日）", "20", "受理后多少个工作日内完成核查"),
    "rectification_workdays": ("差评整改期限（工作日）", "15", "差评（不满意、非常不满意）整改期限"),
    "upload_max_mb": ("上传文件大小上限（MB）", "20", "单个材料文件的大小上限"),
}


def param_str(key: str) -> str:
    from zhengshu.cases.models import Parameter

    value = Parameter.objects.filter(key=key).values_list("value", flat=True).first()
    return value if value not in (None, "") else DEFAULTS[key][1]


def param_int(key: str) -> int:
    try:
        return int(param_str(key))
    except ValueError:
        return int(DEFAULTS[key][1])


def param_float(key: str) -> float:
    try:
        return float(param_str(key))
    except ValueError:
        return float(DEFAULTS[key][1])

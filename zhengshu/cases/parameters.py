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


def validate(key: str, value: str) -> None:
    """Raise ``ValidationError`` (Chinese, per field) when ``value`` cannot serve as parameter ``key``."""
    from datetime import date

    from django.core.exceptions import ValidationError

    if key not in DEFAULTS:
        raise ValidationError({"key": f"未知的参数键“{key}”，可用：{'、'.join(DEFAULTS)}"})
    value = (value or "").strip()
    if key == "case_number_format":
        try:
            sample = value.format(code="X" * 31, date=date(2024, 1, 1), channel="1", seq=1)
        except (KeyError, ValueError, IndexError, AttributeError) as exc:
            raise ValidationError({"value": f"编号格式“{value}”无效：{exc}"}) from None
        if "{seq" not in value or len(sample) > 60:
            raise ValidationError({"value": "编号格式须含 {seq…} 序号，且生成的编号不超过 60 个字符"})
        return
    if key == "warn_ratio":
        try:
            ok = 0 < float(value) <= 1
        except ValueError:
            ok = False
        if not ok:
            raise ValidationError({"value": f"预警比例须是 0 到 1 之间的小数（如 0.8），收到“{value}”"})
        return
    if not value.isdigit() or (int(value) == 0 and key != "tolerance_remind_days"):
        raise ValidationError({"value": f"{DEFAULTS[key][0]}须是正整数，收到“{value}”"})

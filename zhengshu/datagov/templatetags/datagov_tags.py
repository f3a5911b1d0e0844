from django import template

register = template.Library()


@register.filter
def thousands(value) -> str:
    """12345678 → "12,345,678" (the figures of the data office are written with separators)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "—"


@register.filter
def pct(value) -> str:
    """0.9876 → "98.8%"; no value → "—"."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%"

"""Template filters of 資料1."""

from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """12.5 → 12.5%; None (no figure) → —"""
    return "—" if value is None else f"{value}%"


@register.simple_tag
def diff(value, reference) -> str:
    """The difference in points: +2.5 / -1.0 / ± 0 (— when either is missing)."""
    if value is None or reference is None:
        return "—"
    points = round(float(value) - float(reference), 1)
    return "± 0" if points == 0 else f"{points:+}ポイント"

"""Number formatting for the analytics pages (no queries, no rules)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 0) -> str:
    """0.4567 -> "46%"; None -> "—"."""
    if value is None:
        return "—"
    return f"{value * 100:.{int(digits)}f}%"


@register.filter
def points(value: float | None) -> str:
    """A lift in percentage points, with its sign: +12 pts, −3 pts."""
    if value is None:
        return "—"
    rounded = round(value)
    if rounded > 0:
        return f"+{rounded} pts"
    if rounded < 0:
        return f"−{abs(rounded)} pts"
    return "±0 pts"


@register.filter
def money(value: Decimal | float | int | None) -> str:
    """Whole units with thousands separators: 1234567.5 -> 1,234,568."""
    if value is None:
        return "—"
    return number_format(round(Decimal(value)), decimal_pos=0, force_grouping=True)


@register.filter
def stars(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}"


@register.filter
def bar_width(value: int | float | None, maximum: int | float | None) -> int:
    """Percentage width of a value's bar next to the largest one (0 to 100)."""
    if not value or not maximum:
        return 0
    return max(1, min(100, round(value * 100 / maximum)))

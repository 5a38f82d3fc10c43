"""Small display helpers for the library's templates (no queries, no rules)."""

import datetime
import re

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()

_BULLET = re.compile(r"^\s*(?:[-*•·–]|\d+[.)])\s+")


@register.filter
def lines(text: str) -> list[str]:
    """A card field written one point per line, as a list of points."""
    if not text:
        return []
    return [
        _BULLET.sub("", line).strip() for line in str(text).splitlines() if line.strip()
    ]


@register.filter
def days_from_today(value: datetime.date | None) -> int | None:
    """Days until `value` (negative when it is past)."""
    if value is None:
        return None
    return (value - timezone.localdate()).days


@register.filter
def absolute(value: int | None) -> int | None:
    return abs(value) if value is not None else None


@register.filter
def ago(value: datetime.datetime | None) -> str:
    """“just now” under a minute (timesince said “0 minutes”), else “3 hours ago”:
    the largest unit only, which is what a glance needs."""
    if value is None:
        return ""
    if (timezone.now() - value).total_seconds() < 60:
        return "just now"
    return f"{timesince(value, depth=1)} ago"

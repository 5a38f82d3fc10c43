"""Deal segments: a name for a band of deal amounts (WINGMAN_DEAL_SEGMENTS)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q


@dataclass(frozen=True)
class Segment:
    name: str
    low: Decimal
    high: Decimal | None  # exclusive; None: no upper bound

    def q(self, prefix: str = "") -> Q:
        """The deals whose amount falls in this band."""
        cond = Q(**{f"{prefix}amount__gte": self.low})
        if self.high is not None:
            cond &= Q(**{f"{prefix}amount__lt": self.high})
        return cond


def segments() -> list[Segment]:
    """The bands from the setting ("SMB:0", "Mid-market:25000", ...), smallest first."""
    bands = []
    for raw in settings.WINGMAN_DEAL_SEGMENTS:
        name, _, low = raw.rpartition(":")
        try:
            bands.append((Decimal(low), name.strip()))
        except InvalidOperation:
            raise ImproperlyConfigured(
                f"WINGMAN_DEAL_SEGMENTS: {raw!r} is not name:amount"
            ) from None
    bands.sort()
    return [
        Segment(
            name=name,
            low=low,
            high=bands[i + 1][0] if i + 1 < len(bands) else None,
        )
        for i, (low, name) in enumerate(bands)
    ]


def segment_for(amount: Decimal | None) -> Segment | None:
    """The segment of a deal of `amount`; None when the amount is unknown."""
    if amount is None:
        return None
    found = None
    for segment in segments():
        if amount >= segment.low:
            found = segment
    return found

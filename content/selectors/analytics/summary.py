"""The monthly summary for a marketer: how their assets do, what the field
said about them, and what is waiting for an answer. 7 queries per person."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, QuerySet

from accounts.models import Role, User
from content.models import Asset, AssetStatus, Rating
from content.selectors.analytics import evidence
from content.selectors.analytics.base import (
    LOW_RATING_BELOW,
    LOW_RATING_MIN_COUNT,
    Period,
)
from content.selectors.analytics.evidence_stats import Effect, Verdict

SUMMARY_PERIOD_DAYS = 90  # verdicts need a quarter of deals, not a month
NEW_SINCE_DAYS = 31
LISTED = 10


@dataclass
class MonthlySummary:
    user: User
    period: Period
    verdicts: dict[Verdict, list[tuple[Asset, Effect]]] = field(default_factory=dict)
    newly_low_rated: list[Asset] = field(default_factory=list)
    unanswered: list[Rating] = field(default_factory=list)
    unanswered_total: int = 0

    @property
    def is_empty(self) -> bool:
        return not (
            any(self.verdicts.values()) or self.newly_low_rated or self.unanswered
        )


def summary_recipients() -> QuerySet[User]:
    """Active marketers and admins with an email who own a published asset."""
    owners = Asset.objects.filter(status=AssetStatus.PUBLISHED).values("owner_id")
    return (
        User.objects.filter(
            is_active=True, pk__in=owners, role__in=[Role.MARKETER, Role.ADMIN]
        )
        .exclude(email="")
        .order_by("pk")
    )


def monthly_summary(
    *, user: User, today: datetime.date | None = None
) -> MonthlySummary:
    period = Period.last(SUMMARY_PERIOD_DAYS, today=today)
    since = period.end_at - datetime.timedelta(days=NEW_SINCE_DAYS)
    theirs = Asset.objects.filter(owner=user, status=AssetStatus.PUBLISHED)
    # Judged among every published asset, as on the dashboard.
    published = Asset.objects.filter(status=AssetStatus.PUBLISHED)
    effects = evidence.effects(evidence.EvidenceScope(period=period), among=published)
    by_id = {a.pk: a for a in theirs.filter(pk__in=list(effects)).only("pk", "title")}
    verdicts: dict[Verdict, list[tuple[Asset, Effect]]] = {v: [] for v in Verdict}
    for pk in evidence_order(effects):
        if pk in by_id:
            verdicts[effects[pk].verdict].append((by_id[pk], effects[pk]))
    low = (
        theirs.filter(
            rating_count__gte=LOW_RATING_MIN_COUNT,
            rating_total__lt=LOW_RATING_BELOW * F("rating_count"),
            # New this month: a rating given or changed since.
            pk__in=Rating.objects.filter(updated_at__gte=since).values("asset_id"),
        )
        .only("pk", "title", "rating_count", "rating_total")
        .order_by("title")
    )
    waiting = (
        Rating.objects.filter(asset__in=theirs, reply__isnull=True)
        .exclude(comment="")
        .select_related("asset", "user")
        .order_by("updated_at", "pk")
    )
    unanswered = list(waiting[:LISTED])
    total = waiting.count() if len(unanswered) == LISTED else len(unanswered)
    return MonthlySummary(
        user=user,
        period=period,
        verdicts=verdicts,
        newly_low_rated=list(low[:LISTED]),
        unanswered=unanswered,
        unanswered_total=total,
    )


def evidence_order(effects: dict[int, Effect]) -> list[int]:
    return sorted(effects, key=lambda pk: (*effects[pk].sort_key, pk))

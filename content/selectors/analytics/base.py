"""Periods, filters, definitions and the small value objects of analytics."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Q,
    QuerySet,
)
from django.utils import timezone

from accounts import roles
from accounts.models import User
from content.models import (
    Asset,
    AssetStatus,
    Stage,
)
from content.rating import BAYES_PRIOR_WEIGHT, bayesian_average  # noqa: F401
from content.selectors.analytics.evidence_stats import Effect

UNUSED_DAYS = 90
EXPIRING_DAYS = 14
LOW_RATING_BELOW = 3
LOW_RATING_MIN_COUNT = 3
PAGE_SIZE = 25
PERIOD_CHOICES = (30, 90, 365)
DEFAULT_PERIOD_DAYS = 90
MAX_PERIOD_DAYS = 3 * 366
EXPORT_CHUNK = 2000

# Sort key -> label. Numbers sort largest first, the title A to Z.
SORTS: dict[str, str] = {
    "evidence": "Evidence it helps win",
    "revenue": "Influenced revenue",
    "win_rate": "Win rate",
    "lift": "Lift",
    "deals": "Deals",
    "uses": "Uses",
    "views": "Views",
    "downloads": "Downloads",
    "viewers": "Unique viewers",
    "rating": "Rating",
    "ratings": "Number of ratings",
    "title": "Title",
}
# By the evidence: the lower end of each asset's effect. Influenced revenue
# credits every won deal's full amount to each asset used in it, which rewards
# volume and big deals, not effect.
DEFAULT_SORT = "evidence"

DEFINITIONS: list[tuple[str, str]] = [
    (
        "Views and downloads",
        "Times the asset was opened or downloaded in the period, by colleagues or "
        "by prospects through a share link.",
    ),
    (
        "Unique viewers",
        "Distinct people who opened or downloaded it, counted per day: someone who "
        "came back on three days counts three times. Prospects count by visitor.",
    ),
    (
        "Rating",
        "Average stars and number of ratings to date (people can change theirs). "
        "Sorting uses a Bayesian average: the library's mean counted as "
        f"{BAYES_PRIOR_WEIGHT} extra ratings, so a single 5-star rating does not "
        "top the list.",
    ),
    (
        "Uses and deals",
        "Uses: times it was recorded as used in a deal in the period. Deals: the "
        "distinct deals those uses were in.",
    ),
    (
        "Win rate when used",
        "Won ÷ (won + lost) among the deals closed in the period that used the "
        "asset, with n, the number of those closed deals. Shown from {min_deals} "
        "closed deals on; below that, “not enough data”.",
    ),
    (
        "Lift",
        "That win rate minus the win rate of all deals closed in the period, in "
        "percentage points. A pointer to look closer, not proof of cause.",
    ),
    (
        "Effect on winning",
        "How much more often deals win when they use the asset, compared like "
        "with like: deals closed in the period that used it at a stage, against "
        "deals closed in the period that reached the same stage and had not used "
        "it by then. Deals that get far win more often whatever they use, so "
        "comparing with every deal would flatter late-stage content and blame "
        "early-stage content. Shown in percentage points with a range: we are "
        "{level}% confident the true effect lies inside it. Each deal counts "
        "once, at the first stage it used the asset; over several stages, each "
        "stage weighs as much as the asset's deals there.",
    ),
    (
        "Verdict",
        "Helps: the whole range is above zero. Hurts: the whole range is below "
        "zero. No clear effect: the range includes zero, so the data cannot "
        "tell. Too few deals: fewer than {min_evidence} closed deals on either "
        "side (n is shown for both: the asset's deals, then the comparison's). "
        "The list is sorted by the low end of the range, so an asset ranks high "
        "only when the data make a large effect certain. With many assets "
        "compared, some would clear zero by luck alone: “helps” and “hurts” also "
        "have to stand out among all the assets compared (the Benjamini–Hochberg "
        "rule), so that about 1 in 20 of them at most is a fluke. An asset whose "
        "range clears zero without standing out says “no clear effect”. The asset "
        "report's per-stage figures judge each stage on its own. A pointer to "
        "look closer, not proof of cause: reps may pick an asset for deals they "
        "already expect to win.",
    ),
    (
        "Stage a deal reached",
        "Wingman does not record a dated history of each deal's stages yet, so "
        "a deal counts as having reached a stage when it recorded a use at that "
        "stage or a later one, or was closed at that stage or a later one.",
    ),
    (
        "Competitor",
        "With a competitor chosen, only deals against that competitor count, on "
        "both sides of the comparison: which assets help when they are in the "
        "deal.",
    ),
    (
        "Influenced revenue",
        "Sum of the amounts of the deals won in the period that used the asset, "
        "each deal counted once however often the asset was used in it.",
    ),
    (
        "Unused",
        "Published, and no view, download or recorded use in the last "
        f"{UNUSED_DAYS} days.",
    ),
    (
        "Stale and expiring",
        "Published and past its review-by date; expiring: due within the next "
        f"{EXPIRING_DAYS} days.",
    ),
    (
        "Low-rated",
        f"Published, average under {LOW_RATING_BELOW} stars with at least "
        f"{LOW_RATING_MIN_COUNT} ratings.",
    ),
    (
        "Adoption",
        "Share of active sales reps (role rep, account active) who recorded at "
        "least one use in a deal in the period. Channel partners are counted "
        "separately.",
    ),
]


def min_closed_deals() -> int:
    return settings.WINGMAN_MIN_CLOSED_DEALS


def definitions() -> list[tuple[str, str]]:
    values = {
        "min_deals": min_closed_deals(),
        "min_evidence": settings.WINGMAN_EVIDENCE_MIN_DEALS,
        "level": round(settings.WINGMAN_EVIDENCE_LEVEL * 100),
    }
    return [(term, text.format(**values)) for term, text in DEFINITIONS]


# --- Periods and filters ------------------------------------------------------


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class Period:
    """Whole local days from `start` to `end`, both included."""

    start: datetime.date
    end: datetime.date
    preset: int | None = None

    @classmethod
    def last(cls, days: int, *, today: datetime.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(today - datetime.timedelta(days=days - 1), today, preset=days)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def start_at(self) -> datetime.datetime:
        return _start_of(self.start)

    @property
    def end_at(self) -> datetime.datetime:
        """The first instant after the period (exclusive bound)."""
        return _start_of(self.end + datetime.timedelta(days=1))

    @property
    def label(self) -> str:
        if self.preset:
            return f"the last {self.preset} days"
        return f"{self.start.day} {self.start:%b %Y} to {self.end.day} {self.end:%b %Y}"

    def q(self, prefix: str = "created_at") -> Q:
        return Q(**{f"{prefix}__gte": self.start_at, f"{prefix}__lt": self.end_at})


@dataclass(frozen=True)
class AssetFilters:
    stage: Stage | None = None
    kind: str = ""
    owner: User | None = None
    tag: Any = None  # a taggit Tag
    status: str = AssetStatus.PUBLISHED  # published, retired, or "" for both
    # Narrows the deals the evidence counts, not the assets.
    competitor: str = ""

    def apply(self, qs: QuerySet[Asset]) -> QuerySet[Asset]:
        if self.status:
            qs = qs.filter(status=self.status)
        else:
            qs = qs.exclude(status=AssetStatus.DRAFT)
        if self.stage is not None:
            through = Asset.stages.through.objects.filter(stage=self.stage)
            qs = qs.filter(pk__in=through.values("asset_id"))
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.owner is not None:
            qs = qs.filter(owner=self.owner)
        if self.tag is not None:
            qs = qs.filter(tags=self.tag)
        return qs


def analytics_assets(*, user, filters: AssetFilters | None = None) -> QuerySet[Asset]:
    """The assets `user` may analyse, narrowed by the dashboard's filters."""
    if not roles.can_view_analytics(user):
        return Asset.objects.none()
    qs = Asset.objects.visible_to(user)
    return (filters or AssetFilters()).apply(qs)


def _slim(qs: QuerySet[Asset]) -> QuerySet[Asset]:
    """What the tables show of an asset: never the long search text."""
    return qs.select_related("owner").only(
        "pk",  # pragma: no mutate (only() always loads the primary key)
        "title",
        "kind",
        "status",
        "owner__username",
        "owner__first_name",
        "owner__last_name",
        "review_by",
        "published_at",
        "rating_count",
        "rating_total",
        "usage_count",
        "deal_count",
        "view_count",
        "download_count",
        "current_version_id",
    )


# --- Small value objects ------------------------------------------------------


@dataclass(frozen=True)
class WinRate:
    closed: int
    won: int
    # For the period's overall rate: what identifies the state of its closed deals.
    version: str = field(default="", compare=False)

    @property
    def rate(self) -> float | None:
        return self.won / self.closed if self.closed else None

    @property
    def enough(self) -> bool:
        return self.closed >= min_closed_deals()


def lift(asset_rate: WinRate, overall: WinRate) -> float | None:
    """Percentage points over the overall win rate; None on too little data."""
    if not (asset_rate.enough and overall.enough):
        return None
    return (asset_rate.rate - overall.rate) * 100


@dataclass
class Totals:
    published: int = 0
    unused: int = 0
    stale: int = 0
    expiring: int = 0
    low_rated: int = 0


@dataclass
class Adoption:
    reps: int = 0
    reps_using: int = 0
    partners: int = 0
    partners_using: int = 0

    @property
    def rate(self) -> float | None:
        return self.reps_using / self.reps if self.reps else None

    @property
    def partner_rate(self) -> float | None:
        return self.partners_using / self.partners if self.partners else None


@dataclass
class AssetFigures:
    """Everything the dashboard shows about one asset for one period."""

    asset: Asset
    views: int = 0
    downloads: int = 0
    prospect_views: int = 0
    unique_viewers: int = 0
    usages: int = 0
    deals: int = 0
    deal_rate: WinRate = field(default_factory=lambda: WinRate(0, 0))
    revenue: Decimal = Decimal("0")
    rating_count: int = 0
    rating: float | None = None
    bayesian: float | None = None
    lift: float | None = None
    effect: Effect | None = None

    @property
    def all_views(self) -> int:
        return self.views + self.prospect_views

"""Lists that lead to action, and the rows of the CSV exports."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    FloatField,
    Max,
    Prefetch,
    QuerySet,
)
from django.db.models.functions import Cast
from django.utils import timezone

from accounts import roles
from content.models import (
    Asset,
    AssetKind,
    AssetLastActivity,
    AssetStatus,
    ContentRequest,
    Rating,
    RequestStatus,
    SearchLog,
    Stage,
    Usage,
)
from content.selectors.analytics.base import (
    AssetFilters,
    Period,
    _slim,
    analytics_assets,
)
from content.selectors.analytics.figures import (
    _expiring_q,
    _low_rated_q,
    _stale_q,
    _unused,
)

# --- Lists that lead to action ------------------------------------------------


def unused_assets(
    *, user, filters: AssetFilters | None = None, today: datetime.date | None = None
) -> QuerySet[Asset]:
    """Published assets nobody opened, downloaded or used in 90 days, oldest
    publication first. `with_last_active` adds when each was last active."""
    today = today or timezone.localdate()
    filters = filters or AssetFilters()
    assets = analytics_assets(user=user, filters=filters)
    return _slim(_unused(assets, today=today)).order_by(
        F("published_at").asc(nulls_first=True), "title", "pk"
    )


def with_last_active(assets: Sequence[Asset]) -> list[Asset]:
    """Set `last_active` (a date, or None: never) on a page of assets; 1 query.
    Kept out of the list's query, so counting the list needs no join."""
    days = dict(
        AssetLastActivity.objects.filter(
            asset_id__in=[asset.pk for asset in assets]
        ).values_list("asset_id", "day")
    )
    for asset in assets:
        asset.last_active = days.get(asset.pk)
    return list(assets)


def stale_assets(
    *, user, filters: AssetFilters | None = None, today: datetime.date | None = None
) -> QuerySet[Asset]:
    today = today or timezone.localdate()
    assets = analytics_assets(user=user, filters=filters)
    return (
        _slim(assets.filter(status=AssetStatus.PUBLISHED))
        .filter(_stale_q(today))
        .order_by("review_by", "title", "pk")
    )


def expiring_assets(
    *, user, filters: AssetFilters | None = None, today: datetime.date | None = None
) -> QuerySet[Asset]:
    today = today or timezone.localdate()
    assets = analytics_assets(user=user, filters=filters)
    return (
        _slim(assets.filter(status=AssetStatus.PUBLISHED))
        .filter(_expiring_q(today))
        .order_by("review_by", "title", "pk")
    )


LOW_RATED_COMMENTS = 5


def low_rated_assets(*, user, filters: AssetFilters | None = None) -> QuerySet[Asset]:
    """Published assets averaging under 3 stars with 3+ ratings, worst first, each
    with its latest comments in `comments`."""
    assets = analytics_assets(user=user, filters=filters)
    average = Cast("rating_total", FloatField()) / Cast("rating_count", FloatField())
    comments = (
        Rating.objects.exclude(comment="")
        .select_related("user")
        .order_by("-updated_at", "-pk")
    )
    return (
        _slim(assets.filter(status=AssetStatus.PUBLISHED))
        .filter(_low_rated_q())
        .annotate(average=average)
        .order_by("average", "-rating_count", "pk")
        .prefetch_related(
            Prefetch(
                "ratings", queryset=comments[:LOW_RATED_COMMENTS], to_attr="comments"
            )
        )
    )


@dataclass
class CoverageRow:
    stage: Stage
    cells: list[tuple[str, str, int]]  # kind, label, published assets
    # "hurts" or "no clear effect" when none of its assets shows it helps.
    evidence: str = ""

    @property
    def gaps(self) -> int:
        return sum(1 for _, _, n in self.cells if n == 0)


def coverage(*, user) -> list[CoverageRow]:
    """Published assets per active stage and kind; a zero is a gap. 2 queries."""
    if not roles.can_view_analytics(user):
        return []
    # Analytics roles manage content and so see every asset: no visibility filter.
    # From the assets' (status, kind) index to the stage links' own index: no
    # asset row is read.
    through = Asset.stages.through.objects.filter(asset__status=AssetStatus.PUBLISHED)
    counts = {
        (stage_id, kind): n
        for stage_id, kind, n in through.order_by()
        .values("stage_id", "asset__kind")
        .annotate(n=Count("asset_id"))
        .values_list("stage_id", "asset__kind", "n")
    }
    return [
        CoverageRow(
            stage=stage,
            cells=[
                (kind, label, counts.get((stage.pk, kind), 0))
                for kind, label in AssetKind.choices
            ],
        )
        for stage in Stage.objects.filter(is_active=True).order_by("order", "name")
    ]


def open_requests() -> QuerySet[ContentRequest]:
    return (
        ContentRequest.objects.filter(status=RequestStatus.OPEN)
        .select_related("stage", "requester")
        .order_by("-vote_count", "created_at", "pk")
    )


def search_gaps(*, period: Period) -> QuerySet:
    """The most frequent searches that found nothing, per stage filter, as dicts:
    normalized_query, stage_id, query (one spelling), searches, people, last."""
    return (
        SearchLog.objects.filter(period.q(), results_count=0)
        .exclude(normalized_query="")
        .order_by()
        .values("normalized_query", "stage_id")
        .annotate(
            query=Max("query"),
            searches=Count("pk"),
            people=Count("user", distinct=True),
            last=Max("created_at"),
        )
        .order_by("-searches", "-last", "normalized_query")
    )


def stages_by_id() -> dict[int, Stage]:
    return {stage.pk: stage for stage in Stage.objects.all()}


# --- Exports ------------------------------------------------------------------


def ratings_for_export(*, user, period: Period | None = None) -> QuerySet:
    """Every rating with its comment as tuples, streamed in chunks."""
    qs = (
        Rating.objects.all()
        if roles.can_view_analytics(user)
        else Rating.objects.none()
    )
    if period is not None:
        qs = qs.filter(period.q("updated_at"))
    return qs.order_by("pk").values_list(
        "pk",
        "asset_id",
        "asset__title",
        "asset__kind",
        "user__username",
        "user__role",
        "stars",
        "comment",
        "created_at",
        "updated_at",
    )


def usages_for_export(*, user, period: Period | None = None) -> QuerySet:
    """Every recorded use with its deal as tuples, streamed in chunks."""
    qs = Usage.objects.all() if roles.can_view_analytics(user) else Usage.objects.none()
    if period is not None:
        qs = qs.filter(period.q())
    return qs.order_by("pk").values_list(
        "pk",
        "created_at",
        "user__username",
        "asset_id",
        "asset__title",
        "asset__kind",
        "version__number",
        "stage__name",
        "deal_id",
        "deal__name",
        "deal__account",
        "deal__crm_id",
        "deal__stage__name",
        "deal__outcome",
        "deal__amount",
        "deal__closed_at",
        "note",
    )

"""Library-wide figures and each asset's figures for a period, in a constant
number of queries (the sorting is in `ranking`, the page in `board`)."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from accounts.models import Role, User
from content.caching.keys import ANALYTICS
from content.models import (
    Asset,
    AssetLastActivity,
    AssetStatus,
    DailyAssetStat,
    Deal,
    DealOutcome,
    Usage,
)
from content.selectors.analytics.base import (
    EXPIRING_DAYS,
    LOW_RATING_BELOW,
    LOW_RATING_MIN_COUNT,
    UNUSED_DAYS,
    Adoption,
    AssetFigures,
    Period,
    Totals,
    WinRate,
    bayesian_average,
    lift,
)

# --- Library-wide figures -----------------------------------------------------


def library_totals(
    *, assets: QuerySet[Asset], today: datetime.date | None = None
) -> Totals:
    """Counts of the action lists among `assets` (published ones); 5 queries.

    One count per figure rather than one aggregate with filters: each count is
    a range of its own index ((status, review_by), (status, rating_count, ...)),
    where a combined aggregate has to read every asset row.
    """
    today = today or timezone.localdate()
    published = assets.filter(status=AssetStatus.PUBLISHED).order_by()
    return Totals(
        published=published.count(),
        unused=_unused(published, today=today).count(),
        stale=published.filter(_stale_q(today)).count(),
        expiring=published.filter(_expiring_q(today)).count(),
        low_rated=published.filter(_low_rated_q()).count(),
    )


def _stale_q(today: datetime.date) -> Q:
    return Q(review_by__lt=today)


def _expiring_q(today: datetime.date) -> Q:
    return Q(
        review_by__gte=today,
        review_by__lte=today + datetime.timedelta(days=EXPIRING_DAYS),
    )


def _low_rated_q() -> Q:
    return Q(
        rating_count__gte=LOW_RATING_MIN_COUNT,
        rating_total__lt=LOW_RATING_BELOW * F("rating_count"),
    )


def _active_asset_ids(today: datetime.date) -> QuerySet:
    since = today - datetime.timedelta(days=UNUSED_DAYS - 1)
    return AssetLastActivity.objects.filter(day__gte=since).values("asset_id")


def _unused(assets: QuerySet[Asset], *, today: datetime.date) -> QuerySet[Asset]:
    return assets.filter(status=AssetStatus.PUBLISHED).exclude(
        pk__in=_active_asset_ids(today)
    )


def adoption(*, period: Period) -> Adoption:
    """Active reps (and partners) who recorded a use in the period; 1 query."""
    used = Exists(Usage.objects.filter(Q(user=OuterRef("pk")) & period.q()))
    figures = (
        User.objects.filter(is_active=True, role__in=[Role.REP, Role.PARTNER])
        .order_by()
        .annotate(used=used)
        .aggregate(
            reps=Count("pk", filter=Q(role=Role.REP)),
            reps_using=Count("pk", filter=Q(role=Role.REP, used=True)),
            partners=Count("pk", filter=Q(role=Role.PARTNER)),
            partners_using=Count("pk", filter=Q(role=Role.PARTNER, used=True)),
        )
    )
    return Adoption(**figures)


def overall_win_rate(*, period: Period) -> WinRate:
    """Won ÷ closed among all deals closed in the period; 1 query."""
    figures = (
        Deal.objects.filter(
            period.q("closed_at"), outcome__in=[DealOutcome.WON, DealOutcome.LOST]
        )
        .order_by()
        .aggregate(
            # Columns of the (outcome, closed_at) index, not the id: PostgreSQL
            # then reads the index alone instead of 4,000 pages of deals.
            closed=Count("closed_at"),
            won=Count("outcome", filter=Q(outcome=DealOutcome.WON)),
            last=Max("closed_at"),
        )
    )
    last = figures["last"].isoformat() if figures["last"] else ""
    return WinRate(
        closed=figures["closed"],
        won=figures["won"],
        version=f"{figures['closed']}:{figures['won']}:{last}",
    )


# Deal figures (the ranking by a deal figure, and the page's win rates and
# revenue) are the dashboard's expensive part at scale. They only change when a
# deal of the period closes, reopens or changes outcome (usage is recorded on
# open deals only), and all of that moves the count, wins or latest close of the
# period's closed deals: that is their version. Cached per version for a few
# minutes, so an amount corrected on a closed deal shows within that time.
DEAL_FIGURES_CACHE_SECONDS = ANALYTICS.seconds
_DEAL_SORTS = frozenset({"revenue", "win_rate", "lift"})


def _cached(name: str, parts: tuple, compute: Callable[[], Any]) -> Any:
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    key = f"wingman:analytics:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, DEAL_FIGURES_CACHE_SECONDS)
    return value


def _key_of(assets: QuerySet[Asset]) -> str:
    """The filtered set of assets, as part of a cache key: its SQL."""
    return str(assets.order_by().values("pk").query)


# --- Per-asset figures --------------------------------------------------------


def _closed_in(period: Period, *, won_only: bool = False) -> Q:
    outcomes = [DealOutcome.WON] if won_only else [DealOutcome.WON, DealOutcome.LOST]
    return Q(
        deal__outcome__in=outcomes,
        deal__closed_at__gte=period.start_at,
        deal__closed_at__lt=period.end_at,
    )


def _to_decimal(value: Any) -> Decimal:
    if value is None:
        return Decimal("0.00")
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"))
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _deal_sums_sql(
    period: Period,
    *,
    asset_ids: Sequence[int] | None = None,
    among: QuerySet[Asset] | None = None,
    won_only: bool = False,
    having: str = "",
    order: str = "",
) -> tuple[str, tuple]:
    """Per asset: asset_id, closed, won, revenue over the distinct (asset, deal)
    pairs of deals closed in the period, so a deal that used an asset twice
    counts once.

    The ORM cannot group over a DISTINCT subquery, so the outer SELECT is SQL
    around the ORM's own compiled, parameterised inner query. A short list of
    assets (a page) narrows the inner query, which then starts from those assets'
    usages; a filtered set of assets (a ranking) narrows the outer one, so the
    inner query starts from the few deals closed in the period.
    """
    pairs = Usage.objects.filter(_closed_in(period, won_only=won_only))
    if asset_ids is not None:
        pairs = pairs.filter(asset_id__in=asset_ids)
    inner = (
        pairs.order_by()
        .annotate(o=F("deal__outcome"), amt=F("deal__amount"))
        .values_list("asset_id", "deal_id", "o", "amt")
        .distinct()
    )
    inner_sql, params = inner.query.sql_with_params()
    where, where_params = "", ()
    if among is not None:
        among_sql, where_params = among.order_by().values("pk").query.sql_with_params()
        where = f"WHERE t.asset_id IN ({among_sql})"
    # Only our own constants are formatted in; every value is a parameter.
    sql = (
        "SELECT t.asset_id, COUNT(*) AS closed, "  # noqa: S608
        "SUM(CASE WHEN t.o = %s THEN 1 ELSE 0 END) AS won, "
        "SUM(CASE WHEN t.o = %s THEN t.amt ELSE 0 END) AS revenue "
        f"FROM ({inner_sql}) t {where} GROUP BY t.asset_id {having} {order}"
    )
    return sql, (DealOutcome.WON, DealOutcome.WON, *params, *where_params)


def period_stats(
    *,
    period: Period,
    asset_ids: Sequence[int] | None = None,
    among: QuerySet[Asset] | None = None,
) -> dict[int, dict[str, int]]:
    """Views, downloads, unique viewers and uses per asset from the rollup, for
    a list of assets or every asset of a filtered set; 1 query."""
    targets = asset_ids if asset_ids is not None else among.order_by().values("pk")
    rows = (
        DailyAssetStat.objects.filter(
            asset_id__in=targets, day__gte=period.start, day__lte=period.end
        )
        .order_by()
        .values("asset_id")
        .annotate(
            n_views=Sum("views"),
            n_downloads=Sum("downloads"),
            n_prospect_views=Sum("prospect_views"),
            n_unique=Sum("unique_viewers"),
            n_usages=Sum("usages"),
        )
    )
    return {row.pop("asset_id"): row for row in rows}


def deal_stats(
    *, asset_ids: Sequence[int], period: Period, version: str = ""
) -> dict[int, tuple[int, int, Decimal]]:
    """(closed, won, influenced revenue) per asset, each deal once; 1 query, or
    none when cached for this `version` of the period's closed deals."""
    if not asset_ids:
        return {}

    def compute() -> dict[int, tuple[int, int, Decimal]]:
        sql, params = _deal_sums_sql(period, asset_ids=asset_ids)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {
                asset_id: (closed, won or 0, _to_decimal(revenue))
                for asset_id, closed, won, revenue in cursor.fetchall()
            }

    if not version:
        return compute()
    # The names below only tell this cache's keys from the others': any other
    # distinct names would do, so their mutants are equivalent.
    parts = (
        "deals",  # pragma: no mutate
        period.start,
        period.end,
        tuple(sorted(asset_ids)),
        version,
    )
    return _cached("deal-stats", parts, compute)  # pragma: no mutate


def deals_used_in(
    *,
    period: Period,
    asset_ids: Sequence[int] | None = None,
    among: QuerySet[Asset] | None = None,
) -> dict[int, int]:
    """Distinct deals each asset was recorded in during the period; 1 query."""
    targets = asset_ids if asset_ids is not None else among.order_by().values("pk")
    rows = (
        Usage.objects.filter(period.q(), asset_id__in=targets)
        .order_by()
        .values("asset_id")
        .annotate(deals=Count("deal", distinct=True))
        .values_list("asset_id", "deals")
    )
    return dict(rows)


def asset_figures(
    *,
    assets: Sequence[Asset],
    period: Period,
    overall: WinRate,
    prior_mean: float,
    version: str = "",
    deals: dict[int, tuple[int, int, Decimal]] | None = None,
) -> list[AssetFigures]:
    """The dashboard's figures for a page of assets: 3 queries whatever its size
    (2 when the deal figures of this `version` are cached, or given as `deals`,
    worked out ahead for the same closed deals)."""
    ids = [asset.pk for asset in assets]
    if not ids:
        return []
    if deals is None:
        deals = deal_stats(asset_ids=ids, period=period, version=version)
    return _figures(
        assets,
        stats=period_stats(asset_ids=ids, period=period),
        deals=deals,
        used=deals_used_in(asset_ids=ids, period=period),
        overall=overall,
        prior_mean=prior_mean,
    )


def _figures(
    assets: Sequence[Asset],
    *,
    stats: dict[int, dict[str, int]],
    deals: dict[int, tuple[int, int, Decimal]],
    used: dict[int, int],
    overall: WinRate,
    prior_mean: float,
) -> list[AssetFigures]:
    result = []
    for asset in assets:
        s = stats.get(asset.pk, {})
        closed, won, revenue = deals.get(asset.pk, (0, 0, Decimal("0.00")))
        rate = WinRate(closed=closed, won=won)
        result.append(
            AssetFigures(
                asset=asset,
                views=s.get("n_views") or 0,
                downloads=s.get("n_downloads") or 0,
                prospect_views=s.get("n_prospect_views") or 0,
                unique_viewers=s.get("n_unique") or 0,
                usages=s.get("n_usages") or 0,
                deals=used.get(asset.pk, 0),
                deal_rate=rate,
                revenue=revenue,
                rating_count=asset.rating_count,
                rating=asset.average_rating,
                bayesian=bayesian_average(
                    total=asset.rating_total,
                    count=asset.rating_count,
                    prior_mean=prior_mean,
                ),
                lift=lift(rate, overall),
            )
        )
    return result

"""The review dashboard: library totals, adoption, win rates and per-asset rows,
sorted and paginated with a constant number of queries."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.models import Role, User
from content.caching.keys import ANALYTICS, content_version
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
    DEFAULT_SORT,
    EXPIRING_DAYS,
    LOW_RATING_BELOW,
    LOW_RATING_MIN_COUNT,
    PAGE_SIZE,
    SORTS,
    UNUSED_DAYS,
    Adoption,
    AssetFigures,
    AssetFilters,
    Period,
    Totals,
    WinRate,
    _slim,
    analytics_assets,
    bayesian_average,
    lift,
    min_closed_deals,
)
from content.selectors.search import (
    bayesian_rating,
    library_mean_rating,
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
            closed=Count("pk"),
            won=Count("pk", filter=Q(outcome=DealOutcome.WON)),
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
) -> list[AssetFigures]:
    """The dashboard's figures for a page of assets: 3 queries whatever its size
    (2 when the deal figures of this `version` are cached)."""
    ids = [asset.pk for asset in assets]
    if not ids:
        return []
    return _figures(
        assets,
        stats=period_stats(asset_ids=ids, period=period),
        deals=deal_stats(asset_ids=ids, period=period, version=version),
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


# --- Sorting the dashboard ----------------------------------------------------

_STAT_SORTS = {
    "views": F("views") + F("prospect_views"),
    "downloads": F("downloads"),
    "viewers": F("unique_viewers"),
    "uses": F("usages"),
}


def _ranking_sql(
    sort: str, *, assets: QuerySet[Asset], period: Period
) -> tuple[str, tuple]:
    """SQL selecting `asset_id` of the assets that have the sort's figure in the
    period, best first (ties by id)."""
    among = assets.order_by().values("pk")
    if sort in _STAT_SORTS:
        qs = (
            DailyAssetStat.objects.filter(
                day__gte=period.start, day__lte=period.end, asset_id__in=among
            )
            .order_by()
            .values("asset_id")
            .annotate(figure=Sum(_STAT_SORTS[sort]))
            .filter(figure__gt=0)
            .order_by("-figure", "asset_id")
            .values_list("asset_id", "figure")  # pragma: no mutate (only ids are read)
        )
        return qs.query.sql_with_params()
    if sort == "deals":
        qs = (
            Usage.objects.filter(period.q(), asset_id__in=among)
            .order_by()
            .values("asset_id")
            .annotate(figure=Count("deal", distinct=True))
            .order_by("-figure", "asset_id")
            .values_list("asset_id", "figure")  # pragma: no mutate (only ids are read)
        )
        return qs.query.sql_with_params()
    if sort == "revenue":
        return _deal_sums_sql(
            period,
            among=assets,
            won_only=True,
            order="ORDER BY revenue DESC, t.asset_id",
        )
    if sort in ("win_rate", "lift"):
        # Lift is the win rate minus one number for everyone: the same order.
        sql, params = _deal_sums_sql(
            period,
            among=assets,
            having="HAVING COUNT(*) >= %s",
            order="ORDER BY SUM(CASE WHEN t.o = %s THEN 1.0 ELSE 0.0 END) / COUNT(*) "
            "DESC, COUNT(*) DESC, t.asset_id",
        )
        return sql, (*params, min_closed_deals(), DealOutcome.WON)
    raise ValueError(sort)


class RankedAssets:
    """A sequence for the paginator: ranked assets first, then the rest by title.

    `total` is the filtered count, so counting never runs the ranking again; the
    rest is only read on the pages past the ranked ones.
    """

    def __init__(
        self,
        *,
        ranked_ids: list[int],
        ranking_sql: tuple[str, tuple],
        assets: QuerySet[Asset],
        total: int,
    ) -> None:
        self.ranked_ids = ranked_ids
        self.ranking_sql = ranking_sql
        self.assets = assets
        self.total = total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[Asset]:
        """The assets of positions start..stop, in one query whatever the page:
        the ranked ones by their position, then (past the ranked ones) the rest
        of the filtered assets by title."""
        if not isinstance(index, slice):
            raise TypeError("RankedAssets only supports slices")
        start, stop = index.start or 0, index.stop or self.total
        ranked = len(self.ranked_ids)
        page_ids = self.ranked_ids[start:stop]
        wanted = Q(pk__in=page_ids)
        # At stop == ranked the rest's slice is empty: `>=` would be the same.
        if stop > ranked:  # pragma: no mutate
            sql, params = self.ranking_sql
            rest = (
                self.assets.exclude(
                    # The ranking query again, as a subquery: values stay params.
                    pk__in=RawSQL(f"SELECT r.asset_id FROM ({sql}) r", params)  # noqa: S608,S611
                )
                .order_by("title", "pk")
                .values("pk")
            )
            wanted |= Q(pk__in=rest[max(start - ranked, 0) : stop - ranked])
        # From the filtered set again, not every asset: the ranked ids may come
        # from a cache, and a cache never decides which rows a page shows.
        qs = _slim(self.assets.filter(wanted))
        if not page_ids:
            return list(qs.order_by("title", "pk"))
        position = Case(
            *[When(pk=pk, then=Value(i)) for i, pk in enumerate(page_ids)],
            default=Value(len(page_ids)),
            # Integers anyway: Django infers the same field without it.
            output_field=IntegerField(),  # pragma: no mutate
        )
        return list(qs.order_by(position, "title", "pk"))


def sorted_assets(
    *, assets: QuerySet[Asset], sort: str, period: Period, version: str = ""
) -> QuerySet[Asset] | RankedAssets:
    """The dashboard's assets in `sort` order, ready for a paginator. With the
    `version` of the period's closed deals, a ranking by a deal figure is cached."""
    if sort == "title":
        return _slim(assets).order_by("title", "pk")
    if sort == "rating":
        rated = ExpressionWrapper(Q(rating_count__gt=0), output_field=BooleanField())
        return _slim(assets).order_by(
            rated.desc(), bayesian_rating().desc(), "title", "pk"
        )
    if sort == "ratings":
        return _slim(assets).order_by("-rating_count", "title", "pk")
    ranking_sql = _ranking_sql(sort, assets=assets, period=period)
    total = assets.order_by().count()

    def rank() -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(*ranking_sql)
            return [row[0] for row in cursor.fetchall()]

    if version and sort in _DEAL_SORTS:
        # The filtered set is part of the key (its SQL and its size), so a
        # retired or newly published asset never leaves a stale ranking.
        among = _key_of(assets)
        parts = (sort, period.start, period.end, among, total, version)
        ranked_ids = _cached("ranking", parts, rank)  # pragma: no mutate (a name)
    else:
        ranked_ids = rank()
    return RankedAssets(
        ranked_ids=ranked_ids,
        ranking_sql=ranking_sql,
        assets=assets,
        total=total,
    )


@dataclass
class Dashboard:
    period: Period
    sort: str
    totals: Totals
    adoption: Adoption
    overall: WinRate
    page: Page
    rows: list[AssetFigures]


def dashboard(
    *,
    user,
    filters: AssetFilters,
    period: Period,
    sort: str = DEFAULT_SORT,
    page_number: Any = 1,
    per_page: int = PAGE_SIZE,
) -> Dashboard:
    """Everything the review dashboard shows, in 14 queries at any size (6 when
    the period's deal figures and the library totals are cached)."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    assets = analytics_assets(user=user, filters=filters)
    published = analytics_assets(
        user=user, filters=replace(filters, status=AssetStatus.PUBLISHED)
    )
    overall = overall_win_rate(period=period)
    ordered = sorted_assets(
        assets=assets, sort=sort, period=period, version=overall.version
    )
    page = Paginator(ordered, per_page).get_page(page_number)
    rows = asset_figures(
        assets=list(page.object_list),
        period=period,
        overall=overall,
        prior_mean=library_mean_rating(),
        version=overall.version,
    )
    return Dashboard(
        period=period,
        sort=sort,
        totals=_cached(
            "totals",  # pragma: no mutate (a cache name, as in deal_stats)
            # The library's content version: publish, retire and restore show
            # at once; views and uses (the unused count) within minutes.
            (_key_of(published), timezone.localdate(), content_version()),
            lambda: library_totals(assets=published),
        ),
        adoption=adoption(period=period),
        overall=overall,
        page=page,
        rows=rows,
    )


def dashboard_export_rows(
    *,
    user,
    filters: AssetFilters,
    period: Period,
    sort: str = DEFAULT_SORT,
    chunk: int = 1000,  # pragma: no mutate (any size yields the same rows)
) -> Iterator[AssetFigures]:
    """Every dashboard row, in the dashboard's order, streamed.

    The figures of every filtered asset come from one grouped query each (a few
    ints per asset, so memory follows the number of assets, never of events or
    uses); the assets themselves are read a chunk at a time.
    """
    sort = sort if sort in SORTS else DEFAULT_SORT
    assets = analytics_assets(user=user, filters=filters)
    overall = overall_win_rate(period=period)
    prior = library_mean_rating()
    stats = period_stats(period=period, among=assets)
    used = deals_used_in(period=period, among=assets)
    # Narrowing to the filtered assets only saves work: rows are looked up by id.
    sql, params = _deal_sums_sql(period, among=assets)  # pragma: no mutate
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        deals = {
            asset_id: (closed, won or 0, _to_decimal(revenue))
            for asset_id, closed, won, revenue in cursor.fetchall()
        }
    ordered = _ordered_ids(assets=assets, sort=sort, period=period)
    for ids in _batches(ordered, chunk):  # pragma: no mutate (chunks bound memory)
        by_id = {asset.pk: asset for asset in _slim(Asset.objects.filter(pk__in=ids))}
        yield from _figures(
            [by_id[pk] for pk in ids if pk in by_id],
            stats=stats,
            deals=deals,
            used=used,
            overall=overall,
            prior_mean=prior,
        )


def _ordered_ids(
    *, assets: QuerySet[Asset], sort: str, period: Period
) -> Iterator[int]:
    ordered = sorted_assets(assets=assets, sort=sort, period=period)
    if not isinstance(ordered, RankedAssets):
        # Equivalent mutants (here and below): pk is the first field, and the
        # chunk size only changes how rows are fetched.
        ids = ordered.values_list("pk", flat=True)  # pragma: no mutate
        yield from ids.iterator(chunk_size=2000)  # pragma: no mutate
        return
    yield from ordered.ranked_ids
    sql, params = ordered.ranking_sql
    rest = assets.exclude(
        pk__in=RawSQL(f"SELECT r.asset_id FROM ({sql}) r", params)  # noqa: S608,S611
    ).order_by("title", "pk")
    ids = rest.values_list("pk", flat=True)  # pragma: no mutate
    yield from ids.iterator(chunk_size=2000)  # pragma: no mutate


def _batches(ids: Iterator[int], size: int) -> Iterator[list[int]]:
    batch: list[int] = []
    for pk in ids:
        batch.append(pk)
        if len(batch) == size:  # pragma: no mutate (batch sizes only bound memory)
            yield batch
            batch = []
    if batch:
        yield batch

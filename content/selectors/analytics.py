"""Analytics reads: every figure of the review dashboard, the asset report and the
action lists, aggregated in the database with a constant number of queries.

Where each figure comes from, so that pages stay fast on a large library:
- views, downloads, unique viewers and uses over a period: the `DailyAssetStat`
  rollup (one row per asset per day, kept current by the event and usage
  services), never the raw event table;
- ratings: the counters on `Asset` (`rating_count`, `rating_total`);
- deal figures: the usage and deal tables, restricted to the assets on the page,
  or, when sorting by a deal figure, driven by the deals closed in the period.

Sorting by a period figure ranks, in one grouped query, only the assets that have
that figure in the period; the others follow in title order. The definitions are
in `DEFINITIONS` and shown on the dashboard.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone

from accounts import roles
from accounts.models import Role, User
from content.models import (
    Asset,
    AssetEvent,
    AssetKind,
    AssetLastActivity,
    AssetStatus,
    ContentRequest,
    DailyAssetStat,
    Deal,
    DealOutcome,
    EventKind,
    Rating,
    RequestStatus,
    SearchLog,
    Stage,
    Usage,
    Version,
)
from content.selectors.search import (
    BAYES_PRIOR_WEIGHT,
    bayesian_rating,
    library_mean_rating,
)

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
DEFAULT_SORT = "revenue"

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
    return [
        (term, text.format(min_deals=min_closed_deals())) for term, text in DEFINITIONS
    ]


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
        "pk",
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


def bayesian_average(
    *, total: int, count: int, prior_mean: float, weight: int = BAYES_PRIOR_WEIGHT
) -> float | None:
    """The same Bayesian average the playbook sorts by, for one asset."""
    if not count:
        return None
    return (weight * prior_mean + total) / (weight + count)


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

    @property
    def all_views(self) -> int:
        return self.views + self.prospect_views


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
            closed=Count("pk"), won=Count("pk", filter=Q(outcome=DealOutcome.WON))
        )
    )
    return WinRate(**figures)


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
    *, asset_ids: Sequence[int], period: Period
) -> dict[int, dict[str, int]]:
    """Views, downloads, unique viewers and uses per asset from the rollup; 1 query."""
    rows = (
        DailyAssetStat.objects.filter(
            asset_id__in=asset_ids, day__gte=period.start, day__lte=period.end
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
    *, asset_ids: Sequence[int], period: Period
) -> dict[int, tuple[int, int, Decimal]]:
    """(closed, won, influenced revenue) per asset, each deal once; 1 query."""
    if not asset_ids:
        return {}
    sql, params = _deal_sums_sql(period, asset_ids=asset_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            asset_id: (closed, won or 0, _to_decimal(revenue))
            for asset_id, closed, won, revenue in cursor.fetchall()
        }


def deals_used_in(*, asset_ids: Sequence[int], period: Period) -> dict[int, int]:
    """Distinct deals each asset was recorded in during the period; 1 query."""
    rows = (
        Usage.objects.filter(period.q(), asset_id__in=asset_ids)
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
) -> list[AssetFigures]:
    """The dashboard's figures for a page of assets: 3 queries whatever its size."""
    ids = [asset.pk for asset in assets]
    if not ids:
        return []
    stats = period_stats(asset_ids=ids, period=period)
    deals = deal_stats(asset_ids=ids, period=period)
    used = deals_used_in(asset_ids=ids, period=period)
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
            .values_list("asset_id", "figure")
        )
        return qs.query.sql_with_params()
    if sort == "deals":
        qs = (
            Usage.objects.filter(period.q(), asset_id__in=among)
            .order_by()
            .values("asset_id")
            .annotate(figure=Count("deal", distinct=True))
            .order_by("-figure", "asset_id")
            .values_list("asset_id", "figure")
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
    rest is only queried on the pages past the ranked ones.
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

    def ids(self, start: int, stop: int) -> list[int]:
        ids = self.ranked_ids[start:stop]
        ranked = len(self.ranked_ids)
        if stop > ranked:
            sql, params = self.ranking_sql
            rest = (
                self.assets.exclude(
                    # The ranking query again, as a subquery: values stay params.
                    pk__in=RawSQL(f"SELECT r.asset_id FROM ({sql}) r", params)  # noqa: S608,S611
                )
                .order_by("title", "pk")
                .values_list("pk", flat=True)
            )
            ids += list(rest[max(start - ranked, 0) : stop - ranked])
        return ids

    def __getitem__(self, index: slice) -> list[Asset]:
        if not isinstance(index, slice):
            raise TypeError("RankedAssets only supports slices")
        start, stop = index.start or 0, index.stop or self.total
        ids = self.ids(start, stop)
        by_id = {asset.pk: asset for asset in _slim(Asset.objects.filter(pk__in=ids))}
        return [by_id[pk] for pk in ids if pk in by_id]


def sorted_assets(
    *, assets: QuerySet[Asset], sort: str, period: Period
) -> QuerySet[Asset] | RankedAssets:
    """The dashboard's assets in `sort` order, ready for a paginator."""
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
    with connection.cursor() as cursor:
        cursor.execute(*ranking_sql)
        ranked_ids = [row[0] for row in cursor.fetchall()]
    return RankedAssets(
        ranked_ids=ranked_ids,
        ranking_sql=ranking_sql,
        assets=assets,
        total=assets.order_by().count(),
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
    """Everything the review dashboard shows; about ten queries at any size."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    assets = analytics_assets(user=user, filters=filters)
    published = analytics_assets(
        user=user, filters=replace(filters, status=AssetStatus.PUBLISHED)
    )
    overall = overall_win_rate(period=period)
    paginator = Paginator(
        sorted_assets(assets=assets, sort=sort, period=period), per_page
    )
    page = paginator.get_page(page_number)
    rows = asset_figures(
        assets=list(page.object_list),
        period=period,
        overall=overall,
        prior_mean=library_mean_rating(),
    )
    return Dashboard(
        period=period,
        sort=sort,
        totals=library_totals(assets=published),
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
    chunk: int = 500,
) -> Iterator[AssetFigures]:
    """Every dashboard row, a chunk of assets at a time (4 queries per chunk)."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    assets = analytics_assets(user=user, filters=filters)
    ordered = sorted_assets(assets=assets, sort=sort, period=period)
    overall = overall_win_rate(period=period)
    prior = library_mean_rating()
    if isinstance(ordered, RankedAssets):
        total = len(ordered)
        for start in range(0, total, chunk):
            yield from asset_figures(
                assets=ordered[start : start + chunk],
                period=period,
                overall=overall,
                prior_mean=prior,
            )
        return
    batch: list[Asset] = []
    for asset in ordered.iterator(chunk_size=chunk):
        batch.append(asset)
        if len(batch) == chunk:
            yield from asset_figures(
                assets=batch, period=period, overall=overall, prior_mean=prior
            )
            batch = []
    if batch:
        yield from asset_figures(
            assets=batch, period=period, overall=overall, prior_mean=prior
        )


# --- The asset report ---------------------------------------------------------


@dataclass
class WeekFigures:
    start: datetime.date
    views: int = 0
    downloads: int = 0
    usages: int = 0


@dataclass
class VersionFigures:
    version: Version
    views: int = 0
    downloads: int = 0
    usages: int = 0
    deals: int = 0


@dataclass
class AssetReport:
    asset: Asset
    period: Period
    figures: AssetFigures
    overall: WinRate
    weeks: list[WeekFigures]
    stars: list[int]  # how many ratings gave 1, 2, 3, 4, 5 stars
    versions: list[VersionFigures]


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def asset_weeks(*, asset: Asset, period: Period) -> list[WeekFigures]:
    """Views (incl. prospects), downloads and uses per week; 1 query."""
    weeks: dict[datetime.date, WeekFigures] = {}
    monday = _monday(period.start)
    while monday <= period.end:
        weeks[monday] = WeekFigures(start=monday)
        monday += datetime.timedelta(days=7)
    rows = DailyAssetStat.objects.filter(
        asset=asset, day__gte=period.start, day__lte=period.end
    ).values_list("day", "views", "prospect_views", "downloads", "usages")
    for day, views, prospect_views, downloads, usages in rows:
        week = weeks[_monday(day)]
        week.views += views + prospect_views
        week.downloads += downloads
        week.usages += usages
    return list(weeks.values())


def asset_star_counts(*, asset: Asset) -> list[int]:
    counts = dict(
        Rating.objects.filter(asset=asset)
        .order_by()
        .values("stars")
        .annotate(n=Count("pk"))
        .values_list("stars", "n")
    )
    return [counts.get(stars, 0) for stars in range(1, 6)]


def asset_version_figures(*, asset: Asset) -> list[VersionFigures]:
    """All-time views, downloads, uses and deals per version; 3 queries."""
    versions = list(
        Version.objects.filter(asset=asset)
        .select_related("uploaded_by")
        .defer("extracted_text")
        .order_by("-number")
    )
    events = (
        AssetEvent.objects.filter(asset=asset)
        .order_by()
        .values("version_id")
        .annotate(
            views=Count(
                "pk", filter=Q(kind__in=[EventKind.VIEW, EventKind.PROSPECT_VIEW])
            ),
            downloads=Count(
                "pk",
                filter=Q(kind__in=[EventKind.DOWNLOAD, EventKind.PROSPECT_DOWNLOAD]),
            ),
        )
    )
    by_version = {row["version_id"]: row for row in events}
    usage = {
        row["version_id"]: row
        for row in Usage.objects.filter(asset=asset)
        .order_by()
        .values("version_id")
        .annotate(n=Count("pk"), deals=Count("deal", distinct=True))
    }
    result = []
    for version in versions:
        e = by_version.get(version.pk, {})
        u = usage.get(version.pk, {})
        result.append(
            VersionFigures(
                version=version,
                views=e.get("views", 0),
                downloads=e.get("downloads", 0),
                usages=u.get("n", 0),
                deals=u.get("deals", 0),
            )
        )
    return result


def asset_report(*, user, asset: Asset, period: Period) -> AssetReport:
    overall = overall_win_rate(period=period)
    [figures] = asset_figures(
        assets=[asset], period=period, overall=overall, prior_mean=library_mean_rating()
    )
    return AssetReport(
        asset=asset,
        period=period,
        figures=figures,
        overall=overall,
        weeks=asset_weeks(asset=asset, period=period),
        stars=asset_star_counts(asset=asset),
        versions=asset_version_figures(asset=asset),
    )


def asset_for_report(*, user, pk: int) -> Asset:
    """The asset `user` may see a report of (404 for anything else)."""
    from django.shortcuts import get_object_or_404

    qs = Asset.objects.visible_to(user)
    if not roles.can_view_analytics(user):
        qs = qs.none()
    return get_object_or_404(qs.select_related("owner", "current_version"), pk=pk)


def asset_rating_comments(*, asset: Asset) -> QuerySet[Rating]:
    return (
        Rating.objects.filter(asset=asset)
        .exclude(comment="")
        .select_related("user")
        .order_by("-updated_at", "-pk")
    )


def asset_deals(*, asset: Asset) -> QuerySet[Deal]:
    """The deals the asset was used in, newest use first, each with its uses."""
    uses = Usage.objects.filter(asset=asset)
    return (
        Deal.objects.filter(pk__in=uses.values("deal_id"))
        .select_related("stage", "owner")
        .annotate(
            last_used=Subquery(
                uses.filter(deal=OuterRef("pk"))
                .order_by("-created_at")
                .values("created_at")[:1]
            )
        )
        .prefetch_related(
            Prefetch(
                "usages",
                queryset=uses.select_related("stage", "version", "user").order_by(
                    "created_at"
                ),
                to_attr="asset_usages",
            )
        )
        .order_by("-last_used", "-pk")
    )


# --- Lists that lead to action ------------------------------------------------


def unused_assets(
    *, user, filters: AssetFilters | None = None, today: datetime.date | None = None
) -> QuerySet[Asset]:
    """Published assets nobody opened, downloaded or used in 90 days, oldest
    publication first, each with `last_active` (None: never)."""
    today = today or timezone.localdate()
    filters = filters or AssetFilters()
    assets = analytics_assets(user=user, filters=filters)
    return (
        _slim(_unused(assets, today=today))
        .annotate(last_active=F("last_activity__day"))
        .order_by(F("published_at").asc(nulls_first=True), "title", "pk")
    )


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

    @property
    def gaps(self) -> int:
        return sum(1 for _, _, n in self.cells if n == 0)


def coverage(*, user) -> list[CoverageRow]:
    """Published assets per active stage and kind; a zero is a gap. 2 queries."""
    if not roles.can_view_analytics(user):
        return []
    # Analytics roles manage content and so see every asset: no visibility filter.
    through = Asset.stages.through.objects.filter(asset__status=AssetStatus.PUBLISHED)
    counts = {
        (stage_id, kind): n
        for stage_id, kind, n in through.order_by()
        .values("stage_id", "asset__kind")
        .annotate(n=Count("asset_id", distinct=True))
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

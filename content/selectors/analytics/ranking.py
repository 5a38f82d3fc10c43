"""The dashboard's order: assets ranked by a figure in one grouped query, the
rest by title, ready for the paginator."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from content.models import (
    Asset,
    DailyAssetStat,
    DealOutcome,
    Usage,
)
from content.selectors.analytics import evidence
from content.selectors.analytics.base import (
    Period,
    _slim,
    min_closed_deals,
)
from content.selectors.analytics.evidence_stats import Effect
from content.selectors.analytics.figures import (
    _DEAL_SORTS,
    _cached,
    _closed_in,
    _deal_sums_sql,
    _key_of,
)
from content.selectors.paging import IdPages
from content.selectors.search import (
    bayesian_rating,
)

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


class RankedAssets(IdPages):
    """A sequence for the paginator: ranked assets first, then the rest by title.

    `total` is the filtered count, so counting never runs the ranking again; the
    rest is only read on the pages past the ranked ones. On the id-paging base
    (content.selectors.paging) with no cache of its own: a page's ids are the
    ranked ones, and `rows` adds the rest in the same query.
    """

    def __init__(
        self,
        *,
        # A list, or the rows worked out ahead read a page at a time.
        ranked_ids: Sequence[int],
        ranking_sql: tuple[str, tuple],
        assets: QuerySet[Asset],
        total: int,
    ) -> None:
        super().__init__(user=None)
        self.ranked_ids = ranked_ids
        self.ranking_sql = ranking_sql
        self.assets = assets
        self.total = total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[Asset]:
        if not isinstance(index, slice):
            raise TypeError("RankedAssets only supports slices")
        return super().__getitem__(index)

    def fresh_ids(self, start: int, stop: int) -> list[int]:
        return self.ranked_ids[start:stop]

    def rows(self, ids: list[int], start: int, stop: int) -> list[Asset]:
        """The assets of positions start..stop, in one query whatever the page:
        the ranked ones by their position, then (past the ranked ones) the rest
        of the filtered assets by title."""
        ranked = len(self.ranked_ids)
        page_ids = ids
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


def evidence_effects(
    *, assets: QuerySet[Asset], scope: evidence.EvidenceScope, version: str = ""
) -> dict[int, Effect]:
    """The effect of every asset of the filtered set that has a closed deal in
    the scope; 3 queries, none when cached for this `version` of the period's
    closed deals (the filtered set, the stage, the competitor and the settings
    are part of the key)."""

    def compute() -> dict[int, Effect]:
        return evidence.effects(scope, among=assets)

    if not version:
        return compute()
    parts = (
        "evidence",  # pragma: no mutate (a name)
        scope.period.start,
        scope.period.end,
        scope.stage.pk if scope.stage is not None else None,
        scope.competitor,
        evidence.evidence_level(),
        evidence.evidence_min_deals(),
        _key_of(assets),
        version,
    )
    return _cached("evidence", parts, compute)  # pragma: no mutate (a name)


def _evidence_sql(
    *, assets: QuerySet[Asset], scope: evidence.EvidenceScope
) -> tuple[str, tuple]:
    """The assets that have an effect (a closed deal in the scope), as SQL."""
    qs = Usage.objects.filter(
        _closed_in(scope.period), asset_id__in=assets.order_by().values("pk")
    )
    if scope.competitor:
        qs = qs.filter(deal__competitor=scope.competitor)
    return qs.order_by().values_list("asset_id").distinct().query.sql_with_params()


def sorted_assets(
    *,
    assets: QuerySet[Asset],
    sort: str,
    period: Period,
    version: str = "",
    scope: evidence.EvidenceScope | None = None,
    effects: dict[int, Effect] | None = None,
) -> QuerySet[Asset] | RankedAssets:
    """The dashboard's assets in `sort` order, ready for a paginator. With the
    `version` of the period's closed deals, a ranking by a deal figure is cached.
    By evidence: from `effects` when they are at hand (the page has them)."""
    if sort == "title":
        return _slim(assets).order_by("title", "pk")
    if sort == "rating":
        rated = ExpressionWrapper(Q(rating_count__gt=0), output_field=BooleanField())
        return _slim(assets).order_by(
            rated.desc(), bayesian_rating().desc(), "title", "pk"
        )
    if sort == "ratings":
        return _slim(assets).order_by("-rating_count", "title", "pk")
    total = assets.order_by().count()
    if sort == "evidence":
        scope = scope or evidence.EvidenceScope(period=period)
        if effects is None:
            effects = evidence_effects(assets=assets, scope=scope, version=version)
        return RankedAssets(
            # Ties (too few deals, by n) by id, as the SQL rankings do.
            ranked_ids=sorted(effects, key=lambda pk: (*effects[pk].sort_key, pk)),
            ranking_sql=_evidence_sql(assets=assets, scope=scope),
            assets=assets,
            total=total,
        )
    ranking_sql = _ranking_sql(sort, assets=assets, period=period)

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

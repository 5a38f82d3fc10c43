"""The review dashboard's page and its CSV rows: totals, adoption, win rates and
per-asset rows, sorted and paginated with a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from content.caching.keys import content_version
from content.models import (
    Asset,
    AssetStatus,
)
from content.selectors.analytics import evidence
from content.selectors.analytics.base import (
    DEFAULT_SORT,
    PAGE_SIZE,
    SORTS,
    Adoption,
    AssetFigures,
    AssetFilters,
    Period,
    Totals,
    WinRate,
    _slim,
    analytics_assets,
)
from content.selectors.analytics.evidence_stats import Effect
from content.selectors.analytics.figures import (
    _cached,
    _deal_sums_sql,
    _figures,
    _key_of,
    _to_decimal,
    adoption,
    asset_figures,
    deal_stats,
    deals_used_in,
    library_totals,
    overall_win_rate,
    period_stats,
)
from content.selectors.analytics.precomputed import Precomputed, precomputed_for
from content.selectors.analytics.ranking import (
    RankedAssets,
    evidence_effects,
    sorted_assets,
)
from content.selectors.search import (
    library_mean_rating,
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
    scope: evidence.EvidenceScope | None = None
    # The evidence as the task queue worked it out (None: judged for this page).
    precomputed: Precomputed | None = None


def scope_of(filters: AssetFilters, period: Period) -> evidence.EvidenceScope:
    return evidence.EvidenceScope(
        period=period, stage=filters.stage, competitor=filters.competitor
    )


def with_effects(
    rows: list[AssetFigures], effects: dict[int, Effect]
) -> list[AssetFigures]:
    for row in rows:
        row.effect = effects.get(row.asset.pk) or evidence.no_deals()
    return rows


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
    scope = scope_of(filters, period)
    pre = precomputed_for(assets=assets, scope=scope, version=overall.version)
    if pre is not None:
        # Worked out ahead: the page reads its own rows, never every asset's.
        if sort == "evidence":
            ordered = RankedAssets(
                ranked_ids=pre.ranked_ids(),
                ranking_sql=pre.ranking_sql(),
                assets=assets,
                total=assets.order_by().count(),
            )
        else:
            ordered = sorted_assets(
                assets=assets, sort=sort, period=period, version=overall.version
            )
        page = Paginator(ordered, per_page).get_page(page_number)
        on_page = list(page.object_list)
        ids = [asset.pk for asset in on_page]
        effects, deals = pre.page(ids)
        # Rows of older deals leave the deal columns to be summed afresh.
        page_deals = None
        if pre.current:
            # An asset without a row has no closed deal, except in a
            # competitor's rows: they leave out the assets with only other
            # deals, whose few (pages past the ranked ones) are summed here.
            missing = [] if pre.every_deal else [pk for pk in ids if pk not in effects]
            summed = deal_stats(asset_ids=missing, period=period) if missing else {}
            page_deals = {**summed, **deals}
    else:
        # Every filtered asset's, whatever the sort: a verdict allows for how
        # many assets are compared, so it never depends on which page is shown.
        effects = evidence_effects(assets=assets, scope=scope, version=overall.version)
        ordered = sorted_assets(
            assets=assets,
            sort=sort,
            period=period,
            version=overall.version,
            scope=scope,
            effects=effects,
        )
        page = Paginator(ordered, per_page).get_page(page_number)
        on_page = list(page.object_list)
        page_deals = None
    rows = asset_figures(
        assets=on_page,
        period=period,
        overall=overall,
        prior_mean=library_mean_rating(),
        version=overall.version,
        deals=page_deals,
    )
    with_effects(rows, effects)
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
        scope=scope,
        precomputed=pre,
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
    scope = scope_of(filters, period)
    # The rows the page reads, when they answer the same question: the export
    # shows what the page shows, without judging every asset again.
    pre = precomputed_for(assets=assets, scope=scope, version=overall.version)
    if pre is not None:
        effects = pre.effects()
    else:
        effects = evidence.effects(scope, among=assets)
    ordered = _ordered_ids(
        assets=assets, sort=sort, period=period, scope=scope, effects=effects
    )
    for ids in _batches(ordered, chunk):  # pragma: no mutate (chunks bound memory)
        by_id = {asset.pk: asset for asset in _slim(Asset.objects.filter(pk__in=ids))}
        rows = _figures(
            [by_id[pk] for pk in ids if pk in by_id],
            stats=stats,
            deals=deals,
            used=used,
            overall=overall,
            prior_mean=prior,
        )
        yield from with_effects(rows, effects)


def _ordered_ids(
    *,
    assets: QuerySet[Asset],
    sort: str,
    period: Period,
    scope: evidence.EvidenceScope,
    effects: dict[int, Effect],
) -> Iterator[int]:
    ordered = sorted_assets(
        assets=assets, sort=sort, period=period, scope=scope, effects=effects
    )
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

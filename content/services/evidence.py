"""Working out the dashboard's evidence ahead of time (`AssetEvidence`).

Judging every asset reads every use of every deal closed in the period: at
full size that is seconds, so the task queue does it (after the daily rollup,
and whenever the dashboard finds the rows older than the latest closed deals)
and the page only reads the rows. What a page reads is said on the page: the
time it was worked out, and whether deals closed since.

The rows answer the page with no filter and with one filter, a stage or a
competitor (the filters that change the verdicts), so those views read rows
too. The stages' verdicts come from the same per-asset counts as the
unfiltered ones (judged at the stage, among the stage's assets), so they cost
no query of their own; the competitors' come from one more pass over the
uses, grouped by competitor.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from content.models import Asset, AssetEvidence, Stage
from content.selectors.analytics import evidence
from content.selectors.analytics.base import PERIOD_CHOICES, Period
from content.selectors.analytics.evidence_stats import Effect
from content.selectors.analytics.figures import (
    _deal_sums_sql,
    _to_decimal,
    overall_win_rate,
)
from content.selectors.analytics.precomputed import assets_key, precomputed_assets

# One rebuild on the queue per state of the deals, however many pages ask.
REBUILD_LOCK_SECONDS = 15 * 60


def evidence_rebuild(*, days: tuple[int, ...] = PERIOD_CHOICES) -> int:
    """Judge every published asset over each preset period, with no filter,
    per stage and per competitor, and replace that period's rows; returns the
    rows written. Each period is replaced in one transaction, so a page reads
    either the old rows or the new ones."""
    stages = list(Stage.objects.filter(is_active=True).order_by("order", "name"))
    sets = {None: precomputed_assets()}
    sets.update({stage.pk: precomputed_assets(stage) for stage in stages})
    keys = {pk: assets_key(assets) for pk, assets in sets.items()}
    members = {
        stage.pk: set(sets[stage.pk].values_list("pk", flat=True)) for stage in stages
    }
    written = 0
    for preset in days:
        period = Period.last(preset)
        version = overall_win_rate(period=period).version
        # The page's deal columns count every deal, whatever the filter.
        sql, params = _deal_sums_sql(period, among=sets[None])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            deals = {
                asset_id: (closed, won or 0, _to_decimal(revenue))
                for asset_id, closed, won, revenue in cursor.fetchall()
            }
        build = _Build(
            days=preset,
            period_end=period.end,
            computed_at=timezone.now(),
            version=version,
            deals=deals,
        )
        rows = _judged(
            build,
            evidence.EvidenceScope(period=period),
            sets=sets,
            keys=keys,
            members=members,
        )
        with transaction.atomic():
            AssetEvidence.objects.filter(days=preset).delete()
            AssetEvidence.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    return written


def _judged(
    build: _Build,
    scope: evidence.EvidenceScope,
    *,
    sets: dict[int | None, QuerySet[Asset]],
    keys: dict[int | None, str],
    members: dict[int, set[int]],
) -> list[AssetEvidence]:
    """One period's rows: unfiltered, per stage (`members`: each stage's
    assets), per competitor. None without stages (nothing to judge at)."""
    positions = evidence.stage_positions()
    if not positions:
        return []
    # Every stage's verdicts come from the same counts: only the stage
    # judged at and the set allowed for (`adjust_for_many`) change.
    base = evidence.reach(scope, positions)
    counts = evidence.asset_counts(scope, positions, among=sets[None])
    whole = {pk: evidence.effect_of(c, base) for pk, c in counts.items()}
    rows = build.rows("", keys[None], evidence.adjust_for_many(whole))
    for stage_pk, ids in members.items():
        at = positions.get(stage_pk)
        found = {
            pk: evidence.effect_of(c, base, at=at)
            for pk, c in counts.items()
            if pk in ids
        }
        effects = evidence.adjust_for_many(found)
        rows += build.rows(f"stage:{stage_pk}", keys[stage_pk], effects)
    # Every competitor in one pass over the uses (one per name took minutes).
    bases = evidence.reach_by_competitor(scope, positions)
    by_name = evidence.asset_counts_by_competitor(scope, positions, among=sets[None])
    for name in sorted(bases):
        found = {
            pk: evidence.effect_of(c, bases[name])
            for pk, c in by_name.get(name, {}).items()
        }
        effects = evidence.adjust_for_many(found)
        rows += build.rows(f"competitor:{name}", keys[None], effects)
    return rows


@dataclass(frozen=True)
class _Build:
    """What every row of one period's rebuild shares."""

    days: int
    period_end: datetime.date
    computed_at: datetime.datetime
    version: str
    deals: dict[int, tuple[int, int, Decimal]]

    def rows(
        self, scope: str, key: str, effects: dict[int, Effect]
    ) -> list[AssetEvidence]:
        """One filter's rows, in the dashboard's evidence order (ties by id, as
        `sorted_assets` does)."""
        none = (0, 0, Decimal("0.00"))
        ranked = sorted(effects, key=lambda pk: (*effects[pk].sort_key, pk))
        return [
            AssetEvidence(
                days=self.days,
                scope=scope,
                asset_id=pk,
                rank=rank,
                verdict=str(effects[pk].verdict),
                difference=effects[pk].difference,
                low=effects[pk].low,
                high=effects[pk].high,
                level=effects[pk].level,
                adjusted=effects[pk].adjusted,
                used_won=effects[pk].used.won,
                used_closed=effects[pk].used.closed,
                others_won=effects[pk].others.won,
                others_closed=effects[pk].others.closed,
                deals_closed=self.deals.get(pk, none)[0],
                deals_won=self.deals.get(pk, none)[1],
                revenue=self.deals.get(pk, none)[2],
                period_end=self.period_end,
                computed_at=self.computed_at,
                version=self.version,
                assets_key=key,
            )
            for rank, pk in enumerate(ranked)
        ]


def evidence_rebuild_soon(*, version: str) -> bool:
    """Put a rebuild on the queue, once per `version` of the closed deals
    (however many pages find the rows old); True when this call enqueued it."""
    from content import tasks

    lock = f"wingman:analytics:evidence-rebuild:{version}"
    if not cache.add(lock, 1, REBUILD_LOCK_SECONDS):
        return False
    tasks.enqueue_on_commit(tasks.rebuild_evidence)
    return True

"""Working out the dashboard's evidence ahead of time (`AssetEvidence`).

Judging every asset reads every use of every deal closed in the period: at
full size that is seconds, so the task queue does it (after the daily rollup,
and whenever the dashboard finds the rows older than the latest closed deals)
and the page only reads the rows. What a page reads is said on the page: the
time it was worked out, and whether deals closed since.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from content.models import AssetEvidence
from content.selectors.analytics import evidence
from content.selectors.analytics.base import PERIOD_CHOICES, Period
from content.selectors.analytics.figures import (
    _deal_sums_sql,
    _to_decimal,
    overall_win_rate,
)
from content.selectors.analytics.precomputed import assets_key, precomputed_assets

# One rebuild on the queue per state of the deals, however many pages ask.
REBUILD_LOCK_SECONDS = 15 * 60


def evidence_rebuild(*, days: tuple[int, ...] = PERIOD_CHOICES) -> int:
    """Judge every published asset over each preset period and replace that
    period's rows; returns the rows written. Each period is replaced in one
    transaction, so a page reads either the old rows or the new ones."""
    assets = precomputed_assets()
    key = assets_key(assets)
    written = 0
    for preset in days:
        period = Period.last(preset)
        version = overall_win_rate(period=period).version
        effects = evidence.effects(evidence.EvidenceScope(period=period), among=assets)
        sql, params = _deal_sums_sql(period, among=assets)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            deals = {
                asset_id: (closed, won or 0, _to_decimal(revenue))
                for asset_id, closed, won, revenue in cursor.fetchall()
            }
        none = (0, 0, Decimal("0.00"))
        # The dashboard's evidence order; ties by id, as `sorted_assets` does.
        ranked = sorted(effects, key=lambda pk: (*effects[pk].sort_key, pk))
        now = timezone.now()
        rows = [
            AssetEvidence(
                days=preset,
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
                deals_closed=deals.get(pk, none)[0],
                deals_won=deals.get(pk, none)[1],
                revenue=deals.get(pk, none)[2],
                period_end=period.end,
                computed_at=now,
                version=version,
                assets_key=key,
            )
            for rank, pk in enumerate(ranked)
        ]
        with transaction.atomic():
            AssetEvidence.objects.filter(days=preset).delete()
            AssetEvidence.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    return written


def evidence_rebuild_soon(*, version: str) -> bool:
    """Put a rebuild on the queue, once per `version` of the closed deals
    (however many pages find the rows old); True when this call enqueued it."""
    from content import tasks

    lock = f"wingman:analytics:evidence-rebuild:{version}"
    if not cache.add(lock, 1, REBUILD_LOCK_SECONDS):
        return False
    tasks.enqueue_on_commit(tasks.rebuild_evidence)
    return True

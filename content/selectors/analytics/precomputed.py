"""The dashboard's evidence as the task queue worked it out (`AssetEvidence`),
when it answers the page's question: a preset period, the default set of
assets, and no filter or one (a stage, or a competitor). Anything else (both,
another set, a date range) is judged on the page."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from content.models import Asset, AssetEvidence, Stage
from content.selectors.analytics.base import PERIOD_CHOICES, AssetFilters, Period
from content.selectors.analytics.evidence import EvidenceScope
from content.selectors.analytics.evidence_stats import Effect, Side, Verdict
from content.selectors.analytics.figures import _key_of


def precomputed_assets(stage: Stage | None = None) -> QuerySet[Asset]:
    """The set the rows judge: the dashboard's default (published assets, as
    a manager sees them), or its assets of one stage (the stage filter). Another
    filtered set is judged on the page."""
    return AssetFilters(stage=stage).apply(Asset.objects.all())


def scope_key(scope: EvidenceScope) -> str | None:
    """The `AssetEvidence.scope` of the dashboard's filter; None for both a
    stage and a competitor (not worked out ahead: judged on the page)."""
    if scope.stage is not None and scope.competitor:
        return None
    if scope.stage is not None:
        return f"stage:{scope.stage.pk}"
    if scope.competitor:
        return f"competitor:{scope.competitor}"
    return ""


def assets_key(assets: QuerySet[Asset]) -> str:
    """The filtered set of assets (its SQL), as stored with the rows."""
    return hashlib.sha256(_key_of(assets).encode()).hexdigest()


@dataclass(frozen=True)
class Precomputed:
    """The rows of one preset period, and when they were worked out."""

    days: int
    scope: str
    assets_key: str
    computed_at: datetime.datetime
    # False when deals closed (or the period moved on) since: the page says so.
    current: bool
    # How many rows (ranks run 0..ranked - 1, as the rebuild writes them).
    ranked: int = 0

    @property
    def every_deal(self) -> bool:
        """Whether every asset of the set with a closed deal in the period has
        a row (not so for a competitor's: only assets with its deals)."""
        return not self.scope.startswith("competitor:")

    def _rows(self) -> QuerySet[AssetEvidence]:
        return AssetEvidence.objects.filter(
            days=self.days, scope=self.scope, assets_key=self.assets_key
        )

    def ranked_ids(self) -> RankedIds:
        """Asset ids, best evidence first, read a page at a time: no query
        until a page (a slice) is asked for."""
        return RankedIds(self)

    def ranking_sql(self) -> tuple[str, tuple]:
        """The ranked assets as SQL selecting `asset_id`."""
        return self._rows().order_by().values("asset_id").query.sql_with_params()

    def effects(self) -> dict[int, Effect]:
        """Every row's effect (the CSV export); 1 query."""
        return {
            row.asset_id: effect_of_row(row)
            for row in self._rows().iterator(chunk_size=5000)  # pragma: no mutate
        }

    def page(
        self, asset_ids: list[int]
    ) -> tuple[dict[int, Effect], dict[int, tuple[int, int, Decimal]]]:
        """The effects of these assets (a page), and their deal figures
        (closed, won, revenue) when the rows are current; 1 query."""
        rows = list(self._rows().filter(asset_id__in=asset_ids))
        effects = {row.asset_id: effect_of_row(row) for row in rows}
        deals = {
            row.asset_id: (row.deals_closed, row.deals_won, row.revenue)
            for row in rows
            if row.deals_closed
        }
        return effects, deals


class RankedIds(Sequence[int]):
    """The rows' asset ids in rank order, for `RankedAssets`: its length is
    known without a query, a slice is 1 query on the (days, rank) index, so a
    page never reads the ids of the other 60,000 ranked assets."""

    def __init__(self, pre: Precomputed) -> None:
        self.pre = pre

    def __len__(self) -> int:
        return self.pre.ranked

    def __getitem__(self, index):
        if isinstance(index, int):
            ids = self[index : index + 1] if index >= 0 else self[index:][:1]
            if not ids:
                raise IndexError(index)
            return ids[0]
        start, stop, step = index.indices(len(self))
        if step != 1:
            raise ValueError("RankedIds only supports contiguous slices")
        if start >= stop:
            return []
        rows = self.pre._rows().filter(rank__gte=start, rank__lt=stop)
        return list(rows.order_by("rank").values_list("asset_id", flat=True))

    def __iter__(self) -> Iterator[int]:
        rows = self.pre._rows().order_by("rank").values_list("asset_id", flat=True)
        yield from rows.iterator(chunk_size=2000)  # pragma: no mutate


def effect_of_row(row: AssetEvidence) -> Effect:
    return Effect(
        used=Side(row.used_won, row.used_closed),
        others=Side(row.others_won, row.others_closed),
        difference=row.difference,
        low=row.low,
        high=row.high,
        verdict=Verdict(row.verdict),
        level=row.level,
        adjusted=row.adjusted,
    )


def precomputed_for(
    *, assets: QuerySet[Asset], scope: EvidenceScope, version: str
) -> Precomputed | None:
    """The worked-out evidence for the dashboard's question, or None when there
    is none for it (the page judges the assets itself); 1 query.

    `version` identifies the period's closed deals now.
    """
    period = scope.period
    key = assets_key(assets)
    wanted = scope_key(scope)
    if wanted is None:
        return None
    if period.preset not in PERIOD_CHOICES or period != Period.last(period.preset):
        return None
    # Any row will do (one build writes them all alike): the last by rank, the
    # first the (days, scope, rank) index meets backwards, also tells how many.
    # The set is checked here, not in the WHERE: filtered on it, PostgreSQL (its
    # statistics taken before the rebuild wrote the rows) sorted every row.
    rows = (
        AssetEvidence.objects.filter(days=period.preset, scope=wanted)
        .order_by("-rank")
        .values("computed_at", "version", "period_end", "rank", "assets_key")[:1]
    )
    if not rows or rows[0]["assets_key"] != key:
        return None
    first = rows[0]
    return Precomputed(
        days=period.preset,
        scope=wanted,
        assets_key=key,
        computed_at=first["computed_at"],
        current=first["version"] == version and first["period_end"] == period.end,
        ranked=first["rank"] + 1,
    )

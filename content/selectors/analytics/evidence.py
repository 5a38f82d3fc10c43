"""Which assets help win, stage by stage: the counts behind the evidence, read
in two grouped queries whatever the number of assets (the arithmetic is in
`evidence_stats`, which never touches the database).

A deal "reached" a stage when it recorded a use at that stage or a later one,
or sits (closed) at that stage or a later one. Wingman has no dated stage
history of deals yet, so this is what the data can tell; the definitions on the
dashboard say so.

The per-asset query returns, for each asset, closed deals grouped by
(stages at which the asset was used in the deal, as a bit set; the furthest
stage the deal reached; won or lost): a few rows per asset, from which every
stage's comparison is worked out in Python. One more query counts the period's
closed deals by furthest stage reached, the comparison's base.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from content.models import Asset, Deal, DealOutcome, Stage, Usage
from content.selectors.analytics.base import Period
from content.selectors.analytics.evidence_stats import (
    Effect,
    Side,
    Verdict,
    adjust_for_many,
    combine,
    compare,
)

# A bit per stage in one integer: PostgreSQL's bigint holds 63.
MAX_STAGES = 62


def evidence_level() -> float:
    return settings.WINGMAN_EVIDENCE_LEVEL


def evidence_min_deals() -> int:
    return settings.WINGMAN_EVIDENCE_MIN_DEALS


@dataclass(frozen=True)
class EvidenceScope:
    """Which closed deals count: the period's, optionally against one
    competitor; and the stage to judge at (None: every stage, weighted)."""

    period: Period
    stage: Stage | None = None
    competitor: str = ""


@dataclass
class Counts:
    """The raw material of one asset's evidence."""

    # (bit set of stages used at, furthest stage reached, won) -> deals
    rows: dict[tuple[int, int, bool], int] = field(default_factory=dict)


@dataclass(frozen=True)
class Reach:
    """Closed deals of the scope by furthest stage reached: won, closed."""

    won: tuple[int, ...]
    closed: tuple[int, ...]

    def at_least(self, position: int) -> Side:
        return Side(sum(self.won[position:]), sum(self.closed[position:]))


def stage_positions(stages: Sequence[Stage] | None = None) -> dict[int, int]:
    """Stage id -> position in the sales cycle (0 first), inactive ones too:
    old deals and uses may sit at a stage that was since switched off."""
    if stages is None:
        stages = list(Stage.objects.order_by("order", "name", "pk")[:MAX_STAGES])
    return {stage.pk: i for i, stage in enumerate(stages)}


def _position_sql(column: str, positions: dict[int, int]) -> tuple[str, list]:
    whens = " ".join("WHEN %s THEN %s" for _ in positions)
    params: list = []
    for stage_id, position in positions.items():
        params += [stage_id, position]
    return f"(CASE {column} {whens} ELSE 0 END)", params


def _reach_sql(
    scope: EvidenceScope, positions: dict[int, int], *, by_competitor: bool = False
) -> tuple[str, list]:
    """Closed deals of the scope with their furthest stage: deal_id, o, reach
    (and the deal's competitor, `by_competitor`: every named one at once)."""
    deal, usage = Deal._meta.db_table, Usage._meta.db_table
    used_at, p1 = _position_sql("u.stage_id", positions)
    sits_at, p2 = _position_sql("d.stage_id", positions)
    named = ", d.competitor AS c" if by_competitor else ""
    if by_competitor:
        competitor = "AND d.competitor <> ''"
    else:
        competitor = "AND d.competitor = %s" if scope.competitor else ""
    sql = (
        f"SELECT d.id AS deal_id, d.outcome AS o{named}, "  # noqa: S608 - our own names
        f"CASE WHEN MAX({used_at}) > {sits_at} THEN MAX({used_at}) "
        f"ELSE {sits_at} END AS reach "
        f"FROM {deal} d LEFT JOIN {usage} u ON u.deal_id = d.id "
        f"WHERE d.outcome IN (%s, %s) AND d.closed_at >= %s AND d.closed_at < %s "
        f"{competitor} GROUP BY d.id, d.outcome, d.stage_id{named and ', d.competitor'}"
    )
    params = [*p1, *p1, *p2, *p2, DealOutcome.WON, DealOutcome.LOST]
    params += [scope.period.start_at, scope.period.end_at]
    if scope.competitor and not by_competitor:
        params.append(scope.competitor)
    return sql, params


def reach(scope: EvidenceScope, positions: dict[int, int]) -> Reach:
    """The scope's closed deals by furthest stage reached; 1 query."""
    sql, params = _reach_sql(scope, positions)
    won = [0] * max(len(positions), 1)
    closed = [0] * max(len(positions), 1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT r.reach, r.o, COUNT(*) FROM ({sql}) r GROUP BY r.reach, r.o",  # noqa: S608
            params,
        )
        for position, outcome, n in cursor.fetchall():
            closed[position] += n
            if outcome == DealOutcome.WON:
                won[position] += n
    return Reach(won=tuple(won), closed=tuple(closed))


def asset_counts(
    scope: EvidenceScope,
    positions: dict[int, int],
    *,
    asset_ids: Sequence[int] | None = None,
    among: QuerySet[Asset] | None = None,
) -> dict[int, Counts]:
    """Per asset, its closed deals by (stages used at, reach, won); 1 query."""
    if (asset_ids is not None and not asset_ids) or not positions:
        return {}
    result: dict[int, Counts] = defaultdict(Counts)
    for _, asset_id, key, n in _count_rows(
        scope, positions, asset_ids=asset_ids, among=among, by_competitor=False
    ):
        counts = result[asset_id].rows
        counts[key] = counts.get(key, 0) + n
    return dict(result)


def reach_by_competitor(
    scope: EvidenceScope, positions: dict[int, int]
) -> dict[str, Reach]:
    """`reach` for each competitor named on the scope's deals, all at once (the
    rebuild's); 1 query."""
    sql, params = _reach_sql(scope, positions, by_competitor=True)
    size = max(len(positions), 1)
    won: dict[str, list[int]] = defaultdict(lambda: [0] * size)
    closed: dict[str, list[int]] = defaultdict(lambda: [0] * size)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.c, r.reach, r.o, COUNT(*) FROM ("  # noqa: S608
            f"{sql}) r GROUP BY r.c, r.reach, r.o",
            params,
        )
        for name, position, outcome, n in cursor.fetchall():
            closed[name][position] += n
            if outcome == DealOutcome.WON:
                won[name][position] += n
    return {name: Reach(tuple(won[name]), tuple(closed[name])) for name in closed}


def asset_counts_by_competitor(
    scope: EvidenceScope, positions: dict[int, int], *, among: QuerySet[Asset]
) -> dict[str, dict[int, Counts]]:
    """`asset_counts` for each competitor named on the scope's deals, all at
    once (the rebuild's: one pass over the uses, not one per competitor)."""
    result: dict[str, dict[int, Counts]] = defaultdict(lambda: defaultdict(Counts))
    if not positions:
        return {}
    for name, asset_id, key, n in _count_rows(
        scope, positions, asset_ids=None, among=among, by_competitor=True
    ):
        counts = result[name][asset_id].rows
        counts[key] = counts.get(key, 0) + n
    return {name: dict(by_asset) for name, by_asset in result.items()}


def _count_rows(
    scope: EvidenceScope,
    positions: dict[int, int],
    *,
    asset_ids: Sequence[int] | None,
    among: QuerySet[Asset] | None,
    by_competitor: bool,
) -> list[tuple[str, int, tuple[int, int, bool], int]]:
    """(competitor or "", asset id, (stages used at, reach, won), deals)."""
    reach_sql, reach_params = _reach_sql(scope, positions, by_competitor=by_competitor)
    # Each stage's bit, summed once per stage: the set of stages used at.
    whens = " ".join("WHEN %s THEN %s" for _ in positions)
    bit_params = []
    for stage_id, position in positions.items():
        bit_params += [stage_id, 1 << position]
    bits = f"(CASE u.stage_id {whens} ELSE 0 END)"
    # A short list of assets (a page) narrows the usages read; a filtered set
    # (every asset of the dashboard) is applied to the grouped rows instead: as
    # an index probe per deal and asset it made SQLite read millions of entries.
    where, where_params, outer, outer_params = "", [], "", []
    if asset_ids is not None:
        where = "WHERE u.asset_id IN (" + ", ".join(["%s"] * len(asset_ids)) + ")"
        where_params = list(asset_ids)
    elif among is not None:
        among_sql, among_params = among.order_by().values("pk").query.sql_with_params()
        outer = f"WHERE t.asset_id IN ({among_sql})"
        outer_params = list(among_params)
    name = "r.c" if by_competitor else "''"
    usage = Usage._meta.db_table
    sql = (
        "SELECT t.c, t.asset_id, t.used_at, t.reach, t.o, COUNT(*) FROM ("  # noqa: S608
        f"SELECT {name} AS c, u.asset_id, u.deal_id, SUM(DISTINCT {bits}) AS used_at, "
        "r.reach, r.o "
        f"FROM {usage} u JOIN ({reach_sql}) r ON r.deal_id = u.deal_id {where} "
        f"GROUP BY {name + ', ' if by_competitor else ''}u.asset_id, u.deal_id, "
        "r.reach, r.o"
        f") t {outer} GROUP BY t.c, t.asset_id, t.used_at, t.reach, t.o"
    )
    params = [*bit_params, *reach_params, *where_params, *outer_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (c, asset_id, (int(used_at), position, outcome == DealOutcome.WON), n)
            for c, asset_id, used_at, position, outcome, n in cursor.fetchall()
        ]


def _first(used_at: int) -> int:
    """The earliest stage of a bit set of stages."""
    return (used_at & -used_at).bit_length() - 1


def strata(
    counts: Counts, base: Reach, *, at: int | None = None
) -> list[tuple[int, Side, Side]]:
    """(stage position, the asset's side, the comparison) for each stage.

    At one stage (`at`): the deals that used the asset there. Over every stage:
    each deal at the first stage it used the asset, so it is counted once.
    Against: the deals that reached that stage and had not used the asset by
    then (there or earlier). A use at a later stage does not take a deal out of
    the comparison: deals that go further have more chances to use anything,
    so leaving them out would make the comparison look worse than it is.
    """
    used_won: dict[int, int] = defaultdict(int)
    used_closed: dict[int, int] = defaultdict(int)
    for (used_at, _, won), n in counts.rows.items():
        if at is None:
            stages = [_first(used_at)]
        else:
            stages = [at] if used_at >> at & 1 else []
        for stage in stages:
            used_closed[stage] += n
            used_won[stage] += n if won else 0
    result = []
    for stage in sorted(used_closed):
        # The asset's deals that reached the stage having used it by then.
        by_then = (2 << stage) - 1
        mine = [
            (n, won)
            for (used_at, position, won), n in counts.rows.items()
            if position >= stage and used_at & by_then
        ]
        reached = base.at_least(stage)
        others = Side(
            reached.won - sum(n for n, won in mine if won),
            reached.closed - sum(n for n, _ in mine),
        )
        result.append((stage, Side(used_won[stage], used_closed[stage]), others))
    return result


def no_deals() -> Effect:
    """The effect of an asset without a closed deal in the scope."""
    return compare(
        Side(0, 0),
        Side(0, 0),
        level=evidence_level(),
        min_deals=evidence_min_deals(),
    )


def effect_of(counts: Counts | None, base: Reach, *, at: int | None = None) -> Effect:
    """One asset's effect at a stage, or over every stage it was used at."""
    if counts is None:
        return no_deals()
    pairs = [(used, others) for _, used, others in strata(counts, base, at=at)]
    if not pairs:
        return no_deals()
    return combine(pairs, level=evidence_level(), min_deals=evidence_min_deals())


def effects(
    scope: EvidenceScope,
    *,
    asset_ids: Sequence[int] | None = None,
    among: QuerySet[Asset] | None = None,
    positions: dict[int, int] | None = None,
) -> dict[int, Effect]:
    """Each asset's effect in the scope (assets without a closed deal in it
    are left out: they have too few deals); 2 queries, 3 without `positions`."""
    positions = stage_positions() if positions is None else positions
    if not positions:
        return {}
    at = positions.get(scope.stage.pk) if scope.stage is not None else None
    base = reach(scope, positions)
    counts = asset_counts(scope, positions, asset_ids=asset_ids, among=among)
    found = {pk: effect_of(c, base, at=at) for pk, c in counts.items()}
    # Over a whole set of assets, what stands out by luck is taken back.
    return adjust_for_many(found) if among is not None else found


@dataclass(frozen=True)
class StageEffect:
    stage: Stage
    effect: Effect


def asset_stage_effects(*, asset: Asset, scope: EvidenceScope) -> list[StageEffect]:
    """The asset's effect at each stage it serves or was used at; 4 queries."""
    stages = list(Stage.objects.order_by("order", "name", "pk")[:MAX_STAGES])
    if not stages:
        return []
    positions = stage_positions(stages)
    base = reach(scope, positions)
    counts = asset_counts(scope, positions, asset_ids=[asset.pk]).get(asset.pk)
    served = set(asset.stages.values_list("pk", flat=True))
    used = set()
    if counts is not None:
        for used_at, _, _ in counts.rows:
            used |= {stages[i].pk for i in range(len(stages)) if used_at >> i & 1}
    return [
        StageEffect(stage=stage, effect=effect_of(counts, base, at=positions[stage.pk]))
        for stage in stages
        if stage.pk in served or stage.pk in used
    ]


def stages_without_help(
    *, scope: EvidenceScope, assets: QuerySet[Asset]
) -> dict[int, Verdict]:
    """Stages (by id) whose assets with a verdict all show "hurts" or "no
    clear effect", none "helps": the verdict to mark them with (hurts when
    every one hurts). Among `assets` (the published ones); 4 queries."""
    positions = stage_positions()
    if not positions:
        return {}
    base = reach(scope, positions)
    counts = asset_counts(scope, positions, among=assets)
    links: dict[int, list[int]] = defaultdict(list)
    through = Asset.stages.through.objects.filter(
        asset_id__in=assets.order_by().values("pk")
    )
    for asset_id, stage_id in through.values_list("asset_id", "stage_id"):
        # An asset without a closed deal in the scope has too few: no verdict.
        if asset_id in counts:
            links[stage_id].append(asset_id)
    marks: dict[int, Verdict] = {}
    for stage_id, ids in links.items():
        if stage_id not in positions:
            continue
        verdicts = {
            effect_of(counts.get(pk), base, at=positions[stage_id]).verdict
            for pk in ids
        } - {Verdict.TOO_FEW}
        if verdicts and Verdict.HELPS not in verdicts:
            marks[stage_id] = (
                Verdict.HURTS
                if verdicts == {Verdict.HURTS}
                else Verdict.NO_CLEAR_EFFECT
            )
    return marks


def competitors() -> list[str]:
    """Competitors named on deals, for the dashboard's filter; 1 query.

    A loose index scan: each name is the next one after the last on the
    competitor index, a probe per name (20 at full size) where DISTINCT read
    all 200,000 entries.
    """
    deal = Deal._meta.db_table
    sql = (
        "WITH RECURSIVE c(name) AS ("  # noqa: S608 - our own table name
        f"SELECT MIN(competitor) FROM {deal} WHERE competitor > %s "
        f"UNION ALL SELECT (SELECT MIN(competitor) FROM {deal} "
        "WHERE competitor > c.name) FROM c WHERE c.name IS NOT NULL"
        ") SELECT name FROM c WHERE name IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [""])
        return [name for (name,) in cursor.fetchall()]


def evidence_fields(effect: Effect) -> dict[str, object]:
    """An effect as the API and other plain-data consumers read it."""
    return {
        "verdict": str(effect.verdict),
        "effect": effect.difference,
        "effect_low": effect.low,
        "effect_high": effect.high,
        "evidence_deals": effect.used.closed,
        "evidence_won": effect.used.won,
        "comparison_deals": effect.others.closed,
        "comparison_won": effect.others.won,
    }

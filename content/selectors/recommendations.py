"""What to send next in a deal: the play, then assets ranked by evidence.

Evidence is aggregate only: counts of closed deals over the whole library that
used an asset at this stage (every owner's deals, as the analytics count them),
never a deal's name, owner or amount. A count under WINGMAN_MIN_CLOSED_DEALS is
never shown in words, so a rep cannot read one other deal's outcome off it.
Candidates are assets the user may open (partners: partner assets only).

Ranking: the dashboard's measure (content/selectors/analytics/evidence.py) at
the deal's stage: the lower end of the interval of the win-rate difference
between the deals that used the asset at this stage and the deals that reached
this stage without it, against the deal's competitor when it has one (as the
dashboard's competitor filter does). So an asset ranks high only when the data
make a real effect certain, and a stage where every deal wins lifts nothing.
Ties (no deal on one side) fall back to the asset's win rate at the stage, with
deals like this one (same competitor, industry or segment) counted
SIMILAR_WEIGHT times, shrunk toward the stage's own win rate by a Beta prior of
PRIOR_STRENGTH deals, minus one standard deviation.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from content.models import Asset, Deal, DealOutcome, Usage
from content.segments import segment_for
from content.selectors.analytics.evidence_stats import Side, newcombe, z_for
from content.selectors.plays import PlayView, play_for_stage

LIMIT = 5
SIMILAR_WEIGHT = 2  # a similar deal counts as 1 + SIMILAR_WEIGHT deals
PRIOR_STRENGTH = 4.0
RECENT_MIN = 2  # "used in N similar deals": never one deal on its own
NEW_DAYS = 14  # "new" when the user never looked at the news


@dataclass
class Evidence:
    n: int = 0
    won: int = 0
    n_similar: int = 0
    won_similar: int = 0
    n_competitor: int = 0
    won_competitor: int = 0
    recent_similar: int = 0

    def score(self, base_rate: float) -> float:
        """Lower bound of the Beta posterior of the weighted win rate."""
        n = self.n + SIMILAR_WEIGHT * self.n_similar
        won = self.won + SIMILAR_WEIGHT * self.won_similar
        a = base_rate * PRIOR_STRENGTH + won
        b = (1 - base_rate) * PRIOR_STRENGTH + (n - won)
        mean = a / (a + b)
        sd = math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
        return mean - sd

    def effect_low(self, reach: "Reach", level: float) -> float | None:
        """The lower end of the effect at the stage: against the deal's
        competitor when both sides have such deals, else over every deal
        (None: nothing to compare with, as when every deal used it)."""
        pairs = [(Side(self.won, self.n), reach.everyone)]
        if reach.competitor is not None:
            pairs.insert(
                0, (Side(self.won_competitor, self.n_competitor), reach.competitor)
            )
        z = z_for(level)
        for used, reached in pairs:
            # The asset's deals reached the stage too: the comparison is the rest.
            closed = reached.closed - used.closed
            won = min(max(reached.won - used.won, 0), max(closed, 0))
            if used.closed and closed > 0:
                return newcombe(used, Side(won, closed), z)[1]
        return None


@dataclass(frozen=True)
class Reach:
    """Closed deals that reached the deal's stage: all, and against its
    competitor (None when the deal names none)."""

    everyone: Side
    competitor: Side | None = None


@dataclass
class Recommendation:
    asset: Asset
    reasons: list[str]
    in_play: bool = False
    score: float = 0.0


@dataclass
class Workspace:
    deal: Deal
    play: PlayView
    used_ids: set[int]
    recommendations: list[Recommendation] = field(default_factory=list)

    @property
    def segment(self) -> str:
        segment = segment_for(self.deal.amount)
        return segment.name if segment else ""

    @property
    def play_rows(self) -> list[tuple]:
        """(item, used in this deal) for each essential asset of the play."""
        return [(item, item.asset_id in self.used_ids) for item in self.play.items]


def _quarter_start(now: datetime) -> datetime:
    month = 3 * ((now.month - 1) // 3) + 1
    return now.replace(month=month, day=1, hour=0, minute=0, second=0, microsecond=0)


def _similar_q(deal: Deal) -> Q | None:
    """Deals like `deal`: same competitor, industry or segment (None: no basis)."""
    parts = []
    if deal.competitor:
        parts.append(Q(deal__competitor=deal.competitor))
    if deal.industry_id:
        parts.append(Q(deal__industry_id=deal.industry_id))
    segment = segment_for(deal.amount)
    if segment is not None:
        parts.append(segment.q("deal__"))
    if not parts:
        return None
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


def evidence_for(
    *, user, deal: Deal, exclude: set[int], now: datetime, as_of: datetime | None = None
) -> dict[int, Evidence]:
    """Per asset, aggregate counts over other deals' usage at the deal's stage.

    `as_of`: only what was known then (usages before it, deals closed before it),
    for the offline check (tests/bench/recommendations_eval.py).
    """
    closed = Q(deal__outcome__in=[DealOutcome.WON, DealOutcome.LOST])
    if as_of is not None:
        closed &= Q(deal__closed_at__lt=as_of)
    won = closed & Q(deal__outcome=DealOutcome.WON)
    similar = _similar_q(deal)
    competitor = Q(deal__competitor=deal.competitor) if deal.competitor else None
    recent = Q(created_at__gte=_quarter_start(now))
    nothing = Q(pk__in=[])

    def deals(condition: Q) -> Count:
        return Count("deal", distinct=True, filter=condition)

    usages = Usage.objects.filter(stage_id=deal.stage_id)
    if as_of is not None:
        usages = usages.filter(created_at__lt=as_of)
    rows = (
        usages.exclude(deal_id=deal.pk)
        .exclude(asset_id__in=exclude)
        .filter(asset__in=Asset.objects.visible_to(user).published().values("pk"))
        .order_by()
        .values("asset_id")
        .annotate(
            n=deals(closed),
            won=deals(won),
            n_similar=deals(closed & similar if similar else nothing),
            won_similar=deals(won & similar if similar else nothing),
            n_competitor=deals(closed & competitor if competitor else nothing),
            won_competitor=deals(won & competitor if competitor else nothing),
            recent_similar=deals(recent & similar if similar else recent),
        )
    )
    return {
        row.pop("asset_id"): Evidence(**row)
        for row in rows.values(
            "asset_id",
            "n",
            "won",
            "n_similar",
            "won_similar",
            "n_competitor",
            "won_competitor",
            "recent_similar",
        )
    }


def stage_reach(*, deal: Deal, as_of: datetime | None = None) -> Reach:
    """Closed deals (other than this one) that reached the deal's stage: those
    closed at it or at a later one; 1 query. (The dashboard also counts a use
    at a later stage; a deal's closing stage is its furthest in practice.)"""
    closed = Deal.objects.filter(
        outcome__in=[DealOutcome.WON, DealOutcome.LOST],
        stage__order__gte=deal.stage.order,
    ).exclude(pk=deal.pk)
    if as_of is not None:
        closed = closed.filter(closed_at__lt=as_of)
    won = Q(outcome=DealOutcome.WON)
    against = Q(competitor=deal.competitor)
    figures = closed.order_by().aggregate(
        n=Count("pk"),
        won=Count("pk", filter=won),
        n_competitor=Count("pk", filter=against),
        won_competitor=Count("pk", filter=won & against),
    )
    competitor = None
    if deal.competitor:
        competitor = Side(figures["won_competitor"], figures["n_competitor"])
    return Reach(Side(figures["won"], figures["n"]), competitor)


def stage_base_rate(evidence: dict[int, Evidence]) -> float:
    """The prior's mean: the win rate over the stage's closed usage (Laplace)."""
    closed_n = sum(e.n for e in evidence.values())
    return (sum(e.won for e in evidence.values()) + 1) / (closed_n + 2)


def rank(evidence: dict[int, Evidence], reach: Reach | None = None) -> list[int]:
    """Asset ids, best first (see the module's docstring); without `reach`, by
    the Beta score alone."""
    base_rate = stage_base_rate(evidence)
    level = settings.WINGMAN_EVIDENCE_LEVEL

    def key(pk: int) -> tuple:
        low = evidence[pk].effect_low(reach, level) if reach is not None else None
        return (low is None, -(low or 0.0), -evidence[pk].score(base_rate), pk)

    return sorted(evidence, key=key)


def _reasons(
    *, evidence: Evidence | None, deal: Deal, in_play: bool, is_new: bool, similar: bool
) -> list[str]:
    min_n = settings.WINGMAN_MIN_CLOSED_DEALS
    reasons = ["in the play"] if in_play else []
    if evidence is not None:
        if deal.competitor and evidence.n_competitor >= min_n:
            reasons.append(
                f"won {evidence.won_competitor} of {evidence.n_competitor} deals "
                f"against {deal.competitor} at this stage"
            )
        elif evidence.n >= min_n:
            reasons.append(f"won {evidence.won} of {evidence.n} deals at this stage")
        if evidence.recent_similar >= RECENT_MIN:
            what = "similar deals" if similar else "deals at this stage"
            reasons.append(f"used in {evidence.recent_similar} {what} this quarter")
    if is_new:
        reasons.append("new since you last looked")
    return reasons


def deal_workspace(*, user, deal: Deal, limit: int = LIMIT) -> Workspace:
    """The deal page's workspace: the stage's play, ticked where used, and up to
    `limit` recommendations the user may open and has not used in this deal.

    A constant number of queries whatever the library's size (about seven).
    """
    now = timezone.now()
    play = play_for_stage(user=user, stage=deal.stage)
    used_ids = set(
        Usage.objects.filter(deal=deal)
        .order_by()
        .values_list("asset_id", flat=True)
        .distinct()
    )
    evidence = evidence_for(user=user, deal=deal, exclude=used_ids, now=now)
    base_rate = stage_base_rate(evidence)
    seen_at = getattr(user, "last_seen_news_at", None) or now - timedelta(days=NEW_DAYS)
    play_ids = [i for i in play.asset_ids if i not in used_ids]
    ranked = rank(evidence, stage_reach(deal=deal))
    wanted = play_ids + [pk for pk in ranked if pk not in play_ids]
    new_assets = list(
        Asset.objects.visible_to(user)
        .published()
        .filter(stages=deal.stage, published_at__gt=seen_at)
        .exclude(pk__in=used_ids)
        .order_by("-published_at")
        .values_list("pk", flat=True)[:limit]
    )
    # Room for something new once the play and the evidence have spoken.
    picked = wanted[: max(limit - len(new_assets), len(play_ids), limit - 1)]
    picked += [pk for pk in new_assets if pk not in picked]
    picked = picked[:limit]
    if len(picked) < limit:
        picked += [pk for pk in wanted if pk not in picked][: limit - len(picked)]
    assets = (
        Asset.objects.visible_to(user)
        .published()
        .select_related("current_version")
        .in_bulk(picked)
    )
    similar = _similar_q(deal) is not None
    new_set = set(new_assets)
    recommendations = [
        Recommendation(
            asset=assets[pk],
            in_play=pk in play_ids,
            score=evidence[pk].score(base_rate) if pk in evidence else 0.0,
            reasons=_reasons(
                evidence=evidence.get(pk),
                deal=deal,
                in_play=pk in play_ids,
                is_new=pk in new_set,
                similar=similar,
            ),
        )
        for pk in picked
        if pk in assets
    ]
    return Workspace(
        deal=deal, play=play, used_ids=used_ids, recommendations=recommendations
    )

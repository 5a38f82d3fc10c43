"""The statistics behind "does this asset help win?": pure Python, no queries.

For an asset A used at a stage S the question is not "do deals that used A win
more than all deals?" (late stages win more whatever is used, so every
late-stage asset would look good) but "do deals that used A at S win more than
deals that reached S and did not use A?". Each side is a proportion of won
deals; the effect is their difference, with an interval so that small numbers
say "we cannot tell" instead of a confident-looking figure.

The interval is Newcombe's hybrid score interval (his method 10, 1998) for the
difference of two independent proportions: two Wilson intervals combined. It
behaves at 0 % and 100 % and at small n, where the textbook normal interval
does not. Over several stages the per-stage differences are combined with the
users' stage mix as weights, and the interval by the same "square and add the
distances" rule (MOVER, Zou & Donner 2008) that Newcombe's method is a case of.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from statistics import NormalDist
from typing import TypeVar

T = TypeVar("T")


class Verdict(StrEnum):
    HELPS = "helps"
    NO_CLEAR_EFFECT = "no clear effect"
    HURTS = "hurts"
    TOO_FEW = "too few deals"

    @property
    def slug(self) -> str:
        """For CSS classes and CSV/API consumers that prefer no spaces."""
        return self.value.replace(" ", "-")


# The order a list sorted by evidence shows verdicts in, when lower bounds tie
# (too few deals have no bound and go last).
VERDICT_RANK = {
    Verdict.HELPS: 0,
    Verdict.NO_CLEAR_EFFECT: 1,
    Verdict.HURTS: 2,
    Verdict.TOO_FEW: 3,
}


def z_for(level: float) -> float:
    """The two-sided normal quantile of a confidence level (0.90 -> 1.645)."""
    if not 0 < level < 1:
        raise ValueError(f"The interval's level must be between 0 and 1: {level}")
    return NormalDist().inv_cdf(1 - (1 - level) / 2)


def wilson(won: int, n: int, z: float) -> tuple[float, float]:
    """Wilson's score interval for won / n (0..1 when n is 0)."""
    if n <= 0:
        return 0.0, 1.0
    if not 0 <= won <= n:
        raise ValueError(f"won must be between 0 and n: {won} of {n}")
    p = won / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # Rounding can push the bounds a hair past p at 0 % and 100 %.
    return max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))


@dataclass(frozen=True)
class Side:
    """Closed deals on one side of a comparison, and how many were won."""

    won: int
    closed: int

    @property
    def rate(self) -> float | None:
        return self.won / self.closed if self.closed else None


@dataclass(frozen=True)
class Effect:
    """The win-rate difference (users minus the comparison), in 0..1 units."""

    used: Side
    others: Side
    difference: float | None
    low: float | None
    high: float | None
    verdict: Verdict
    level: float
    # True when the range is clear of zero but the effect did not stand out
    # once the number of assets compared is allowed for (`adjust_for_many`).
    adjusted: bool = False

    @property
    def points(self) -> float | None:
        """The difference in percentage points, as people read it."""
        return None if self.difference is None else self.difference * 100

    @property
    def low_points(self) -> float | None:
        return None if self.low is None else self.low * 100

    @property
    def high_points(self) -> float | None:
        return None if self.high is None else self.high * 100

    @property
    def sort_key(self) -> tuple[int, float, int]:
        """Best evidence first: the highest lower bound, then the most deals."""
        low = -math.inf if self.low is None else self.low
        return (0 if self.low is not None else 1, -low, -self.used.closed)


def newcombe(used: Side, others: Side, z: float) -> tuple[float, float, float]:
    """(difference, low, high) of used.rate - others.rate; both sides need deals."""
    p1, p2 = used.won / used.closed, others.won / others.closed
    l1, u1 = wilson(used.won, used.closed, z)
    l2, u2 = wilson(others.won, others.closed, z)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, low, high


def verdict_of(low: float, high: float) -> Verdict:
    if low > 0:
        return Verdict.HELPS
    if high < 0:
        return Verdict.HURTS
    return Verdict.NO_CLEAR_EFFECT


def compare(
    used: Side, others: Side, *, level: float = 0.90, min_deals: int = 10
) -> Effect:
    """One stage: deals that used the asset against those that reached the
    stage without it. Fewer than `min_deals` closed deals on either side: too
    few deals, and no figure at all (a figure would be read as a finding)."""
    return combine([(used, others)], level=level, min_deals=min_deals)


def combine(
    strata: Sequence[tuple[Side, Side]] | Iterable[tuple[Side, Side]],
    *,
    level: float = 0.90,
    min_deals: int = 10,
) -> Effect:
    """Several stages at once: each stage's difference weighted by how many of
    the asset's deals it holds (each deal sits in one stage only), so the
    comparison at each stage stays like with like.

    Stages where either side has no closed deal cannot be compared and are
    left out. The verdict needs `min_deals` on each side over the stages kept.
    """
    z = z_for(level)
    strata = list(strata)
    kept = [(u, o) for u, o in strata if u.closed > 0 and o.closed > 0]
    # With nothing to compare, the n on each side is still told.
    told = kept or strata
    used = Side(sum(u.won for u, _ in told), sum(u.closed for u, _ in told))
    others = _main_others(told)
    if used.closed < min_deals or others.closed < min_deals:
        return Effect(used, others, None, None, None, Verdict.TOO_FEW, level)
    total = used.closed
    difference = below = above = 0.0
    for u, o in kept:
        weight = u.closed / total
        d, low, high = newcombe(u, o, z)
        difference += weight * d
        below += (weight * (d - low)) ** 2
        above += (weight * (high - d)) ** 2
    low, high = difference - math.sqrt(below), difference + math.sqrt(above)
    return Effect(used, others, difference, low, high, verdict_of(low, high), level)


def _main_others(kept: list[tuple[Side, Side]]) -> Side:
    """The comparison at the stage holding most of the asset's deals.

    A deal that reached three stages is in the comparison of all three, so the
    sides of several stages cannot be added up without counting it thrice: the
    main stage's comparison is the n shown, and decides whether there is
    enough to compare.
    """
    if not kept:
        return Side(0, 0)
    return max(kept, key=lambda pair: pair[0].closed)[1]


def naive_lift(used: Side, everyone: Side) -> float | None:
    """Today's lift: the users' win rate minus everyone's (for the bench)."""
    if not used.closed or not everyone.closed:
        return None
    return used.won / used.closed - everyone.won / everyone.closed


def sort_effects(items: Iterable[T], key: Callable[[T], Effect]) -> list[T]:
    """Items ordered by their effect's evidence (see `Effect.sort_key`)."""
    return sorted(items, key=lambda item: key(item).sort_key)


def _one_sided_p(effect: Effect) -> tuple[float, float]:
    """(p that it does not help, p that it does not hurt), from the interval:
    each side's distance to the estimate is z standard errors."""
    z = z_for(effect.level)
    d, low, high = effect.difference, effect.low, effect.high
    normal = NormalDist()
    below = (d - low) / z if d - low > 0 else 1e-12
    above = (high - d) / z if high - d > 0 else 1e-12
    return 1 - normal.cdf(d / below), normal.cdf(d / above)


def adjust_for_many(effects: Mapping[T, Effect]) -> dict[T, Effect]:
    """Keep "helps" and "hurts" only where they stand out among all the assets
    compared (Benjamini–Hochberg, each side at half the interval's miss rate).

    Judged one by one at 90 %, about 1 in 20 assets without any effect would
    show "helps" by luck; over a library of thousands that is hundreds of
    false leads. This keeps the expected share of flukes among the "helps"
    (and among the "hurts") at 5 %, and leaves the ranges as they are.
    """
    judged = {k: e for k, e in effects.items() if e.verdict is not Verdict.TOO_FEW}
    if not judged:
        return dict(effects)
    q = (1 - next(iter(judged.values())).level) / 2
    p_help, p_hurt = {}, {}
    for key, effect in judged.items():
        p_help[key], p_hurt[key] = _one_sided_p(effect)
    keep = _benjamini_hochberg(p_help, q) | _benjamini_hochberg(p_hurt, q)
    result = dict(effects)
    for key, effect in judged.items():
        if effect.verdict in (Verdict.HELPS, Verdict.HURTS) and key not in keep:
            result[key] = replace(
                effect, verdict=Verdict.NO_CLEAR_EFFECT, adjusted=True
            )
    return result


def _benjamini_hochberg(p_values: Mapping[T, float], q: float) -> set[T]:
    ranked = sorted(p_values, key=p_values.__getitem__)
    m = len(ranked)
    cut = 0
    for rank, key in enumerate(ranked, start=1):
        if p_values[key] <= rank / m * q:
            cut = rank
    return set(ranked[:cut])

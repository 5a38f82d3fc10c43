"""Reciprocal-rank fusion: one ranking from several, by rank alone.

score(d) = sum over rankings of weight / (k + rank of d), rank from 1. Ranks,
not scores, so a BM25-like keyword score and a cosine never have to be put on
one scale; k = 60 is the constant of Cormack, Clarke and Büttcher (2009).
"""

from __future__ import annotations

from collections.abc import Sequence

RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]],
    *,
    weights: Sequence[float] | None = None,
    k: int = RRF_K,
) -> list[int]:
    """Ids of every ranking, best fused score first; ties keep first-seen order."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    order = {item: position for position, item in enumerate(scores)}
    return sorted(scores, key=lambda item: (-scores[item], order[item]))

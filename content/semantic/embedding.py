"""Writes for semantic search: an asset's SearchChunk rows and their vectors.

Run by the task queue (content.tasks.asset_embed) whenever an asset's search
text changes (created, edited, a new version, its preview's text), by
`manage.py reindex_search`, and by `seed_demo`. Every write bumps the vector
version, which tells each worker's index to reload (content.semantic.index).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction

from content.models import Asset, SearchChunk
from content.semantic.chunking import asset_pieces
from content.semantic.encoders import Encoder, get_encoder, to_bytes

VECTORS_VERSION_KEY = "wingman:search-vectors-version"


def vectors_version() -> int:
    """Changes whenever any vector changes; shared by every worker (the cache)."""
    version = cache.get(VECTORS_VERSION_KEY)
    if version is None:
        # Evicted or new: a never-used number, so every index reloads once.
        cache.add(VECTORS_VERSION_KEY, time.time_ns() // 1_000_000, None)
        version = cache.get(VECTORS_VERSION_KEY)
    return int(version) if version is not None else 0


def vectors_version_bump() -> None:
    try:
        cache.incr(VECTORS_VERSION_KEY)
    except ValueError:
        cache.set(VECTORS_VERSION_KEY, time.time_ns() // 1_000_000, None)


def asset_embed(
    *, asset_id: int, encoder: Encoder | None = None, bump: bool = True
) -> int:
    """(Re)write the chunks of one asset; returns how many it has now.

    Every asset gets chunks, drafts and internal ones too: who may find what
    is decided at query time by the same filter as keyword search.
    """
    encoder = encoder or get_encoder()
    asset = Asset.objects.select_related("current_version").filter(pk=asset_id).first()
    if asset is None:
        return 0
    pieces = asset_pieces(asset)
    vectors = encoder.encode([piece.text for piece in pieces])
    rows = [
        SearchChunk(
            asset_id=asset.pk,
            ordinal=ordinal,
            page=piece.page,
            page_label=piece.page_label,
            text=piece.text,
            vector=to_bytes(vector),
            encoder=encoder.name,
        )
        for ordinal, (piece, vector) in enumerate(zip(pieces, vectors, strict=True))
    ]
    with transaction.atomic():
        SearchChunk.objects.filter(asset_id=asset.pk).delete()
        SearchChunk.objects.bulk_create(rows, batch_size=200)
        if bump:
            transaction.on_commit(vectors_version_bump)
    return len(rows)


def assets_embed(
    ids: Iterable[int], *, progress: Callable[[int], None] | None = None
) -> int:
    """Embed many assets with one encoder; returns the chunks written.

    A transaction per batch (SQLite syncs the disk once per commit, not once
    per asset) and one version bump at the end.
    """
    encoder = get_encoder()
    ids = list(ids)
    total = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with transaction.atomic():
            for asset_id in batch:
                total += asset_embed(asset_id=asset_id, encoder=encoder, bump=False)
        if progress is not None:
            progress(len(batch))
    vectors_version_bump()
    return total


BATCH = 100


def assets_missing_vectors() -> list[int]:
    """Assets with no chunk of the encoder in use (new, or a switched encoder)."""
    embedded = SearchChunk.objects.filter(encoder=get_encoder().name).values("asset_id")
    return list(
        Asset.objects.exclude(pk__in=embedded)
        .order_by("pk")
        .values_list("pk", flat=True)
    )

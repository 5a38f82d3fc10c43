"""An approximate nearest-neighbour index of the chunk vectors, on disk.

At a full library's size (hundreds of thousands of chunks) the exact scan of
content.semantic.index holds every vector in every worker and reads them all
per search. Instead, the task worker (or `reindex_search`, or `seed_scale`)
builds a usearch HNSW graph of int8-quantised vectors from the database rows,
saves it in WINGMAN_SEARCH_INDEX_DIR, and each web worker memory-maps it
(`Index.restore(view=True)`): one copy in the page cache, shared by every
worker, read only where a search walks the graph.

The database stays the only lasting copy: the files can be deleted at any
time (searches fall back to the exact scan) and are rebuilt from the rows.
Chunks written after a build are found by an exact scan of the rows newer than
it (content.semantic.index), and a build starts again once those pass
REBUILD_FRACTION of the index.

Files, per database and encoder (two sites or the benchmark's databases can
share the directory): `<key>.json` names the current build, whose graph is
`<key>-<build>.usearch` and chunk and asset ids `<key>-<build>-ids.npy`. A
build writes its files first and the manifest last (an atomic rename), so a
worker never sees half a build; a worker still reading an older build keeps
its mapping after the files are removed.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.cache import cache

from content.models import SearchChunk
from content.semantic.encoders import Encoder, from_bytes

logger = logging.getLogger(__name__)

# Graph parameters: 16 links a node and a wider search than usearch's default,
# since a search asks for a few hundred chunks (SEMANTIC_CANDIDATES assets,
# oversampled). int8: a quarter of float32's memory, and the recall the
# evaluation set needs (docs/search.md).
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 128
QUANTISATION = "i8"
ADD_BATCH = 20_000
# A new build once the rows newer than the index (scanned exactly on every
# search) pass this share of it.
REBUILD_FRACTION = 0.10
BUILD_LOCK_SECONDS = 3600


@dataclass(frozen=True)
class AnnHit:
    asset_id: int
    chunk_id: int
    score: float


class AnnIndex:
    """A build on disk: the graph (keys are chunk ids) and the chunk -> asset map."""

    def __init__(self, *, build: str, graph, ids: np.ndarray, max_chunk_id: int):
        self.build = build
        self.graph = graph
        # ids[0]: chunk ids, ascending; ids[1]: their assets.
        self.ids = ids
        self.max_chunk_id = max_chunk_id

    def __len__(self) -> int:
        return int(self.ids.shape[1])

    def nearest(
        self, query: np.ndarray, *, chunks: int, assets: int, skip: np.ndarray
    ) -> list[AnnHit]:
        """Up to `assets` assets among the ~`chunks` nearest chunks, each with
        its nearest chunk, best first (approximate); none of the `skip` assets."""
        if not len(self) or chunks <= 0:
            return []
        found = self.graph.search(
            np.asarray(query, dtype=np.float32), min(chunks, len(self))
        )
        keys = np.asarray(found.keys, dtype=np.int64)
        positions = np.minimum(np.searchsorted(self.ids[0], keys), len(self) - 1)
        owners = np.asarray(self.ids[1])[positions]
        distances = np.asarray(found.distances)
        live = ~np.isin(owners, skip)
        keys, owners, distances = keys[live], owners[live], distances[live]
        # Best first already: each asset's first row is its nearest chunk.
        _, first = np.unique(owners, return_index=True)
        first = np.sort(first)[:assets]
        return [
            AnnHit(int(owners[i]), int(keys[i]), 1.0 - float(distances[i]))
            for i in first
        ]


def index_dir() -> Path:
    return Path(settings.WINGMAN_SEARCH_INDEX_DIR)


def _key(encoder: Encoder) -> str:
    # The database's identity (settings.CACHE_KEY_PREFIX) and the encoder.
    return f"{settings.CACHE_KEY_PREFIX}-{encoder.name}"


def manifest_path(encoder: Encoder) -> Path:
    return index_dir() / f"{_key(encoder)}.json"


def read_manifest(encoder: Encoder) -> dict | None:
    try:
        return json.loads(manifest_path(encoder).read_text())
    except (OSError, ValueError):
        return None


def open_index(encoder: Encoder, manifest: dict | None = None) -> AnnIndex | None:
    """The current build, memory-mapped; None when there is none (or it is
    unreadable: the caller scans the rows exactly)."""
    from usearch.index import Index

    manifest = manifest or read_manifest(encoder)
    if not manifest or manifest.get("dim") != encoder.dim:
        return None
    base = index_dir() / f"{_key(encoder)}-{manifest['build']}"
    try:
        graph = Index.restore(str(base) + ".usearch", view=True)
        ids = np.load(str(base) + "-ids.npy", mmap_mode="r")
    except (OSError, ValueError, RuntimeError):
        logger.warning("Search index %s unreadable: exact scan", base, exc_info=True)
        return None
    if graph is None:
        return None
    graph.expansion_search = EXPANSION_SEARCH
    return AnnIndex(
        build=manifest["build"],
        graph=graph,
        ids=ids,
        max_chunk_id=int(manifest["max_chunk_id"]),
    )


def build_index(encoder: Encoder, *, threads: int = 0) -> dict | None:
    """Build, save and publish a new index of every row of `encoder`; returns
    its manifest (None when there are no rows). Reads the rows in batches, so
    the builder holds the int8 graph, not every float32 vector."""
    from usearch.index import Index

    started = time.monotonic()
    graph = Index(
        ndim=encoder.dim,
        metric="cos",
        dtype=QUANTISATION,
        connectivity=CONNECTIVITY,
        expansion_add=EXPANSION_ADD,
        expansion_search=EXPANSION_SEARCH,
    )
    rows = (
        SearchChunk.objects.filter(encoder=encoder.name)
        .order_by("id")
        .values_list("id", "asset_id", "vector")
    )
    width = encoder.dim * 4
    chunk_ids: list[int] = []
    asset_ids: list[int] = []
    batch_keys: list[int] = []
    batch_vectors: list[np.ndarray] = []

    def flush() -> None:
        if batch_keys:
            graph.add(
                np.asarray(batch_keys, dtype=np.uint64),
                np.vstack(batch_vectors),
                threads=threads,
            )
            batch_keys.clear()
            batch_vectors.clear()

    for chunk_id, asset_id, vector in rows.iterator(chunk_size=2000):
        if len(vector) != width:
            continue
        chunk_ids.append(chunk_id)
        asset_ids.append(asset_id)
        batch_keys.append(chunk_id)
        batch_vectors.append(from_bytes(vector))
        if len(batch_keys) >= ADD_BATCH:
            flush()
    flush()
    if not chunk_ids:
        return None
    folder = index_dir()
    folder.mkdir(parents=True, exist_ok=True)
    build = f"{time.time_ns():x}"
    base = folder / f"{_key(encoder)}-{build}"
    graph.save(str(base) + ".usearch")
    np.save(str(base) + "-ids.npy", np.array([chunk_ids, asset_ids], dtype=np.int64))
    manifest = {
        "build": build,
        "encoder": encoder.name,
        "dim": encoder.dim,
        "count": len(chunk_ids),
        "max_chunk_id": max(chunk_ids),
        "seconds": round(time.monotonic() - started, 1),
    }
    path = manifest_path(encoder)
    partial = path.with_suffix(".json.partial")
    partial.write_text(json.dumps(manifest))
    partial.replace(path)
    _remove_old_builds(encoder, keep=build)
    return manifest


def _remove_old_builds(encoder: Encoder, *, keep: str) -> None:
    for path in index_dir().glob(f"{_key(encoder)}-*"):
        if f"-{keep}" not in path.name:
            path.unlink(missing_ok=True)


def remove_index(encoder: Encoder) -> None:
    """Back to the exact scan (the rows stay)."""
    manifest_path(encoder).unlink(missing_ok=True)
    _remove_old_builds(encoder, keep="\0")


def rebuild_due(encoder: Encoder) -> bool:
    """Whether the rows written since the current build (or, with none, all
    rows) call for a new build: two cheap queries on (encoder, id)."""
    manifest = read_manifest(encoder)
    indexed = int(manifest["count"]) if manifest else 0
    base = int(manifest["max_chunk_id"]) if manifest else 0
    newer = SearchChunk.objects.filter(encoder=encoder.name, id__gt=base).count()
    return wants_rebuild(indexed=indexed, newer=newer)


def wants_rebuild(*, indexed: int, newer: int) -> bool:
    """Whether the rows newer than the index (`newer`) call for a new build."""
    if indexed == 0:
        return newer >= settings.WINGMAN_SEARCH_INDEX_MIN_CHUNKS
    return newer > max(REBUILD_FRACTION * indexed, 1000)


def _lock_key(encoder: Encoder) -> str:
    return f"wingman:search-index-build:{encoder.name}"


def claim_build(encoder: Encoder) -> bool:
    """One build at a time (enqueued by whichever task noticed first)."""
    return cache.add(_lock_key(encoder), 1, BUILD_LOCK_SECONDS)


def release_build(encoder: Encoder) -> None:
    cache.delete(_lock_key(encoder))

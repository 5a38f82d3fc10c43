"""Nearest neighbours over every chunk's vector, in each worker's memory.

The index is a float32 matrix of all chunk vectors of the encoder in use, read
from the database (SearchChunk) and searched by one matrix-vector product: at
the demo's and a mid-size library's scale (tens of thousands of chunks) that
is a few milliseconds, with no extra service. It is never the only copy: each
worker checks the shared vector version (one cache read per search) and, when
another process wrote vectors, reads the new rows (`refreshed`), so no restart
is needed.

Past WINGMAN_SEARCH_INDEX_MIN_CHUNKS a library gets an approximate index on
disk (content.semantic.ann, built by the task worker, memory-mapped here): the
exact scan then covers only the rows written since that build, and the
index's hits of assets written again since are dropped (their new rows are in
the scan). Without the file, the scan covers every row.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from content.models import SearchChunk
from content.semantic.ann import AnnIndex, open_index, read_manifest
from content.semantic.embedding import vectors_version
from content.semantic.encoders import Encoder, get_encoder

# How many chunks are read per asset wanted: an asset has several near chunks.
OVERSAMPLE = 6


@dataclass(frozen=True)
class Hit:
    asset_id: int
    chunk_id: int
    score: float


class VectorIndex:
    def __init__(
        self,
        *,
        encoder_name: str,
        version: int,
        chunk_ids: np.ndarray,
        asset_ids: np.ndarray,
        matrix: np.ndarray,
        base: int = 0,
    ) -> None:
        # The rows read are those with an id above `base` (an ANN build's last).
        self.base = base
        self.encoder_name = encoder_name
        self.version = version
        self.chunk_ids = chunk_ids
        self.asset_ids = asset_ids
        self.matrix = matrix

    def __len__(self) -> int:
        return len(self.chunk_ids)

    @property
    def nbytes(self) -> int:
        return self.matrix.nbytes + self.chunk_ids.nbytes + self.asset_ids.nbytes

    @classmethod
    def load(cls, encoder: Encoder, version: int, *, base: int = 0) -> VectorIndex:
        chunk_ids, asset_ids, matrix = _read(encoder, after=base)
        return cls(
            base=base,
            encoder_name=encoder.name,
            version=version,
            chunk_ids=chunk_ids,
            asset_ids=asset_ids,
            matrix=matrix,
        )

    def refreshed(self, encoder: Encoder, version: int) -> VectorIndex:
        """This index with the vectors written since it was read.

        An asset's chunks are always deleted and written again together, with
        new, higher ids: the rows past the highest id read so far replace every
        older row of their assets. Should the count then differ from the
        database's (a deleted asset, a transaction that committed out of id
        order), the whole index is read again.
        """
        last = int(self.chunk_ids.max()) if len(self) else self.base
        chunk_ids, asset_ids, matrix = _read(encoder, after=last)
        stale = np.isin(self.asset_ids, asset_ids)
        fresh = VectorIndex(
            base=self.base,
            encoder_name=encoder.name,
            version=version,
            chunk_ids=np.concatenate([self.chunk_ids[~stale], chunk_ids]),
            asset_ids=np.concatenate([self.asset_ids[~stale], asset_ids]),
            matrix=np.concatenate([self.matrix[~stale], matrix]),
        )
        rows = SearchChunk.objects.filter(encoder=encoder.name, id__gt=self.base)
        if len(fresh) != rows.count():
            return VectorIndex.load(encoder, version, base=self.base)
        return fresh

    def nearest(self, query: np.ndarray, *, assets: int) -> list[Hit]:
        """The `assets` nearest assets, each with its nearest chunk, best first."""
        if not len(self) or assets <= 0:
            return []
        scores = self.matrix @ np.asarray(query, dtype=np.float32)
        take = min(len(scores), assets * OVERSAMPLE)
        top = np.argpartition(-scores, take - 1)[:take]
        top = top[np.argsort(-scores[top], kind="stable")]
        hits: list[Hit] = []
        seen: set[int] = set()
        for position in top:
            asset_id = int(self.asset_ids[position])
            if asset_id in seen:
                continue
            seen.add(asset_id)
            hits.append(
                Hit(asset_id, int(self.chunk_ids[position]), float(scores[position]))
            )
            if len(hits) >= assets:
                break
        return hits


def _read(encoder: Encoder, *, after: int = 0):
    """(chunk ids, asset ids, matrix) of the encoder's chunks with id > after."""
    rows = (
        SearchChunk.objects.filter(encoder=encoder.name, id__gt=after)
        .order_by("id")
        .values_list("id", "asset_id", "vector")
    )
    chunk_ids: list[int] = []
    asset_ids: list[int] = []
    data = bytearray()
    width = encoder.dim * 4
    for chunk_id, asset_id, vector in rows.iterator(chunk_size=2000):
        if len(vector) != width:  # written by another size of the same name
            continue
        chunk_ids.append(chunk_id)
        asset_ids.append(asset_id)
        data += vector
    matrix = np.frombuffer(bytes(data), dtype="<f4").reshape(-1, encoder.dim)
    return (
        np.asarray(chunk_ids, dtype=np.int64),
        np.asarray(asset_ids, dtype=np.int64),
        np.ascontiguousarray(matrix, dtype=np.float32),
    )


class SearchIndex:
    """The approximate index of a build (if any) plus the exact scan of the
    rows newer than it: what a search asks for its nearest assets."""

    def __init__(self, *, ann: AnnIndex | None, exact: VectorIndex) -> None:
        self.ann = ann
        self.exact = exact
        # Assets written again since the build: their indexed chunks are gone.
        self.rewritten = np.unique(exact.asset_ids)

    @property
    def version(self) -> int:
        return self.exact.version

    @property
    def encoder_name(self) -> str:
        return self.exact.encoder_name

    def __len__(self) -> int:
        return (len(self.ann) if self.ann else 0) + len(self.exact)

    @property
    def chunk_ids(self) -> np.ndarray:
        """The chunks scanned exactly (every chunk when there is no build)."""
        return self.exact.chunk_ids

    @property
    def asset_ids(self) -> np.ndarray:
        return self.exact.asset_ids

    @property
    def nbytes(self) -> int:
        """The worker's own memory for vectors (the mapped build is shared)."""
        return self.exact.nbytes

    def nearest(self, query: np.ndarray, *, assets: int) -> list[Hit]:
        hits = self.exact.nearest(query, assets=assets)
        if self.ann is None:
            return hits
        for hit in self.ann.nearest(
            query, chunks=assets * OVERSAMPLE, assets=assets, skip=self.rewritten
        ):
            hits.append(Hit(hit.asset_id, hit.chunk_id, hit.score))
        hits.sort(key=lambda hit: -hit.score)
        best: list[Hit] = []
        seen: set[int] = set()
        for hit in hits:
            if hit.asset_id not in seen:
                seen.add(hit.asset_id)
                best.append(hit)
                if len(best) >= assets:
                    break
        return best

    @classmethod
    def load(cls, encoder: Encoder, version: int) -> SearchIndex:
        ann = open_index(encoder)
        base = ann.max_chunk_id if ann else 0
        return cls(ann=ann, exact=VectorIndex.load(encoder, version, base=base))

    def refreshed(self, encoder: Encoder, version: int) -> SearchIndex:
        """A new build is opened; otherwise only the newer rows are read."""
        manifest = read_manifest(encoder)
        build = manifest["build"] if manifest else None
        if build != (self.ann.build if self.ann else None):
            return SearchIndex.load(encoder, version)
        return SearchIndex(ann=self.ann, exact=self.exact.refreshed(encoder, version))


_index: SearchIndex | None = None
_lock = threading.Lock()


def current_index() -> SearchIndex:
    """This worker's index, refreshed when any vector (or the build) changed."""
    global _index
    encoder = get_encoder()
    version = vectors_version()
    index = _index
    if index is None or index.version != version or index.encoder_name != encoder.name:
        with _lock:
            index = _index
            if index is None or index.encoder_name != encoder.name:
                index = _index = SearchIndex.load(encoder, version)
            elif index.version != version:
                index = _index = index.refreshed(encoder, version)
    return index


def reset() -> None:
    """Forget this worker's index (tests; the next search reads it again)."""
    global _index
    _index = None

"""The seeded library's search chunks and their vectors, in bulk.

What `asset_embed` would write for each asset (content.semantic.chunking: its
own words, each card field, the file's text in windows), with the encoder in
use. Seeded assets share most of their texts (the file text is one per topic
and industry), so each distinct text is encoded once, in large batches: the
100,000-asset library takes a minute, not the hours of one asset at a time.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from content.models import SearchChunk
from content.scale.bulk import Table, next_id
from content.semantic.chunking import CARD_FIELDS as CHUNK_FIELDS
from content.semantic.chunking import file_pieces
from content.semantic.encoders import get_encoder

CHUNK_COLUMNS = "id asset_id ordinal page page_label text vector encoder"
ENCODE_BATCH = 4096


def write_chunks(library) -> int:
    """Every seeded asset's chunks (`library`: a loaded ScaleLibrary)."""
    encoder = get_encoder()
    texts: list[list[str]] = []
    for i in range(library.n):
        title, summary, card = library.asset_words(i)
        tags = sorted(library.tag_names[t] for t in library.asset_tags[i])
        head = [title, summary, card.get("competitor", ""), *tags]
        pieces = [". ".join(part for part in head if part)]
        pieces += [card[name] for name in CHUNK_FIELDS if card.get(name)]
        pieces += [p.text for p in file_pieces(library.extract[i], page_label="")]
        texts.append([" ".join(text.split()) for text in pieces])
    distinct = list(dict.fromkeys(text for pieces in texts for text in pieces))
    vectors: dict[str, bytes] = {}
    for start in range(0, len(distinct), ENCODE_BATCH):
        batch = distinct[start : start + ENCODE_BATCH]
        encoded = np.asarray(encoder.encode(batch), dtype="<f4")
        vectors.update(zip(batch, (row.tobytes() for row in encoded), strict=True))
    first = next_id(SearchChunk)
    total = sum(len(pieces) for pieces in texts)

    def rows() -> Iterator[tuple]:
        chunk_id = first
        for i, pieces in enumerate(texts):
            for ordinal, text in enumerate(pieces):
                yield (chunk_id, i + library.a0, ordinal, None, "", text,
                       vectors[text], encoder.name)  # fmt: skip
                chunk_id += 1

    return library.writer.write(
        Table(SearchChunk, CHUNK_COLUMNS), rows(), total, "chunks"
    )

"""Meaning-based search beside the full-text index (docs/search.md).

- encoders: the small interface every embedding model sits behind, chosen by
  the WINGMAN_SEARCH_ENCODER setting;
- chunking: an asset's words and its file's text in pieces, with their page;
- embedding: the writes (SearchChunk rows), run by the task queue;
- index: nearest neighbours over the vectors, rebuilt from the database;
- fusion: reciprocal-rank fusion of the keyword and semantic rankings;
- excerpts: the highlighted words and page a result shows.
"""

import os

# One BLAS thread: a search is one matrix-vector product inside a web worker, and
# BLAS threads on top of the server's worker processes only contend for the
# cores (measured: 19 ms instead of 40 ms for 32,000 chunks on 2 busy cores).
# Set before numpy loads; an operator's own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

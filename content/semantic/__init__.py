"""Meaning-based search beside the full-text index (docs/search.md).

- encoders: the small interface every embedding model sits behind, chosen by
  the WINGMAN_SEARCH_ENCODER setting;
- chunking: an asset's words and its file's text in pieces, with their page;
- embedding: the writes (SearchChunk rows), run by the task queue;
- index: nearest neighbours over the vectors, rebuilt from the database;
- fusion: reciprocal-rank fusion of the keyword and semantic rankings;
- excerpts: the highlighted words and page a result shows.
"""

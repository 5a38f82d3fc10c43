"""Hybrid search's any-word ranking and the library's word statistics
(docs/search.md).

The every-word (keyword) match misses the rare word of a long question; the
any-word ranking catches it: the assets with any of the query's informative
words, best first. A word that most of the library has ranks nothing (its
inverse document frequency is near zero) and would cost a pass over most of
the library, so it is left out: a corpus's own stop words, found from how many
assets have each word (`word_counts`). Those counts are the same for every
viewer (they count every asset, whoever may see it, and are only compared with
a threshold, never shown), so they are cached library-wide under the content
version: a repeated word costs no query, and the words a search has not met
yet are counted together, in one query.

The ranking is the database's: BM25 over the words joined by OR on SQLite
(FTS5); on PostgreSQL, which has no BM25 and whose `ts_rank` would re-parse
every match's whole text (the index holds no positions to rank from), the sum
of the matched words' inverse document frequencies, each word's matches read
from the GIN index, then the Bayesian rating.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection

from content.caching import keys
from content.caching.release import release
from content.models import Asset, AssetStatus
from content.search_index import FTS_TABLE
from content.selectors.search import SEARCH_CONFIG, parse_query

ANY_WORD_CANDIDATES = 60
# A word in more than this share of the library (and more than the floor of
# assets) is left out of the any-word ranking: at full size that is thousands
# of matches, each scored (BM25 has no shortcut past them), whose order among
# themselves adds little to the meaning ranking; the rare word, the ranking's
# reason to be, is far below it. (10% cost 8 ms a search at 100,000 assets,
# up to 60 ms on seed_scale's topic words; docs/search.md.)
ANY_WORD_COMMON_SHARE = 0.02
ANY_WORD_COMMON_FLOOR = 1000
# The GIN index whose planner statistics give PostgreSQL's word shares.
SEARCH_GIN_INDEX = "content_asset_search_gin"
# The count of a word the database's text configuration drops (PostgreSQL's
# English stop words): matching it would walk the whole GIN index for nothing.
STOP_WORD = -1
# The cached counts start again past this many words (a few hundred KB).
MAX_WORDS_CACHED = 20_000


@dataclass(frozen=True)
class WordCounts:
    """How many assets the library has (`size`) and how many have each word,
    counted up to `limit` + 1 (a larger count is as common as that)."""

    size: int
    counts: dict[str, int]

    @property
    def limit(self) -> int:
        return max(ANY_WORD_COMMON_FLOOR, int(ANY_WORD_COMMON_SHARE * self.size))

    def is_common(self, word: str) -> bool:
        count = self.counts.get(word, 0)
        if count == STOP_WORD:
            return True
        return self.size > self.limit and count > self.limit

    def idf(self, word: str) -> float:
        """BM25's inverse document frequency of `word` (never below zero)."""
        have = min(self.counts.get(word, 0), self.size)
        return math.log((self.size - have + 0.5) / (have + 0.5) + 1)


def informative_words(words: list[str]) -> list[str]:
    """`words` (each once) without those in over ANY_WORD_COMMON_SHARE of a
    library past ANY_WORD_COMMON_FLOOR assets."""
    words = list(dict.fromkeys(words))
    if not words:
        return []
    stats = word_counts(words)
    return [word for word in words if not stats.is_common(word)]


def word_counts(words: list[str]) -> WordCounts:
    """The library's size and each word's count: from the cache, and for the
    words not in it, from one query (then cached)."""
    key = f"wingman:{keys.SEARCH_WORDS.name}:{release()}:v{keys.content_version()}"
    # One entry for every word met (a file cache lists its directory on every
    # write: one write a search at most, and none once its words are known).
    known = cache.get(key)
    if not isinstance(known, WordCounts) or len(known.counts) > MAX_WORDS_CACHED:
        known = None
    missing = [word for word in words if known is None or word not in known.counts]
    if not missing and known is not None:
        return known
    size, fresh = _count_words(missing)
    counts = {**(known.counts if known is not None else {}), **fresh}
    known = WordCounts(size, counts)
    cache.set(key, known, keys.SEARCH_WORDS.seconds)
    return known


def _count_words(words: list[str]) -> tuple[int, dict[str, int]]:
    if connection.vendor == "sqlite":
        return _sqlite_counts(words)
    if connection.vendor == "postgresql":
        return _postgres_counts(words)
    return 0, dict.fromkeys(words, 0)  # no full-text index: every word counts


def _sqlite_counts(words: list[str]) -> tuple[int, dict[str, int]]:
    """One statement: the FTS table's size, and per word its matches read from
    the index up to the limit + 1 (the limit follows from the size)."""
    count = (
        f"(SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} "  # noqa: S608 - our constants
        f"WHERE {FTS_TABLE} MATCH %s LIMIT (SELECT n FROM bound)))"
    )
    sql = (
        f"WITH size(n) AS (SELECT coalesce(max(rowid), 0) FROM {FTS_TABLE}), "  # noqa: S608 - our constants
        "bound(n) AS (SELECT max(%s, CAST(%s * n AS INTEGER)) + 1 FROM size) "
        f"SELECT (SELECT n FROM size){''.join(', ' + count for _ in words)}"
    )
    params = [ANY_WORD_COMMON_FLOOR, ANY_WORD_COMMON_SHARE]
    params += ['"' + word.replace('"', "") + '"' for word in words]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return int(row[0] or 0), dict(zip(words, map(int, row[1:]), strict=True))


# The share of each word's lexeme in the planner's statistics of the GIN index
# (most common elements, gathered by ANALYZE and autovacuum): no scan at all.
# A word not listed is rarer than every listed one. Before the first ANALYZE
# there are no statistics and the size is 0: every word counts.
POSTGRES_WORD_SHARES = """
WITH stats AS (
    SELECT unnest(most_common_elems::text::text[]) AS lexeme,
           unnest(most_common_elem_freqs) AS share
    FROM pg_stats WHERE schemaname = current_schema() AND tablename = %s
)
SELECT w.word, coalesce(max(stats.share), 0),
       (SELECT greatest(reltuples, 0) FROM pg_class
        WHERE oid = 'content_asset'::regclass),
       numnode(plainto_tsquery(%s::regconfig, w.word)) = 0
FROM unnest(%s::text[]) AS w(word)
LEFT JOIN stats
  ON stats.lexeme = ANY(tsvector_to_array(to_tsvector(%s::regconfig, w.word)))
GROUP BY w.word
"""
POSTGRES_SIZE = "SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = %s::regclass"


def _postgres_counts(words: list[str]) -> tuple[int, dict[str, int]]:
    with connection.cursor() as cursor:
        if not words:
            cursor.execute(POSTGRES_SIZE, [Asset._meta.db_table])
            return int(cursor.fetchone()[0]), {}
        cursor.execute(
            POSTGRES_WORD_SHARES,
            [SEARCH_GIN_INDEX, SEARCH_CONFIG, words, SEARCH_CONFIG],
        )
        rows = cursor.fetchall()
    size = int(rows[0][2]) if rows else 0
    return size, {
        word: STOP_WORD if dropped else round(share * size)
        for word, share, _, dropped in rows
    }


def any_word_ranked(query: str) -> list[int]:
    """Published assets with any of the query's informative words, best first
    (up to ANY_WORD_CANDIDATES; not yet filtered by who may see them)."""
    from content.semantic.excerpts import query_words

    words = informative_words(query_words(parse_query(query).include))
    if not words:
        return []
    if connection.vendor == "sqlite":
        expression = " OR ".join('"' + word.replace('"', "") + '"' for word in words)
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_ANY_WORD, [expression, ANY_WORD_CANDIDATES])
            return [row[0] for row in cursor.fetchall()]
    if connection.vendor == "postgresql":
        return _postgres_any_word(words, word_counts(words))
    return []


SQLITE_ANY_WORD = (
    f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608 - our constants
    "ORDER BY rank LIMIT %s"
)


def _postgres_any_word(words: list[str], stats: WordCounts) -> list[int]:
    """Each word's published matches from the GIN index (a bitmap scan a word,
    no text parsed), summed by inverse document frequency.

    A lateral join over the words, not a UNION of one scan a word: PostgreSQL
    plans that as a parallel query, and starting its workers cost 20 to 30 ms a
    search under load, for scans of a few hundred rows.
    """
    sql = (
        "SELECT a.id FROM unnest(%s::text[], %s::float8[]) AS w(word, weight) "  # noqa: S608 - our constants
        "CROSS JOIN LATERAL (SELECT id, rating_score FROM content_asset "
        f"WHERE {POSTGRES_DOCUMENT} @@ plainto_tsquery(%s::regconfig, w.word) "
        "AND status = %s) AS a "
        "GROUP BY a.id, a.rating_score "
        "ORDER BY sum(w.weight) DESC, a.rating_score DESC, a.id DESC LIMIT %s"
    )
    weights = [stats.idf(word) for word in words]
    params = [words, weights, SEARCH_CONFIG, AssetStatus.PUBLISHED]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, ANY_WORD_CANDIDATES])
        return [row[0] for row in cursor.fetchall()]


# Exactly the expression of the GIN index `content_asset_search_gin`
# (content.selectors.search.search_vector), so the planner uses it.
POSTGRES_DOCUMENT = "to_tsvector('english'::regconfig, COALESCE(search_text, ''))"

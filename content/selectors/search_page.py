"""The search page's matches: keyword and meaning rankings fused, cached, and
shown with excerpts and a "did you mean" (docs/search.md).

The keyword part, filters and visibility are content.selectors.search's: every
candidate found by meaning (content.semantic) or by any of the query's words
passes the same `search_assets(user, ...)` filter, asked of the database.
"""

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import Max, QuerySet

from content.caching import keys
from content.models import Asset, AssetStatus
from content.selectors.paging import IdPages
from content.selectors.search import (
    _EDGE_PUNCTUATION,
    SEARCH_CONFIG,
    _is_postgres,
    findable_assets,
    parse_query,
    search_assets,
    search_vector,
    tags_for,
)

# The search page ---------------------------------------------------------------

# Pages go this deep into a search's matches: 50 pages of 20. The count stays
# exact; past this, narrowing the search is more useful than page 51.
SEARCH_RESULTS_CAP = 1000
# Meaning-based candidates per search, and how near one must be to count: below
# the floor a "match" is noise that would bury the empty-result page (and the
# search-gap report that learns from it). Calibrated on tests/search_eval.
SEMANTIC_CANDIDATES = 60
SEMANTIC_MIN_SCORE = 0.30
# Keyword ranks weigh a little more: an exact title hit stays first. The
# any-word ranking (BM25 over the query's words, joined by OR) catches the
# rare word of a long question that the every-word match misses.
KEYWORD_WEIGHT = 1.2
ANY_WORD_WEIGHT = 0.8
SEMANTIC_WEIGHT = 1.0
ANY_WORD_CANDIDATES = 60
# A word in more than this share of the library (and more than the floor of
# assets) is left out of the any-word ranking (`_informative`).
ANY_WORD_COMMON_SHARE = 0.10
ANY_WORD_COMMON_FLOOR = 1000


@dataclass
class Ranking:
    """A search's ranked ids (up to the cap), its total, and for the matches
    found by meaning, their nearest chunk (for the excerpt)."""

    total: int
    ids: list[int]
    chunks: dict[int, int] = field(default_factory=dict)
    keyword_total: int = 0


def keyword_ranking(queryset: QuerySet) -> Ranking:
    ids = list(queryset.values_list("pk", flat=True)[:SEARCH_RESULTS_CAP])
    capped = len(ids) >= SEARCH_RESULTS_CAP
    total = queryset.order_by().count() if capped else len(ids)
    return Ranking(total, ids, keyword_total=total)


def semantic_matches(*, user, query: str, **filters: Any) -> list[Any]:
    """The assets nearest in meaning to `query` that `user` may find with these
    filters, each with its nearest chunk, best first (content.semantic)."""
    from content.semantic.encoders import get_encoder
    from content.semantic.index import current_index

    parsed = parse_query(query)
    text = " ".join(parsed.include)
    if not text.strip():
        return []
    vector = get_encoder().encode([text])[0]
    hits = [
        hit
        for hit in current_index().nearest(vector, assets=SEMANTIC_CANDIDATES)
        if hit.score >= SEMANTIC_MIN_SCORE
    ]
    if not hits:
        return []
    # The same visibility and filters as keyword search, asked of the database.
    allowed = search_assets(user=user, **{**filters, "query": "", "sort": "rating"})
    for term in parsed.exclude:
        allowed = allowed.exclude(search_text__icontains=term)
    keep = set(
        allowed.filter(pk__in=[hit.asset_id for hit in hits])
        .order_by()
        .values_list("pk", flat=True)
    )
    return [hit for hit in hits if hit.asset_id in keep]


def any_word_matches(*, user, query: str, **filters: Any) -> list[int]:
    """Assets with any of the query's meaningful words, best BM25 (SQLite) or
    title rank (PostgreSQL) first, that `user` may find with these filters."""
    from content.semantic.excerpts import query_words

    words = _informative(query_words(parse_query(query).include))
    if not words:
        return []
    if connection.vendor == "sqlite":
        expression = " OR ".join('"' + word.replace('"', "") + '"' for word in words)
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_ANY_WORD, [expression, ANY_WORD_CANDIDATES])
            ranked = [row[0] for row in cursor.fetchall()]
    elif _is_postgres():
        ts_query = SearchQuery(
            " OR ".join(words), search_type="websearch", config=SEARCH_CONFIG
        )
        ranked = list(
            Asset.objects.alias(document=search_vector())
            .filter(document=ts_query, status=AssetStatus.PUBLISHED)
            .annotate(rank=SearchRank(search_vector(), ts_query))
            .order_by("-rank", "-pk")
            .values_list("pk", flat=True)[:ANY_WORD_CANDIDATES]
        )
    else:
        return []
    allowed_qs = search_assets(user=user, **{**filters, "query": "", "sort": "rating"})
    for term in parse_query(query).exclude:
        allowed_qs = allowed_qs.exclude(search_text__icontains=term)
    allowed = set(
        allowed_qs.filter(pk__in=ranked).order_by().values_list("pk", flat=True)
    )
    return [pk for pk in ranked if pk in allowed]


def _informative(words: list[str]) -> list[str]:
    """The words found in at most ANY_WORD_COMMON_SHARE of the library.

    Ranking every asset with a common word by BM25 costs a scan of most of
    the library (at 100,000 assets, most of a hybrid search's time), for a
    word that ranks nothing: its inverse document frequency is near zero. A
    corpus's own stop words, found by a bounded count per word.
    """
    if not words:
        return []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT max(rowid) FROM content_asset_fts")
            size = cursor.fetchone()[0] or 0
    else:
        size = Asset.objects.aggregate(size=Max("pk"))["size"] or 0
    limit = max(ANY_WORD_COMMON_FLOOR, int(ANY_WORD_COMMON_SHARE * size))
    if size <= limit:
        return words  # a small library: every word counts
    return [word for word in dict.fromkeys(words) if _matches(word, limit) <= limit]


def _matches(word: str, limit: int) -> int:
    """How many assets have `word`, counted up to limit + 1."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                SQLITE_WORD_COUNT, ['"' + word.replace('"', "") + '"', limit + 1]
            )
            return cursor.fetchone()[0]
    query = SearchQuery(word, search_type="plain", config=SEARCH_CONFIG)
    return (
        Asset.objects.alias(document=search_vector())
        .filter(document=query)
        .order_by()[: limit + 1]
        .count()
    )


SQLITE_WORD_COUNT = (
    "SELECT count(*) FROM (SELECT 1 FROM content_asset_fts "
    "WHERE content_asset_fts MATCH %s LIMIT %s)"
)
SQLITE_ANY_WORD = (
    "SELECT rowid FROM content_asset_fts WHERE content_asset_fts MATCH %s "
    "ORDER BY rank LIMIT %s"
)


def hybrid_ranking(*, user, **filters: Any) -> Ranking:
    """Keyword and meaning rankings fused (reciprocal-rank fusion) for "best
    match"; for the other sorts, both sets of matches in that order."""
    from content.semantic.fusion import reciprocal_rank_fusion

    keyword = keyword_ranking(search_assets(user=user, **filters))
    if not parse_query(filters.get("query") or ""):
        return keyword
    semantic = semantic_matches(user=user, **filters)
    any_word = any_word_matches(user=user, **filters)
    if not semantic and not any_word:
        return keyword
    chunks = {hit.asset_id: hit.chunk_id for hit in semantic}
    semantic_ids = [hit.asset_id for hit in semantic]
    others = (set(semantic_ids) | set(any_word)) - set(keyword.ids)
    if others and keyword.total > len(keyword.ids):
        # Past the cap: some of them are keyword matches already counted.
        others -= set(
            search_assets(user=user, **filters)
            .filter(pk__in=others)
            .order_by()
            .values_list("pk", flat=True)
        )
    extra = len(others)
    if filters.get("sort", "relevance") == "relevance":
        ids = reciprocal_rank_fusion(
            [keyword.ids, any_word, semantic_ids],
            weights=[KEYWORD_WEIGHT, ANY_WORD_WEIGHT, SEMANTIC_WEIGHT],
        )
    else:
        ids = list(
            search_assets(user=user, **{**filters, "query": ""})
            .filter(pk__in=set(keyword.ids) | set(semantic_ids) | set(any_word))
            .values_list("pk", flat=True)
        )
    return Ranking(
        keyword.total + extra,
        ids[:SEARCH_RESULTS_CAP],
        chunks,
        keyword_total=keyword.keyword_total,
    )


class SearchResults(IdPages):
    """A search's matches for the search page: counted and ranked once, then
    cached, so that a repeated search or its next page is a fetch by id.

    The key carries the library's content version (content.caching.keys), so a
    publish, retire or edit shows at once; the rows, with their current
    counters, are fetched with the user's visibility asked again
    (`assets_in_order`). Should the cached ranking list an asset the user may
    no longer see, the search is ranked again from the query and re-cached.
    """

    def __init__(self, rank, key: str, *, user) -> None:
        # `rank`: a queryset (keyword order) or a callable returning a Ranking.
        super().__init__(user=user)  # no per-page ids: the ranking is cached
        self.rank = rank
        self.key = key
        self._ranked: Ranking | None = None
        self._fresh = False

    def _rank(self) -> Ranking:
        ranked = self.rank() if callable(self.rank) else keyword_ranking(self.rank)
        self._ranked, self._fresh = ranked, True
        cache.set(self.key, ranked, keys.SEARCH.seconds)
        return ranked

    def _load(self) -> Ranking:
        if self._ranked is None:
            cached = cache.get(self.key)
            self._ranked = cached if isinstance(cached, Ranking) else None
        if self._ranked is None:
            return self._rank()
        return self._ranked

    @property
    def total(self) -> int:
        """Every match, also those past the pages (SEARCH_RESULTS_CAP)."""
        return self._load().total

    @property
    def keyword_total(self) -> int:
        """The matches of the words alone (the "did you mean" check)."""
        return self._load().keyword_total

    @property
    def chunks(self) -> dict[int, int]:
        return self._load().chunks

    @property
    def is_capped(self) -> bool:
        return self.total > len(self)

    def __len__(self) -> int:
        return len(self._load().ids)

    def page_ids(self, start: int, stop: int) -> tuple[list[int], bool]:
        ids = self._load().ids[start:stop]
        return ids, self._fresh

    def recomputed_ids(self, start: int, stop: int) -> list[int]:
        # The cached ranking was behind the library: rank again (and re-cache
        # it), so the page refills rather than coming up short.
        return self._rank().ids[start:stop]


def _filters_digest(filters: dict[str, Any]) -> str:
    return hashlib.sha256(
        repr(sorted((k, str(getattr(v, "pk", v))) for k, v in filters.items())).encode()
    ).hexdigest()[:32]


def search_results(*, user, hybrid: bool = True, **filters: Any) -> SearchResults:
    """The search page's matches: keyword and meaning fused (`hybrid`), or
    `search_assets(user=user, **filters)` alone (see above)."""
    from content.semantic.embedding import vectors_version

    # The vectors' version too: an asset's vectors are written by a task after
    # the edit that bumped the content version.
    detail = _filters_digest(
        {**filters, "hybrid": vectors_version() if hybrid else "keyword"}
    )
    key = keys.library_key(keys.SEARCH, user=user, filters=detail)
    if hybrid:
        return SearchResults(
            lambda: hybrid_ranking(user=user, **filters), key, user=user
        )
    return SearchResults(search_assets(user=user, **filters), key, user=user)


# "Did you mean" ------------------------------------------------------------------

_VOCABULARY_WORD = re.compile(r"[^\W\d_][^\W_]{3,}", re.UNICODE)


def search_vocabulary(*, user) -> dict[str, str]:
    """Lower-cased words of the titles, competitors and tags `user` can find,
    to their written form: what a misspelled product or competitor is checked
    against. Cached per audience class until the library changes."""

    def compute() -> dict[str, str]:
        words: dict[str, str] = {}
        rows = findable_assets(user=user).values_list("title", "competitor")
        texts = [text for row in rows for text in row if text]
        texts += [tag.name for tag in tags_for(user=user)]
        for text in texts:
            for word in _VOCABULARY_WORD.findall(text):
                words.setdefault(word.lower(), word)
        return words

    return keys.remember(
        keys.SEARCH_VOCABULARY,
        keys.library_key(keys.SEARCH_VOCABULARY, user=user),
        compute,
    )


def did_you_mean(query: str, *, user) -> str:
    """`query` with its misspelled library words corrected, or "" when none is.

    Asked only when the words found nothing: a word the library does not use
    is then likely a typo of one it does ("Rivalery" for "Rivalry").
    """
    import difflib

    vocabulary = search_vocabulary(user=user)
    changed = False
    words = []
    for token in query.split():
        core = token.strip(_EDGE_PUNCTUATION)
        lower = core.lower()
        if len(lower) >= 4 and lower.isalpha() and lower not in vocabulary:
            close = difflib.get_close_matches(lower, vocabulary, n=1, cutoff=0.8)
            if close:
                token = token.replace(core, vocabulary[close[0]])
                changed = True
        words.append(token)
    return " ".join(words) if changed else ""


@dataclass
class SearchPage:
    """Everything the search page shows, selected in one place."""

    query: str
    results: SearchResults
    page_obj: Any
    assets: list[Asset]
    suggestion: str = ""


def search_page(
    *, user, filters: dict[str, Any], page: str | int | None, per_page: int
) -> SearchPage:
    """One page of a search: ranked (hybrid), fetched, tiled, with excerpts
    and a "did you mean" for a misspelled word that found nothing."""
    from django.core.paginator import Paginator

    from content.caching.tiles import with_tiles
    from content.semantic.excerpts import excerpts_for

    query = " ".join((filters.get("query") or "").split())
    results = search_results(
        user=user, hybrid=settings.WINGMAN_SEARCH_HYBRID, **filters
    )
    page_obj = Paginator(results, per_page).get_page(page)
    assets = with_tiles(page_obj.object_list)
    parsed = parse_query(query)
    if parsed:
        excerpts = excerpts_for(
            assets,
            include=parsed.include,
            exclude=parsed.exclude,
            chunks=results.chunks,
        )
        for asset in assets:
            asset.excerpt = excerpts.get(asset.pk)
    suggestion = ""
    if parsed and results.keyword_total == 0:
        suggestion = did_you_mean(query, user=user)
    return SearchPage(query, results, page_obj, assets, suggestion)

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
from django.core.cache import cache
from django.db.models import QuerySet

from content.caching import keys
from content.models import Asset
from content.selectors.paging import IdPages
from content.selectors.search import (
    _EDGE_PUNCTUATION,
    findable_assets,
    parse_query,
    search_assets,
    tags_for,
)
from content.selectors.search_words import any_word_ranked

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
# any-word ranking (content.selectors.search_words) catches the rare word of a
# long question that the every-word match misses.
KEYWORD_WEIGHT = 1.2
ANY_WORD_WEIGHT = 0.8
SEMANTIC_WEIGHT = 1.0


@dataclass
class Ranking:
    """A search's ranked ids (up to the cap), its total, for the matches
    found by meaning their nearest chunk, and which ranked ids match the
    words themselves (None: all of them), the only ones the database's
    keyword excerpt can cut from."""

    total: int
    ids: list[int]
    chunks: dict[int, int] = field(default_factory=dict)
    keyword_total: int = 0
    keyword_ids: frozenset[int] | None = None


def keyword_ranking(queryset: QuerySet) -> Ranking:
    ids = list(queryset.values_list("pk", flat=True)[:SEARCH_RESULTS_CAP])
    capped = len(ids) >= SEARCH_RESULTS_CAP
    total = queryset.order_by().count() if capped else len(ids)
    return Ranking(total, ids, keyword_total=total)


def nearest_hits(query: str) -> list[Any]:
    """The chunks nearest in meaning to `query`, one per asset, best first,
    above SEMANTIC_MIN_SCORE (content.semantic; not yet filtered by who may
    see them)."""
    from content.semantic.encoders import get_encoder
    from content.semantic.index import current_index

    text = " ".join(parse_query(query).include)
    if not text.strip():
        return []
    vector = get_encoder().encode([text])[0]
    return [
        hit
        for hit in current_index().nearest(vector, assets=SEMANTIC_CANDIDATES)
        if hit.score >= SEMANTIC_MIN_SCORE
    ]


def findable_among(ids, *, user, query: str, **filters: Any) -> set[int]:
    """Which of `ids` `user` may find with these filters (and none of the
    query's -words): the same visibility and filters as keyword search, asked
    of the database in one query."""
    if not ids:
        return set()
    allowed = search_assets(user=user, **{**filters, "query": "", "sort": "rating"})
    for term in parse_query(query).exclude:
        allowed = allowed.exclude(search_text__icontains=term)
    # Ordered by id: SQLite then looks each id up by its primary key. Without
    # an order it may scan a status index covering the id instead, every
    # published asset (30 ms at 100,000), when its statistics are missing or
    # sampled (seed_scale's ANALYZE with analysis_limit).
    rows = allowed.filter(pk__in=set(ids)).order_by("pk")
    return set(rows.values_list("pk", flat=True))


def semantic_matches(*, user, query: str, **filters: Any) -> list[Any]:
    """The assets nearest in meaning to `query` that `user` may find with these
    filters, each with its nearest chunk, best first (content.semantic)."""
    hits = nearest_hits(query)
    keep = findable_among(
        [hit.asset_id for hit in hits], user=user, query=query, **filters
    )
    return [hit for hit in hits if hit.asset_id in keep]


def any_word_matches(*, user, query: str, **filters: Any) -> list[int]:
    """Assets with any of the query's informative words, best first
    (content.selectors.search_words), that `user` may find with these filters."""
    ranked = any_word_ranked(query)
    keep = findable_among(ranked, user=user, query=query, **filters)
    return [pk for pk in ranked if pk in keep]


def hybrid_ranking(*, user, **filters: Any) -> Ranking:
    """Keyword and meaning rankings fused (reciprocal-rank fusion) for "best
    match"; for the other sorts, both sets of matches in that order."""
    from content.semantic.fusion import reciprocal_rank_fusion

    keyword = keyword_ranking(search_assets(user=user, **filters))
    query = filters.pop("query", "") or ""
    if not parse_query(query):
        return keyword
    hits = nearest_hits(query)
    ranked = any_word_ranked(query)
    # Both sets of candidates through the user's visibility in one query.
    keep = findable_among(
        [hit.asset_id for hit in hits] + ranked, user=user, query=query, **filters
    )
    semantic = [hit for hit in hits if hit.asset_id in keep]
    any_word = [pk for pk in ranked if pk in keep]
    if not semantic and not any_word:
        return keyword
    chunks = {hit.asset_id: hit.chunk_id for hit in semantic}
    semantic_ids = [hit.asset_id for hit in semantic]
    others = (set(semantic_ids) | set(any_word)) - set(keyword.ids)
    matched = set(keyword.ids)
    if others and keyword.total > len(keyword.ids):
        # Past the cap: some of them are keyword matches already counted.
        beyond = set(
            search_assets(user=user, query=query, **filters)
            .filter(pk__in=others)
            .order_by()
            .values_list("pk", flat=True)
        )
        others -= beyond
        matched |= beyond
    extra = len(others)
    if filters.get("sort", "relevance") == "relevance":
        ids = reciprocal_rank_fusion(
            [keyword.ids, any_word, semantic_ids],
            weights=[KEYWORD_WEIGHT, ANY_WORD_WEIGHT, SEMANTIC_WEIGHT],
        )
    else:
        ids = list(
            search_assets(user=user, **filters)
            .filter(pk__in=set(keyword.ids) | set(semantic_ids) | set(any_word))
            .values_list("pk", flat=True)
        )
    ids = ids[:SEARCH_RESULTS_CAP]
    return Ranking(
        keyword.total + extra,
        ids,
        chunks,
        keyword_total=keyword.keyword_total,
        keyword_ids=frozenset(matched.intersection(ids)),
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
    def keyword_ids(self) -> frozenset[int] | None:
        return self._load().keyword_ids

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
            keyword_ids=results.keyword_ids,
        )
        for asset in assets:
            asset.excerpt = excerpts.get(asset.pk)
    suggestion = ""
    if parsed and results.keyword_total == 0:
        suggestion = did_you_mean(query, user=user)
    return SearchPage(query, results, page_obj, assets, suggestion)

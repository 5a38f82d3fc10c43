"""Finding assets: full-text search with filters and sorts, for pages and the API.

PostgreSQL uses its full-text search over `Asset.search_text` (which the library's
services fill with the title, summary, card fields, tags and the text extracted
from the current file). The filter expression is exactly the one of the GIN index
`content_asset_search_gin`:

    to_tsvector('english'::regconfig, COALESCE(search_text, ''))

so keep SEARCH_CONFIG and `search_vector()` in step with that index. SQLite
matches through its FTS5 table (content.search_index): every word or "phrase",
stemmed as in English, and none of the -excluded ones. Any other database falls
back to case-insensitive substrings.
"""

import hashlib
import re
import string
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from taggit.models import Tag

from content.caching import keys
from content.models import Asset, AssetStatus, Stage
from content.rating import (  # noqa: F401, E501 - the formula's one home (content.rating)
    BAYES_PRIOR_WEIGHT,
    DEFAULT_MEAN_RATING,
    bayesian_rating,
    library_mean_rating,
)
from content.search_index import SQLITE_MATCH, fts_match_expression
from content.selectors.library import with_tile_data
from content.selectors.paging import IdPages

SEARCH_CONFIG = "english"
MAX_TERMS = 12

SORTS = {
    "relevance": "Best match",
    "rating": "Top rated",
    "most_used": "Most used",
    "newest": "Newest",
}


def search_vector() -> SearchVector:
    """The indexed expression; see the module docstring before changing it."""
    return SearchVector("search_text", config=SEARCH_CONFIG)


@dataclass
class ParsedQuery:
    """Words and "quoted phrases" that must match; -words that must not."""

    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.include)


_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')
_EDGE_PUNCTUATION = string.punctuation + "“”‘’«»"


def parse_query(query: str) -> ParsedQuery:
    parsed = ParsedQuery()
    for negate, phrase, word in _TOKEN.findall(query[:200]):
        if phrase:
            term, target = (
                " ".join(phrase.split()),
                (parsed.exclude if negate else parsed.include),
            )
        else:
            target = parsed.include
            if word.startswith("-") and len(word) > 1:
                word, target = word[1:], parsed.exclude
            term = word.strip(_EDGE_PUNCTUATION)
        if term and len(parsed.include) + len(parsed.exclude) < MAX_TERMS:
            target.append(term)
    return parsed


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _stage_filter(stage: Stage | str | int | None) -> Q:
    if stage is None or stage == "":
        return Q()
    # A correlated semi-join, not a join (nor an IN list the planner would drive
    # from): the database then walks the assets in index order (top rated first),
    # checks each one's stage link, and stops after one page instead of sorting
    # the whole stage.
    links = Asset.stages.through.objects.filter(asset_id=OuterRef("pk"))
    if isinstance(stage, Stage):
        links = links.filter(stage_id=stage.pk)
    elif isinstance(stage, int) or (isinstance(stage, str) and stage.isdigit()):
        links = links.filter(stage_id=int(stage))
    else:
        links = links.filter(stage__slug=stage)
    return Q(Exists(links))


def _tag_filter(tag: Tag | str | None) -> Q:
    if tag is None or tag == "":
        return Q()
    if isinstance(tag, Tag):
        return Q(tags=tag)
    # By slug (links) or name (the API); a subquery keeps one row per asset.
    tags = Tag.objects.filter(Q(slug=tag) | Q(name__iexact=tag))
    return Q(pk__in=Asset.objects.filter(tags__in=tags).values("pk"))


def _full_text(qs: QuerySet, query: str) -> tuple[QuerySet, bool]:
    """Filter by the query; returns the queryset and whether it carries a rank."""
    parsed = parse_query(query)
    if not parsed:
        return qs, False
    if _is_postgres():
        ts_query = SearchQuery(
            query[:200], search_type="websearch", config=SEARCH_CONFIG
        )
        # Rank by the title only: re-parsing every match's whole text (decks run to
        # pages) to rank it costs ~5x more on thousands of hits; title hits first,
        # then the Bayesian rating, is also what reps expect from a curated library.
        title_vector = SearchVector("title", weight="A", config=SEARCH_CONFIG)
        qs = (
            qs.alias(document=search_vector())
            .filter(document=ts_query)
            .annotate(rank=SearchRank(title_vector, ts_query))
        )
        return qs, True
    if connection.vendor == "sqlite":
        expression = fts_match_expression(parsed.include, parsed.exclude)
        if not expression:  # only punctuation: no word to look for
            return qs.none(), False
        matches = RawSQL(SQLITE_MATCH, (expression,))  # noqa: S611 - a parameter
        qs = qs.filter(pk__in=matches)
    else:
        for term in parsed.include:
            qs = qs.filter(search_text__icontains=term)
        for term in parsed.exclude:
            qs = qs.exclude(search_text__icontains=term)
    title_hit = Q()
    for term in parsed.include:
        title_hit &= Q(title__icontains=term)
    qs = qs.annotate(rank=Case(When(title_hit, then=Value(1.0)), default=Value(0.0)))
    return qs, True


def findable_assets(*, user) -> QuerySet:
    """What `user` can find in lists and search: published, and visible to them.

    Every list, menu and count of the library starts here; lists rebuilt from
    cached ids too (`assets_in_order`).
    """
    return Asset.objects.visible_to(user).filter(status=AssetStatus.PUBLISHED)


def search_assets(
    *,
    user,
    query: str = "",
    stage: Stage | str | int | None = None,
    kind: str | None = None,
    tag: Tag | str | None = None,
    competitor: str | None = None,
    audience: str | None = None,
    sort: str = "relevance",
) -> QuerySet:
    """Published assets `user` may see, matching the query and every filter.

    Retired assets and drafts never appear, for any role; partners only get
    assets whose audience includes partners.
    """
    qs = findable_assets(user=user).filter(_stage_filter(stage), _tag_filter(tag))
    if kind:
        qs = qs.filter(kind=kind)
    if competitor:
        qs = qs.filter(competitor__iexact=competitor.strip())
    if audience:
        qs = qs.filter(audience=audience)
    qs, ranked = _full_text(qs, query or "")
    score = F("rating_score").desc()
    if sort == "rating" or (sort == "relevance" and not ranked):
        # Exactly the (status, -rating_score, -id) index order: no sort at all.
        ordering = [score]
    elif sort == "most_used":
        ordering = [F("usage_count").desc(), F("deal_count").desc(), score]
    elif sort == "newest":
        ordering = [F("published_at").desc(nulls_last=True)]
    else:
        ordering = [F("rank").desc(), score, F("published_at").desc()]
    return _for_tiles(qs).order_by(*ordering, "-pk")


def assets_in_order(ids: list[int], *, user) -> list[Asset]:
    """The published assets among `ids` that `user` may see, fetched as
    `search_assets` fetches them, in the order of `ids`.

    `ids` usually come from a cache (a stage page, a search), and a cache may be
    behind: a worker that missed the bump, an asset retired, unpublished or
    moved to internal only since, a user whose role changed. So visibility and
    status are asked again here, by the query, on every request; an id that no
    longer qualifies is simply skipped.
    """
    rows = _for_tiles(findable_assets(user=user)).in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def _for_tiles(qs: QuerySet) -> QuerySet:
    # What a tile shows (content.caching.tiles), without the long search and
    # extracted text; lists that show more (the API's tags and stages) prefetch it.
    return with_tile_data(qs).defer("search_text", "current_version__extracted_text")


def competitors_for(*, user) -> list[str]:
    """Distinct competitors of the assets `user` can find, for the filter menu.

    Cached per audience class until the library changes (content.caching.keys).
    """
    return keys.remember(
        keys.COMPETITORS,
        keys.library_key(keys.COMPETITORS, user=user),
        lambda: list(
            findable_assets(user=user)
            .exclude(competitor="")
            .order_by("competitor")
            .values_list("competitor", flat=True)
            .distinct()
        ),
    )


def tags_for(*, user) -> list[Tag]:
    """The tags of the assets `user` can find, by name, for the filter menu.

    A partner never sees a tag used only on internal assets or on drafts: the
    menu is built from the same visibility as the results. Cached per audience
    class until the library changes (content.caching.keys).
    """
    return keys.remember(
        keys.TAGS,
        keys.library_key(keys.TAGS, user=user),
        lambda: list(
            Tag.objects.filter(
                pk__in=Asset.tags.through.objects.filter(
                    object_id__in=findable_assets(user=user).values("pk"),
                    content_type__app_label="content",
                    content_type__model="asset",
                ).values("tag_id")
            ).order_by(Lower("name"), "pk")
        ),
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

    words = query_words(parse_query(query).include)
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
    results = search_results(user=user, **filters)
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

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

import re
import string
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
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

"""Finding assets: full-text search with filters and sorts, for pages and the API.

PostgreSQL uses its full-text search over `Asset.search_text` (which the library's
services fill with the title, summary, card fields, tags and the text extracted
from the current file). The filter expression is exactly the one of the GIN index
`content_asset_search_gin`:

    to_tsvector('english'::regconfig, COALESCE(search_text, ''))

so keep SEARCH_CONFIG and `search_vector()` in step with that index. SQLite has
no such search: every word must then occur in `search_text`, case-insensitively.
"""

import re
import string
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast
from taggit.models import Tag

from content.cache_keys import COUNT_SECONDS, library_key
from content.models import Asset, AssetKind, AssetStatus, Stage

SEARCH_CONFIG = "english"
# Bayesian average: C ratings' worth of the library mean pulls small samples in.
BAYES_PRIOR_WEIGHT = 5
DEFAULT_MEAN_RATING = 3.0
MEAN_CACHE_KEY = "wingman:library-mean-rating"
MEAN_CACHE_SECONDS = 300
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


def library_mean_rating(*, fresh: bool = False) -> float:
    """Mean stars over every published asset's ratings (cached for a few minutes).

    The prior of the Bayesian average moves slowly, so a short cache saves a scan
    of the whole library on every rating; `fresh` recomputes it.
    """
    mean = None if fresh else cache.get(MEAN_CACHE_KEY)
    if mean is None:
        totals = Asset.objects.filter(status=AssetStatus.PUBLISHED).aggregate(
            stars=Sum("rating_total"), count=Sum("rating_count")
        )
        mean = (
            totals["stars"] / totals["count"]
            if totals["count"]
            else DEFAULT_MEAN_RATING
        )
        cache.set(MEAN_CACHE_KEY, mean, MEAN_CACHE_SECONDS)
    return float(mean)


def bayesian_rating(
    *, mean: float | None = None, prior_weight: int = BAYES_PRIOR_WEIGHT
) -> ExpressionWrapper:
    """(C*m + rating_total) / (C + rating_count), computed by the database.

    Lists sort by the stored `Asset.rating_score` instead; this expression is
    what the rating services and `refresh_rating_scores` write into it.
    """
    mean = library_mean_rating() if mean is None else mean
    # Double precision, not numeric: PostgreSQL sorts tens of thousands of
    # numeric quotients about ten times slower.
    return ExpressionWrapper(
        (
            Value(float(prior_weight * mean), output_field=FloatField())
            + Cast("rating_total", FloatField())
        )
        / (
            Value(float(prior_weight), output_field=FloatField())
            + Cast("rating_count", FloatField())
        ),
        output_field=FloatField(),
    )


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
    for term in parsed.include:
        qs = qs.filter(search_text__icontains=term)
    for term in parsed.exclude:
        qs = qs.exclude(search_text__icontains=term)
    title_hit = Q()
    for term in parsed.include:
        title_hit &= Q(title__icontains=term)
    qs = qs.annotate(rank=Case(When(title_hit, then=Value(1.0)), default=Value(0.0)))
    return qs, True


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
    qs = (
        Asset.objects.visible_to(user)
        .filter(status=AssetStatus.PUBLISHED)
        .filter(_stage_filter(stage), _tag_filter(tag))
    )
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
    return (
        qs.select_related("current_version", "owner")
        # Tiles never show the (long) search and extracted text: do not fetch it.
        .defer("search_text", "current_version__extracted_text")
        .prefetch_related("tags")
        .order_by(*ordering, "-pk")
    )


def kind_order() -> Case:
    """Kinds in the order reps think of them (battle cards and objections first)."""
    return Case(
        *[When(kind=kind, then=Value(i)) for i, kind in enumerate(AssetKind.values)],
        default=Value(len(AssetKind.values)),
        output_field=IntegerField(),
    )


def competitors_for(*, user) -> list[str]:
    """Distinct competitors of the assets `user` can find, for the filter menu.

    Cached per audience class until the library changes (see content.cache_keys).
    """
    key = library_key("competitors", user=user)
    competitors = cache.get(key)
    if competitors is None:
        competitors = list(
            Asset.objects.visible_to(user)
            .filter(status=AssetStatus.PUBLISHED)
            .exclude(competitor="")
            .order_by("competitor")
            .values_list("competitor", flat=True)
            .distinct()
        )
        cache.set(key, competitors, COUNT_SECONDS)
    return competitors

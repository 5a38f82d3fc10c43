"""Reads for the reps' playbook (their reading surface): stage pages, what's new."""

from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from content.caching import keys
from content.models import (
    Asset,
    AssetKind,
    Stage,
)
from content.selectors.notifications import is_following
from content.selectors.paging import IdPages, page_of
from content.selectors.search import (
    SORTS,
    findable_assets,
    search_assets,
)
from content.selectors.stages import stage_menu

# A first-time visitor's "what's new" looks back this far.
NEWS_DEFAULT_WINDOW = timedelta(days=30)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


_KIND_POSITION = {kind: position for position, kind in enumerate(AssetKind.values)}


# Stages -------------------------------------------------------------------------


class KindGroupedAssets(IdPages):
    """A stage's assets in kind order, then by the sort, sliced a page at a time.

    Sorting a whole stage by kind and score on every request is what made the
    stage page slow at scale. From the (cached) per-kind counts, a page's slice
    maps to a window inside each kind it covers; each window is a subquery that
    walks the (status, kind, -rating_score, -id) index and stops after the
    window. The page's ids are cached under `key` (which carries the library's
    content version, so a publish or retire shows at once) and the page's rows,
    with their current counters, are fetched by id with the user's visibility
    asked again (`assets_in_order`). Should the cached ids name an asset the
    user may no longer see, the page's ids are computed again and re-cached.
    """

    def __init__(
        self, assets: QuerySet, counts: list[tuple[str, int]], key: str = "", *, user
    ) -> None:
        super().__init__(user=user, key=key, seconds=keys.STAGE_PAGE.seconds)
        self.assets = assets
        self.counts = counts

    def __len__(self) -> int:
        return sum(n for _, n in self.counts)

    def fresh_ids(self, start: int, stop: int) -> list[int]:
        match, offset = Q(), 0
        for kind, n in self.counts:
            low, high = max(start - offset, 0), min(stop - offset, n)
            if low < high:
                window = self.assets.filter(kind=kind).values("pk")[low:high]
                match |= Q(pk__in=window)
            offset += n
        if not match:
            return []
        # The windows already hold only what the viewer may see: this query
        # needs no filter but them, and its rows are put in kind order here (a
        # stable sort keeps the sort order within each kind).
        rows = (
            Asset.objects.filter(match)
            .order_by(*self.assets.query.order_by)
            .values_list("pk", "kind")
        )
        return [pk for pk, _ in sorted(rows, key=lambda row: _KIND_POSITION[row[1]])]


def stage_assets(
    *,
    user,
    stage: Stage,
    kind: str | None = None,
    sort: str = "rating",
    kind_counts: list[dict[str, Any]] | None = None,
) -> KindGroupedAssets:
    """Published assets of a stage that `user` may see, grouped by kind.

    `kind_counts`: the stage's `stage_kind_counts`, when the caller has them.
    """
    if kind_counts is None:
        kind_counts = stage_kind_counts(user=user, stage=stage)
    counts = [
        (row["kind"], row["count"])
        for row in kind_counts
        if not kind or row["kind"] == kind
    ]
    qs = search_assets(user=user, stage=stage, kind=kind or None, sort=sort)
    key = keys.library_key(
        keys.STAGE_PAGE, user=user, stage=stage.pk, kind=kind, sort=sort
    )
    return KindGroupedAssets(qs, counts, key, user=user)


def stage_kind_counts(*, user, stage: Stage) -> list[dict[str, Any]]:
    """[{kind, label, count}] for the kinds present in the stage, in kind order.

    Cached per stage and audience class until the library changes: counting a
    big stage on every page view is most of the page's cost.
    """
    counts = keys.remember(
        keys.STAGE_KINDS,
        keys.library_key(keys.STAGE_KINDS, user=user, stage=stage.pk),
        lambda: dict(
            search_assets(user=user, stage=stage)
            .order_by()
            .values_list("kind")
            .annotate(n=Count("pk"))
            .values_list("kind", "n")
        ),
    )
    return [
        {"kind": kind, "label": label, "count": counts[kind]}
        for kind, label in AssetKind.choices
        if counts.get(kind)
    ]


# What's new ---------------------------------------------------------------------


def news_since(*, user) -> datetime:
    return user.last_seen_news_at or (timezone.now() - NEWS_DEFAULT_WINDOW)


def whats_new(*, user, since: datetime, new_since: datetime | None = None) -> QuerySet:
    """Published assets `user` may see that were published or got a new version
    after `since`, newest change first, with `changed_at`, `is_update` and
    `is_new` (changed after `new_since`, by default `since`)."""
    new_since = new_since or since
    changed_at = Greatest(
        Coalesce("published_at", Value(_EPOCH), output_field=DateTimeField()),
        Coalesce(
            "current_version__created_at", Value(_EPOCH), output_field=DateTimeField()
        ),
    )
    return (
        findable_assets(user=user)
        .filter(Q(published_at__gt=since) | Q(current_version__created_at__gt=since))
        .annotate(
            changed_at=changed_at,
            # Published before `since` yet listed: it must be a new version.
            is_update=Case(
                When(
                    published_at__lt=F("current_version__created_at"),
                    current_version__number__gt=1,
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
            is_new=Case(
                When(
                    Q(published_at__gt=new_since)
                    | Q(current_version__created_at__gt=new_since),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .select_related("current_version", "owner")
        .order_by("-changed_at", "-pk")
    )


def whats_new_summary(*, user, limit: int = 5) -> dict[str, Any]:
    """For the home page: how much is new since the last visit, and the newest."""
    since = news_since(user=user)
    items = whats_new(user=user, since=since)
    latest = list(items[: limit + 1])
    count = len(latest) if len(latest) <= limit else items.count()
    return {
        "news_since": since,
        "news_first_visit": user.last_seen_news_at is None,
        "news_items": latest[:limit],
        "news_count": count,
    }


# Deals --------------------------------------------------------------------------


# Content requests ---------------------------------------------------------------


# Notifications ------------------------------------------------------------------


# The stage page ------------------------------------------------------------------

STAGE_PAGE_SIZE = 24
STAGE_SORTS = {key: SORTS[key] for key in ("rating", "most_used", "newest")}


def stage_page(
    *, user, slug: str, kind: str = "", sort: str = "rating", page: str | None = None
) -> dict[str, Any] | None:
    """Everything the stage template needs, or None when `user` has no such stage.

    The per-kind counts are read once (cached, `stage_kind_counts`) and give the
    totals and the paginator's count; the page's rows come from the cached ids.
    """
    stages = stage_menu(user=user)
    stage = next((s for s in stages if s.slug == slug), None)
    if stage is None:
        return None
    kind_counts = stage_kind_counts(user=user, stage=stage)
    if kind and kind not in {row["kind"] for row in kind_counts}:
        kind = ""
    if sort not in STAGE_SORTS:
        sort = "rating"
    total = sum(row["count"] for row in kind_counts if not kind or row["kind"] == kind)
    assets = stage_assets(
        user=user, stage=stage, kind=kind or None, sort=sort, kind_counts=kind_counts
    )
    position = stages.index(stage)
    return {
        "stage": stage,
        "stages": stages,
        "previous_stage": stages[position - 1] if position > 0 else None,
        "next_stage": stages[position + 1] if position + 1 < len(stages) else None,
        "kind_counts": kind_counts,
        "kind": kind,
        "sort": sort,
        "sorts": STAGE_SORTS,
        "total": total,
        "all_total": sum(row["count"] for row in kind_counts),
        "page_obj": page_of(assets, STAGE_PAGE_SIZE, page, count=total),
        "is_following_stage": is_following(user=user, stage=stage),
    }

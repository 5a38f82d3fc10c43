"""Reads for the reps' playbook: stage pages, what's new, deals, requests, news."""

from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from accounts import roles
from content.caching import keys
from content.models import (
    Asset,
    AssetKind,
    AssetStatus,
    ContentRequest,
    ContentRequestVote,
    Deal,
    DealOutcome,
    Notification,
    RequestStatus,
    Stage,
    Subscription,
    Usage,
)
from content.selectors.search import (
    assets_in_order,
    findable_assets,
    search_assets,
)

# A first-time visitor's "what's new" looks back this far.
NEWS_DEFAULT_WINDOW = timedelta(days=30)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


_KIND_POSITION = {kind: position for position, kind in enumerate(AssetKind.values)}


# Stages -------------------------------------------------------------------------


def stages_for_nav(*, user) -> list[Stage]:
    """The roadmap strip: active stages in order (managers also see inactive)."""
    qs = Stage.objects.all()
    if not roles.can_manage_content(user):
        qs = qs.filter(is_active=True)
    return list(qs)


class KindGroupedAssets:
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
        self.assets = assets
        self.counts = counts
        self.key = key
        self.user = user

    def __len__(self) -> int:
        return sum(n for _, n in self.counts)

    def count(self) -> int:
        return len(self)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(len(self))
        key = f"{self.key}:{start}:{stop}"
        ids = cache.get(key) if self.key else None
        fresh = ids is None
        if fresh:
            ids = self._ids(start, stop)
            if self.key:
                cache.set(key, ids, keys.STAGE_PAGE.seconds)
        rows = assets_in_order(ids, user=self.user)
        if len(rows) < len(ids) and not fresh:
            # The cached ids were behind the library: refill the page.
            ids = self._ids(start, stop)
            cache.set(key, ids, keys.STAGE_PAGE.seconds)
            rows = assets_in_order(ids, user=self.user)
        return rows

    def _ids(self, start: int, stop: int) -> list[int]:
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
    *, user, stage: Stage, kind: str | None = None, sort: str = "rating"
) -> KindGroupedAssets:
    """Published assets of a stage that `user` may see, grouped by kind."""
    counts = [
        (row["kind"], row["count"])
        for row in stage_kind_counts(user=user, stage=stage)
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


def is_following(*, user, stage=None, tag=None, asset=None) -> bool:
    target = {"stage": stage, "tag": tag, "asset": asset}
    target = {k: v for k, v in target.items() if v is not None}
    return Subscription.objects.filter(user=user, **target).exists()


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


def deals_for_owner(*, user, outcome: str | None = None) -> QuerySet:
    """The user's own deals with the assets used in them (no one else's, ever)."""
    qs = Deal.objects.owned_by(user).select_related("stage", "industry")
    if outcome in DealOutcome.values:
        qs = qs.filter(outcome=outcome)
    usages = Usage.objects.select_related("asset", "stage").order_by("created_at")
    return qs.prefetch_related(Prefetch("usages", queryset=usages)).order_by(
        Case(When(outcome=DealOutcome.OPEN, then=Value(0)), default=Value(1)),
        F("closed_at").desc(nulls_last=True),
        "-created_at",
        "-pk",
    )


def deal_summary(*, user) -> dict[str, Any]:
    """Counts per outcome and won revenue, in one query."""
    return Deal.objects.owned_by(user).aggregate(
        open=Count("pk", filter=Q(outcome=DealOutcome.OPEN)),
        won=Count("pk", filter=Q(outcome=DealOutcome.WON)),
        lost=Count("pk", filter=Q(outcome=DealOutcome.LOST)),
        won_amount=Sum("amount", filter=Q(outcome=DealOutcome.WON)),
        open_amount=Sum("amount", filter=Q(outcome=DealOutcome.OPEN)),
    )


def deal_usages(*, deal: Deal) -> QuerySet:
    return (
        Usage.objects.filter(deal=deal)
        .select_related("asset", "version", "stage", "user")
        .order_by("-created_at", "-pk")
    )


def open_deals_for(*, user, limit: int = 200) -> list[Deal]:
    return list(
        Deal.objects.owned_by(user)
        .open()
        .select_related("stage")
        .order_by("-updated_at", "-pk")[:limit]
    )


# Content requests ---------------------------------------------------------------

REQUEST_TABS = {
    "open": (RequestStatus.OPEN, RequestStatus.PLANNED),
    "planned": (RequestStatus.PLANNED,),
    "done": (RequestStatus.DONE,),
    "declined": (RequestStatus.DECLINED,),
}


def content_requests(
    *, user, tab: str = "open", stage: Stage | None = None, mine: bool = False
) -> QuerySet:
    statuses = REQUEST_TABS.get(tab, REQUEST_TABS["open"])
    qs = ContentRequest.objects.filter(status__in=statuses)
    if stage is not None:
        qs = qs.filter(stage=stage)
    if mine:
        qs = qs.filter(Q(requester=user) | Q(votes__user=user)).distinct()
    voted = ContentRequestVote.objects.filter(request=OuterRef("pk"), user=user)
    return (
        qs.annotate(has_voted=Exists(voted))
        .select_related("stage", "requester", "fulfilled_by", "triaged_by")
        .order_by("-vote_count", "-created_at", "-pk")
    )


def similar_open_requests(*, title: str, limit: int = 5) -> list[ContentRequest]:
    """Open requests sharing the longer words of `title`: vote instead of repeat."""
    words = [w for w in title.lower().split() if len(w) > 3][:6]
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(title__icontains=word)
    return list(
        ContentRequest.objects.filter(
            match, status__in=(RequestStatus.OPEN, RequestStatus.PLANNED)
        )
        .select_related("stage")
        .order_by("-vote_count", "-created_at")[:limit]
    )


def triage_suggestions(*, user, request: ContentRequest, limit: int = 8) -> list[Asset]:
    """Published assets that may fulfil a request: same stage and kind first."""
    qs = Asset.objects.filter(status=AssetStatus.PUBLISHED)
    if request.stage_id:
        qs = qs.filter(stages=request.stage_id)
    if request.kind:
        qs = qs.filter(kind=request.kind)
    return list(qs.select_related("current_version").order_by("-published_at")[:limit])


# Notifications ------------------------------------------------------------------


def notifications_for(*, user) -> QuerySet:
    return (
        Notification.objects.filter(user=user)
        .select_related("asset", "request")
        .order_by("-created_at", "-pk")
    )


def unread_notification_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def subscriptions_for(*, user) -> list[Subscription]:
    return list(
        Subscription.objects.filter(user=user)
        .select_related("stage", "tag", "asset")
        .order_by("-created_at")
    )

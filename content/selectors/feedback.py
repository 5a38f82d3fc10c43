"""Reads for feedback: content requests, similar ones, and triage suggestions."""

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)

from content.models import (
    Asset,
    AssetStatus,
    ContentRequest,
    ContentRequestVote,
    RequestStatus,
    Stage,
)

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

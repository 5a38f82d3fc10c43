"""What the field tells marketing: ratings, content requests and failed searches."""

import re
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from accounts import roles
from accounts.models import User
from content.models import (
    Asset,
    AssetKind,
    ContentRequest,
    ContentRequestVote,
    NotificationVerb,
    Rating,
    RequestStatus,
    SearchLog,
    Stage,
)
from content.rating import bayesian_rating, bayesian_score, library_mean_rating
from content.services.notifications import notify_request_triaged

STARS_ERROR = "Choose from 1 to 5 stars."
COMMENT_MAX = 2000


def _clean_stars(stars: object) -> int:
    # bool is an int in Python; True must not count as one star.
    if isinstance(stars, bool) or stars is None:
        raise ValidationError({"stars": STARS_ERROR})
    if isinstance(stars, str):
        stars = stars.strip()
        if not re.fullmatch(r"[0-9]", stars):
            raise ValidationError({"stars": STARS_ERROR})
        stars = int(stars)
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ValidationError({"stars": STARS_ERROR})
    return stars


def _published_for(user: User, asset: Asset) -> Asset:
    """The asset, locked for update, if `user` may see it and it is published."""
    locked = (
        Asset.objects.visible_to(user).select_for_update().filter(pk=asset.pk).first()
    )
    if locked is None:
        raise PermissionDenied("You cannot see this asset.")
    if not locked.is_published:
        raise ValidationError("Only published assets can be rated or used in deals.")
    return locked


@transaction.atomic
def rating_set(*, user: User, asset: Asset, stars: int, comment: str = "") -> Rating:
    """Create or change the user's one rating of an asset.

    The asset row is locked first, so two ratings of the same asset (the same
    person double-submitting, or two people) run one after the other and the
    counters are recomputed from the Rating table: exact, never drifting.
    """
    stars = _clean_stars(stars)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError(
            {"comment": f"Keep the comment under {COMMENT_MAX} characters."}
        )
    if not roles.can_use_library(user):
        raise PermissionDenied("You cannot rate assets.")
    locked = _published_for(user, asset)
    rating = Rating.objects.filter(asset=locked, user=user).first()
    if rating is None:
        rating = Rating(asset=locked, user=user, stars=stars, comment=comment)
        rating.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                rating.save()
        except IntegrityError:
            # Lost a race to the unique constraint: the other request's row wins
            # and takes our stars below. Anything else is a real error.
            rating = Rating.objects.filter(asset=locked, user=user).first()
            if rating is None:
                raise
    if rating.stars != stars or rating.comment != comment:
        rating.stars = stars
        rating.comment = comment
        rating.full_clean(validate_constraints=False)
        rating.save(update_fields=["stars", "comment", "updated_at"])
    totals = Rating.objects.filter(asset=locked).aggregate(
        count=Count("pk"), total=Sum("stars")
    )
    count, total = totals["count"], totals["total"] or 0
    # Against the current library mean; refresh_rating_scores re-bases every
    # asset when that mean moves.
    score = bayesian_score(total=total, count=count, mean=library_mean_rating())
    Asset.objects.filter(pk=locked.pk).update(
        rating_count=count, rating_total=total, rating_score=score
    )
    asset.rating_count, asset.rating_total, asset.rating_score = count, total, score
    return rating


@transaction.atomic
def rating_scores_refresh() -> tuple[float, int]:
    """Recompute every asset's stored rating score against today's library mean.

    One UPDATE over the whole table; run nightly (refresh_rating_scores) and
    after bulk loads. Returns the mean used and the number of assets updated.
    """
    mean = library_mean_rating(fresh=True)
    updated = Asset.objects.update(rating_score=bayesian_rating(mean=mean))
    return mean, updated


def normalize_query(query: str) -> str:
    return " ".join(query.lower().split())[:200]


# A rep paging through or reloading the same empty result is one failed search.
SEARCH_LOG_DEDUP_WINDOW = timedelta(minutes=10)


@transaction.atomic
def search_log_record(
    *,
    user: User | None,
    query: str,
    stage: Stage | None = None,
    results_count: int = 0,
) -> SearchLog | None:
    """Remember a search (normally one that found nothing) for marketing."""
    normalized = normalize_query(query)
    if not normalized:
        return None
    user = user if user is not None and user.is_authenticated else None
    recent = SearchLog.objects.filter(
        normalized_query=normalized,
        user=user,
        stage=stage,
        created_at__gte=timezone.now() - SEARCH_LOG_DEDUP_WINDOW,
    )
    if user is not None and recent.exists():
        return None
    log = SearchLog(
        query=" ".join(query.split())[:200],
        normalized_query=normalized,
        user=user,
        role=getattr(user, "role", "") or "",
        stage=stage,
        results_count=results_count,
    )
    log.full_clean()
    log.save()
    return log


def _recount_votes(request: ContentRequest) -> int:
    count = ContentRequestVote.objects.filter(request=request).count()
    ContentRequest.objects.filter(pk=request.pk).update(vote_count=count)
    request.vote_count = count
    return count


@transaction.atomic
def content_request_create(
    *,
    user: User,
    title: str,
    description: str = "",
    stage: Stage | None = None,
    kind: str = "",
) -> ContentRequest:
    """A rep asks marketing for missing content; their own vote comes with it."""
    if not roles.can_use_library(user):
        raise PermissionDenied("You cannot request content.")
    if kind and kind not in AssetKind.values:
        raise ValidationError({"kind": "Choose a kind from the list."})
    request = ContentRequest(
        title=" ".join((title or "").split()),
        description=(description or "").strip(),
        stage=stage,
        kind=kind or "",
        requester=user,
    )
    request.full_clean()
    request.save()
    ContentRequestVote.objects.create(request=request, user=user)
    _recount_votes(request)
    return request


@transaction.atomic
def content_request_vote(
    *, user: User, request: ContentRequest, up: bool = True
) -> ContentRequest:
    """Add (or with up=False take back) the user's vote; voting twice counts once."""
    if not roles.can_use_library(user):
        raise PermissionDenied("You cannot vote on requests.")
    locked = ContentRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status not in (RequestStatus.OPEN, RequestStatus.PLANNED):
        raise ValidationError("This request is closed; votes are no longer counted.")
    if up:
        try:
            with transaction.atomic():
                ContentRequestVote.objects.get_or_create(request=locked, user=user)
        except IntegrityError:
            pass  # the other request of a double click already voted
    else:
        ContentRequestVote.objects.filter(request=locked, user=user).delete()
    _recount_votes(locked)
    request.vote_count = locked.vote_count
    return locked


TRIAGE_STATUSES = (RequestStatus.PLANNED, RequestStatus.DONE, RequestStatus.DECLINED)


@transaction.atomic
def content_request_triage(
    *,
    user: User,
    request: ContentRequest,
    status: str,
    fulfilled_by: Asset | None = None,
    reason: str = "",
) -> ContentRequest:
    """Marketing decides: planned, done (with the asset) or declined (with why).

    The requester and the people who voted are notified.
    """
    if not roles.can_triage_requests(user):
        raise PermissionDenied("Only marketers and admins triage content requests.")
    reason = (reason or "").strip()
    if status not in TRIAGE_STATUSES:
        raise ValidationError({"status": "Choose planned, done or declined."})
    if status == RequestStatus.DONE:
        if fulfilled_by is None:
            raise ValidationError(
                {"fulfilled_by": "Say which asset fulfils this request."}
            )
        if not fulfilled_by.is_published:
            raise ValidationError(
                {"fulfilled_by": "Publish the asset before fulfilling a request."}
            )
    if status == RequestStatus.DECLINED and not reason:
        raise ValidationError(
            {"reason": "Tell the requester why the request is declined."}
        )
    locked = ContentRequest.objects.select_for_update().get(pk=request.pk)
    locked.status = status
    locked.fulfilled_by = fulfilled_by if status == RequestStatus.DONE else None
    locked.decline_reason = reason if status == RequestStatus.DECLINED else ""
    locked.triaged_by = user
    locked.triaged_at = timezone.now()
    locked.full_clean()
    locked.save()
    verb, message = {
        RequestStatus.PLANNED: (
            NotificationVerb.REQUEST_PLANNED,
            f"Marketing plans your request: {locked.title}",
        ),
        RequestStatus.DONE: (
            NotificationVerb.REQUEST_DONE,
            f"Your request is done: {locked.title}",
        ),
        RequestStatus.DECLINED: (
            NotificationVerb.REQUEST_DECLINED,
            f"Your request was declined: {locked.title} ({reason})",
        ),
    }[status]
    notify_request_triaged(request=locked, verb=verb, message=message)
    return locked

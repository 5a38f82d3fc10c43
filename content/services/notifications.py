"""Following stages, tags and assets, and telling followers what changed.

The library's services call `notify_asset_published` and `notify_asset_updated`
inside their own transaction, so a rolled-back publish notifies nobody.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from taggit.models import Tag

from accounts import roles
from accounts.models import Role, User
from content.models import (
    Asset,
    Audience,
    ContentRequest,
    DigestState,
    Notification,
    NotificationVerb,
    Stage,
    Subscription,
    SubscriptionTarget,
)


def _target_filter(
    *, stage: Stage | None, tag: Tag | None, asset: Asset | None
) -> dict[str, object]:
    targets = {"stage": stage, "tag": tag, "asset": asset}
    chosen = {name: obj for name, obj in targets.items() if obj is not None}
    if len(chosen) != 1:
        raise ValidationError("Follow exactly one stage, tag or asset.")
    return chosen


@transaction.atomic
def subscription_create(
    *,
    user: User,
    stage: Stage | None = None,
    tag: Tag | None = None,
    asset: Asset | None = None,
) -> Subscription:
    """Follow one target; following it again returns the existing subscription."""
    target = _target_filter(stage=stage, tag=tag, asset=asset)
    if not roles.can_use_library(user):
        raise PermissionDenied("You cannot follow library content.")
    if asset is not None and not (
        Asset.objects.visible_to(user).filter(pk=asset.pk).exists()
    ):
        raise PermissionDenied("You cannot follow this asset.")
    existing = Subscription.objects.filter(user=user, **target).first()
    if existing is not None:
        return existing
    subscription = Subscription(user=user, **target)
    subscription.full_clean(validate_constraints=False)
    try:
        # A double click may race us to the same row; the constraint decides.
        with transaction.atomic():
            subscription.save()
    except IntegrityError:
        return Subscription.objects.get(user=user, **target)
    return subscription


@transaction.atomic
def subscription_delete(
    *,
    user: User,
    stage: Stage | None = None,
    tag: Tag | None = None,
    asset: Asset | None = None,
) -> bool:
    """Stop following; a subscription carries no history, so it is deleted."""
    target = _target_filter(stage=stage, tag=tag, asset=asset)
    deleted, _ = Subscription.objects.filter(user=user, **target).delete()
    return bool(deleted)


def _subscriber_ids(*, asset: Asset) -> set[int]:
    """Active people following the asset, one of its stages or one of its tags.

    Visibility is decided here so that a partner never hears of an internal asset.
    """
    stage_ids = asset.stages.values("pk")
    tag_ids = asset.tags.values("pk")
    followers = Subscription.objects.filter(
        Q(asset=asset) | Q(stage__in=stage_ids) | Q(tag__in=tag_ids),
        user__is_active=True,
        user__role__in=roles.SELLER_ROLES,
    )
    if asset.audience != Audience.PARTNERS:
        followers = followers.exclude(user__role=Role.PARTNER)
    return set(followers.values_list("user_id", flat=True))


def _notify_followers(*, asset: Asset, verb: str, message: str) -> int:
    if not asset.is_published:
        return 0
    user_ids = _subscriber_ids(asset=asset)
    if not user_ids:
        return 0
    Notification.objects.bulk_create(
        [
            Notification(user_id=user_id, verb=verb, asset=asset, message=message)
            for user_id in sorted(user_ids)
        ]
    )
    return len(user_ids)


def notify_asset_published(*, asset: Asset) -> int:
    """Tell the followers of the asset's stages and tags about a newly published
    asset. Returns how many people were notified."""
    return _notify_followers(
        asset=asset,
        verb=NotificationVerb.ASSET_PUBLISHED,
        message=f"New {asset.get_kind_display().lower()}: {asset.title}"[:300],
    )


def notify_asset_updated(*, asset: Asset) -> int:
    """Tell followers that a published asset has a new version."""
    return _notify_followers(
        asset=asset,
        verb=NotificationVerb.ASSET_UPDATED,
        message=f"Updated {asset.get_kind_display().lower()}: {asset.title}"[:300],
    )


def notify_request_triaged(*, request: ContentRequest, verb: str, message: str) -> int:
    """The requester and everyone who upvoted hear what marketing decided."""
    user_ids = set(request.votes.values_list("user_id", flat=True))
    user_ids.add(request.requester_id)
    people = User.objects.filter(pk__in=user_ids, is_active=True).values_list(
        "pk", "role"
    )
    asset = request.fulfilled_by
    internal_only = asset is not None and asset.audience != Audience.PARTNERS
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id,
                verb=verb,
                request=request,
                # A partner who voted is told, but never linked to an internal asset.
                asset=None if internal_only and role == Role.PARTNER else asset,
                message=message[:300],
            )
            for user_id, role in sorted(people)
        ]
    )
    return len(people)


@transaction.atomic
def notification_mark_read(
    *, user: User, notification: Notification | None = None
) -> int:
    """Mark one of the user's notifications read, or all of them."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification is not None:
        if notification.user_id != user.pk:
            raise PermissionDenied("This is not your notification.")
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def digest_set_enabled(*, user: User, enabled: bool) -> DigestState:
    state, _ = DigestState.objects.get_or_create(user=user)
    if state.enabled != enabled:
        state.enabled = enabled
        state.full_clean()
        state.save(update_fields=["enabled", "updated_at"])
    return state


@transaction.atomic
def digest_mark_sent(*, user: User, sent_at=None) -> DigestState:
    state, _ = DigestState.objects.get_or_create(user=user)
    state.last_digest_at = sent_at or timezone.now()
    state.save(update_fields=["last_digest_at", "updated_at"])
    return state


def news_mark_seen(*, user: User, seen_at=None) -> None:
    """The user has looked at what's new: later changes are news to them."""
    seen_at = seen_at or timezone.now()
    User.objects.filter(pk=user.pk).update(last_seen_news_at=seen_at)
    user.last_seen_news_at = seen_at


TARGET_MODELS = {
    SubscriptionTarget.STAGE: Stage,
    SubscriptionTarget.TAG: Tag,
    SubscriptionTarget.ASSET: Asset,
}

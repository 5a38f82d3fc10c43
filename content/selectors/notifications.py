"""Reads for notifications: a user's notifications, unread count, subscriptions."""

from django.db.models import (
    QuerySet,
)

from content.models import (
    Notification,
    Subscription,
)


def is_following(*, user, stage=None, tag=None, asset=None) -> bool:
    target = {"stage": stage, "tag": tag, "asset": asset}
    target = {k: v for k, v in target.items() if v is not None}
    return Subscription.objects.filter(user=user, **target).exists()


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

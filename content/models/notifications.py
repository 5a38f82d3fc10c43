"""Following stages, tags and assets; the notifications and digests that follow."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from content.models.base import TimeStampedModel


class SubscriptionTarget(models.TextChoices):
    STAGE = "stage", "Stage"
    TAG = "tag", "Tag"
    ASSET = "asset", "Asset"


class Subscription(models.Model):
    """A person follows exactly one stage, tag or asset."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    stage = models.ForeignKey(
        "content.Stage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    tag = models.ForeignKey(
        "taggit.Tag",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    asset = models.ForeignKey(
        "content.Asset",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(stage__isnull=False, tag__isnull=True, asset__isnull=True)
                    | Q(stage__isnull=True, tag__isnull=False, asset__isnull=True)
                    | Q(stage__isnull=True, tag__isnull=True, asset__isnull=False)
                ),
                name="subscription_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "stage"],
                condition=Q(stage__isnull=False),
                name="subscription_unique_stage",
            ),
            models.UniqueConstraint(
                fields=["user", "tag"],
                condition=Q(tag__isnull=False),
                name="subscription_unique_tag",
            ),
            models.UniqueConstraint(
                fields=["user", "asset"],
                condition=Q(asset__isnull=False),
                name="subscription_unique_asset",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.target}"

    @property
    def target(self):
        return self.stage or self.tag or self.asset

    @property
    def target_kind(self) -> str:
        if self.stage_id:
            return SubscriptionTarget.STAGE
        if self.tag_id:
            return SubscriptionTarget.TAG
        return SubscriptionTarget.ASSET


class NotificationVerb(models.TextChoices):
    ASSET_PUBLISHED = "asset_published", "New asset"
    ASSET_UPDATED = "asset_updated", "Updated asset"
    REQUEST_PLANNED = "request_planned", "Request planned"
    REQUEST_DONE = "request_done", "Request fulfilled"
    REQUEST_DECLINED = "request_declined", "Request declined"
    RATING_ANSWERED = "rating_answered", "Answer to your comment"
    SHARE_OPENED = "share_opened", "Link opened"
    SHARE_RETURNED = "share_returned", "Prospect returned"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    verb = models.CharField(max_length=24, choices=NotificationVerb.choices)
    asset = models.ForeignKey(
        "content.Asset",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    request = models.ForeignKey(
        "content.ContentRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    share = models.ForeignKey(
        "content.ShareLink",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    message = models.CharField(max_length=300)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class DigestState(TimeStampedModel):
    """Per person: whether they want the weekly digest and when they last got one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_state"
    )
    enabled = models.BooleanField(default=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "digest state"

    def __str__(self) -> str:
        return f"digest for {self.user}"

"""Tracked share links: a rep sends a prospect one asset or a deal room of several."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from content.models.base import TimeStampedModel


class ShareLinkQuerySet(models.QuerySet):
    def created_by(self, user) -> "ShareLinkQuerySet":
        return self.filter(created_by=user)

    def live(self) -> "ShareLinkQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ShareLink(TimeStampedModel):
    """The link itself is never stored: only the SHA-256 of its random token."""

    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="share_links"
    )
    deal = models.ForeignKey(
        "content.Deal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="share_links",
    )
    recipient = models.CharField(
        "Recipient", max_length=200, help_text="The prospect's name or email."
    )
    message = models.TextField(blank=True, max_length=2000)
    expires_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Link controls (docs/user-guide.md, "Sharing with a prospect").
    require_email = models.BooleanField(
        "Ask for an email before viewing", default=False
    )
    # Hashed like a password (django.contrib.auth.hashers); empty: no passcode.
    passcode_hash = models.CharField(max_length=128, blank=True)
    allow_download = models.BooleanField("Allow download", default=True)
    watermark = models.BooleanField(
        "Watermark pages with the viewer's email", default=False
    )
    # Kept current by the sharing services so lists never count events.
    open_count = models.PositiveIntegerField(default=0)
    download_count = models.PositiveIntegerField(default=0)
    first_opened_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_by", "created_at"]),
            models.Index(fields=["deal", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"Share for {self.recipient}"

    def get_absolute_url(self) -> str:
        return reverse("content:share_detail", kwargs={"pk": self.pk})

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def has_passcode(self) -> bool:
        return bool(self.passcode_hash)

    @property
    def status(self) -> str:
        if self.is_revoked:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "live"


class ShareLinkItem(models.Model):
    share = models.ForeignKey(ShareLink, on_delete=models.PROTECT, related_name="items")
    asset = models.ForeignKey(
        "content.Asset", on_delete=models.PROTECT, related_name="share_items"
    )
    position = models.PositiveSmallIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)
    download_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["share", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["share", "asset"], name="share_item_asset_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset} in {self.share}"


class ShareEventKind(models.TextChoices):
    OPEN = "open", "Opened the link"
    DOWNLOAD = "download", "Downloaded"


class ShareEvent(models.Model):
    """A prospect opened the link (item empty) or fetched one asset's file."""

    share = models.ForeignKey(
        ShareLink, on_delete=models.PROTECT, related_name="events"
    )
    item = models.ForeignKey(
        ShareLinkItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    kind = models.CharField(max_length=16, choices=ShareEventKind.choices)
    # Anonymised: a salted hash of IP and user agent tells repeat visits apart.
    visitor_hash = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["share", "kind", "created_at"]),
            models.Index(fields=["share", "visitor_hash", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.share_id}"

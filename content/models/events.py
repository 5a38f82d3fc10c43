"""View and download events, and the daily figures rolled up from them."""

from django.conf import settings
from django.db import models


class EventKind(models.TextChoices):
    VIEW = "view", "View"
    DOWNLOAD = "download", "Download"
    PROSPECT_VIEW = "prospect_view", "Prospect view"
    PROSPECT_DOWNLOAD = "prospect_download", "Prospect download"


class AssetEvent(models.Model):
    asset = models.ForeignKey(
        "content.Asset", on_delete=models.PROTECT, related_name="events"
    )
    version = models.ForeignKey(
        "content.Version",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    # Prospects are anonymous: a salted hash tells repeat visits apart, nothing more.
    visitor_hash = models.CharField(max_length=64, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["asset", "created_at"]),
            models.Index(fields=["kind", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.asset_id}"


class DailyAssetStat(models.Model):
    """Per asset per day counts, kept current by the event and usage services."""

    asset = models.ForeignKey(
        "content.Asset", on_delete=models.CASCADE, related_name="daily_stats"
    )
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    prospect_views = models.PositiveIntegerField(default=0)
    usages = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "day"], name="daily_stat_unique")
        ]
        indexes = [models.Index(fields=["day", "asset"])]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.day}"

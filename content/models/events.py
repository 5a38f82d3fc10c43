"""View and download events, and the daily figures rolled up from them."""

from django.conf import settings
from django.db import models


class EventKind(models.TextChoices):
    VIEW = "view", "View"
    DOWNLOAD = "download", "Download"
    PROSPECT_VIEW = "prospect_view", "Prospect view"
    PROSPECT_DOWNLOAD = "prospect_download", "Prospect download"


class AssetEvent(models.Model):
    # Indexed through (asset, created_at) below: a second index would only slow
    # down the insert that every page view makes.
    asset = models.ForeignKey(
        "content.Asset",
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,
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
            # "Has this person already opened this asset today?" (unique viewers).
            models.Index(fields=["asset", "user", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.asset_id}"


class DailyAssetStat(models.Model):
    """Per asset per day counts, kept current by the event and usage services.

    `unique_viewers` counts the distinct people (a signed-in user, or a prospect's
    visitor hash) who viewed or downloaded the asset that day; over a period the
    dashboard adds the days up, so someone who came back on three days counts
    three times. `manage.py rebuild_daily_stats` recomputes every figure from the
    raw events and usages.
    """

    # Indexed through the (asset, day) unique constraint.
    asset = models.ForeignKey(
        "content.Asset",
        on_delete=models.CASCADE,
        related_name="daily_stats",
        db_index=False,
    )
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    prospect_views = models.PositiveIntegerField(default=0)
    usages = models.PositiveIntegerField(default=0)
    unique_viewers = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "day"], name="daily_stat_unique")
        ]
        indexes = [models.Index(fields=["day", "asset"])]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.day}"


class AssetLastActivity(models.Model):
    """The last day an asset was viewed, downloaded or used.

    One narrow row per asset, so "unused for 90 days" is one index range instead
    of a probe into the daily figures for every asset. Kept by the event and usage
    services with the daily row, rebuilt by `manage.py rebuild_daily_stats`.
    """

    asset = models.OneToOneField(
        "content.Asset",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="last_activity",
    )
    day = models.DateField()

    class Meta:
        verbose_name_plural = "asset last activity"
        # Covering: "assets active since D" is read from the index alone.
        indexes = [models.Index(fields=["day", "asset"])]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.day}"

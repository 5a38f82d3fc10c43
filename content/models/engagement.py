"""Prospect visits of a share link, with the time spent on each page.

A visit is one viewing session of a link: activity within the merge window
(settings.WINGMAN_SHARE_VISIT_MERGE_MINUTES) of the last heartbeat belongs to
it. No IP address is stored: the visitor hash is the one share events use.
"""

from django.db import models
from django.db.models import Q

from content.models.base import TimeStampedModel


class ShareVisit(TimeStampedModel):
    share = models.ForeignKey(
        "content.ShareLink", on_delete=models.CASCADE, related_name="visits"
    )
    visitor_hash = models.CharField(max_length=64, blank=True)
    # Recorded only when the link asks for it.
    email = models.EmailField(blank=True)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(db_index=True)
    # The last accepted heartbeat: beacons are bounded by the time since it.
    last_beat_at = models.DateTimeField()
    total_seconds = models.FloatField(default=0)
    beat_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["share", "visitor_hash", "last_seen_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_seen_at__gte=models.F("started_at")),
                name="share_visit_seen_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Visit {self.pk} of share {self.share_id}"


class ShareVisitPage(models.Model):
    """Seconds one visit spent on one page of one shared document."""

    visit = models.ForeignKey(
        ShareVisit, on_delete=models.CASCADE, related_name="pages"
    )
    item = models.ForeignKey(
        "content.ShareLinkItem", on_delete=models.CASCADE, related_name="visit_pages"
    )
    number = models.PositiveIntegerField()
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["visit", "item", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "item", "number"], name="share_visit_page_once"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="share_visit_page_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"page {self.number}: {self.seconds}s"

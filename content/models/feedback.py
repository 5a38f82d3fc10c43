"""What the field tells marketing: ratings, content requests and failed searches."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from content.models.base import TimeStampedModel
from content.models.library import AssetKind


class Rating(TimeStampedModel):
    asset = models.ForeignKey(
        "content.Asset", on_delete=models.PROTECT, related_name="ratings"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ratings"
    )
    stars = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "user"], name="rating_one_per_user"
            ),
            models.CheckConstraint(
                condition=Q(stars__gte=1) & Q(stars__lte=5), name="rating_stars_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ {self.asset} by {self.user}"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    PLANNED = "planned", "Planned"
    DONE = "done", "Done"
    DECLINED = "declined", "Declined"


class ContentRequest(TimeStampedModel):
    title = models.CharField("What is missing", max_length=200)
    description = models.TextField("Why it would help", blank=True)
    stage = models.ForeignKey(
        "content.Stage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    kind = models.CharField(max_length=32, choices=AssetKind.choices, blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="content_requests",
    )
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    vote_count = models.PositiveIntegerField(default=0)
    fulfilled_by = models.ForeignKey(
        "content.Asset",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fulfilled_requests",
    )
    decline_reason = models.TextField(blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    triaged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-vote_count", "-created_at"]
        indexes = [models.Index(fields=["status", "vote_count"])]

    def __str__(self) -> str:
        return self.title


class ContentRequestVote(models.Model):
    request = models.ForeignKey(
        ContentRequest, on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "user"], name="one_vote_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} +1 {self.request}"


class SearchLog(models.Model):
    """A search that found nothing: what reps look for and do not find."""

    query = models.CharField(max_length=200)
    normalized_query = models.CharField(max_length=200, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(max_length=16, blank=True)
    stage = models.ForeignKey(
        "content.Stage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    results_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.query

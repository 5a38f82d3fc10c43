"""Plays: marketing's choice of essential assets for a stage, and its history;
the deal context recommendations compare like with like on (stage history,
industries)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from content.models.base import TimeStampedModel


class Play(TimeStampedModel):
    """One stage's play: key questions for the rep plus ordered essential assets."""

    stage = models.OneToOneField(
        "content.Stage", on_delete=models.PROTECT, related_name="play"
    )
    key_questions = models.TextField(
        blank=True, help_text="One question per line: what the rep must find out."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["stage__order", "stage__name"]

    def __str__(self) -> str:
        return f"Play for {self.stage}"

    @property
    def question_list(self) -> list[str]:
        return [
            line.strip() for line in self.key_questions.splitlines() if line.strip()
        ]


class PlayItem(models.Model):
    """An essential asset of a play, in order, with when to use it."""

    play = models.ForeignKey(Play, on_delete=models.CASCADE, related_name="items")
    asset = models.ForeignKey(
        "content.Asset", on_delete=models.PROTECT, related_name="play_items"
    )
    position = models.PositiveSmallIntegerField(default=0)
    when_to_use = models.CharField(max_length=200)
    talk_track = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["play", "asset"], name="play_item_unique_asset"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset} in {self.play}"


class PlayActivity(models.Model):
    """Who changed a play, when, and what it became. Never edited, never deleted."""

    play = models.ForeignKey(Play, on_delete=models.PROTECT, related_name="activity")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "play activity"

    def __str__(self) -> str:
        return f"{self.actor} edited {self.play}"


class Industry(TimeStampedModel):
    """The industries a deal may carry; a list marketing maintains (admin)."""

    name = models.CharField(max_length=80, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "industries"

    def __str__(self) -> str:
        return self.name


class StageChangeSource(models.TextChoices):
    SITE = "site", "Site"
    API = "api", "API"
    BACKFILL = "backfill", "Backfilled from usage"


class DealStageChange(models.Model):
    """A deal entering a stage (from_stage empty: the deal was created there)."""

    deal = models.ForeignKey(
        "content.Deal", on_delete=models.PROTECT, related_name="stage_changes"
    )
    from_stage = models.ForeignKey(
        "content.Stage",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    to_stage = models.ForeignKey(
        "content.Stage", on_delete=models.PROTECT, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    source = models.CharField(
        max_length=16, choices=StageChangeSource.choices, default=StageChangeSource.SITE
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["deal", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_stage__isnull=True)
                | ~Q(from_stage=models.F("to_stage")),
                name="deal_stage_change_moves",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deal} → {self.to_stage}"

"""Deals and the record of which asset (at which version) was used in them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from content.models.base import TimeStampedModel


class DealOutcome(models.TextChoices):
    OPEN = "open", "Open"
    WON = "won", "Won"
    LOST = "lost", "Lost"


class DealQuerySet(models.QuerySet):
    def owned_by(self, user) -> "DealQuerySet":
        return self.filter(owner=user)

    def open(self) -> "DealQuerySet":
        return self.filter(outcome=DealOutcome.OPEN)

    def closed(self) -> "DealQuerySet":
        return self.exclude(outcome=DealOutcome.OPEN)


class Deal(TimeStampedModel):
    name = models.CharField(max_length=200)
    account = models.CharField(max_length=200)
    crm_id = models.CharField("CRM id", max_length=64, blank=True, db_index=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    stage = models.ForeignKey(
        "content.Stage", on_delete=models.PROTECT, related_name="deals"
    )
    outcome = models.CharField(
        max_length=8, choices=DealOutcome.choices, default=DealOutcome.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # A competitor name from the library's battle cards (Asset.competitor).
    competitor = models.CharField(max_length=120, blank=True, db_index=True)
    industry = models.ForeignKey(
        "content.Industry",
        on_delete=models.PROTECT,
        related_name="deals",
        null=True,
        blank=True,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deals"
    )

    objects = DealQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="deal_amount_not_negative",
            ),
            models.UniqueConstraint(
                fields=["owner", "crm_id"],
                condition=~Q(crm_id=""),
                name="deal_unique_crm_id_per_owner",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "outcome"]),
            models.Index(fields=["outcome", "closed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.account})"

    def get_absolute_url(self) -> str:
        return reverse("content:deal", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.outcome == DealOutcome.OPEN


class Usage(models.Model):
    """An asset, at a version, used in a deal at a stage. History: never deleted."""

    deal = models.ForeignKey(Deal, on_delete=models.PROTECT, related_name="usages")
    asset = models.ForeignKey(
        "content.Asset", on_delete=models.PROTECT, related_name="usages"
    )
    version = models.ForeignKey(
        "content.Version",
        on_delete=models.PROTECT,
        related_name="usages",
        null=True,
        blank=True,
    )
    stage = models.ForeignKey(
        "content.Stage", on_delete=models.PROTECT, related_name="usages"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="usages"
    )
    note = models.TextField(blank=True)
    # Lets a client (the CRM) retry a request without recording the usage twice.
    idempotency_key = models.CharField(max_length=80, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="usage_unique_idempotency_key",
            ),
        ]
        indexes = [
            # Covers the per-asset deal figures of the dashboard without a lookup.
            models.Index(fields=["asset", "created_at", "deal"]),
            models.Index(fields=["deal", "asset"]),
            models.Index(fields=["user", "created_at"]),
            # The asset page's "where you used it": one user's usages of one
            # asset, newest first (a popular asset has tens of thousands).
            models.Index(fields=["asset", "user", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.asset} in {self.deal}"

"""The dashboard's evidence, worked out ahead by the task queue: at full size
(100,000 assets, a million uses) judging every asset takes seconds, far too
long for a page. One row per asset per preset period and filter (none, one
stage, one competitor); the page reads the rows of its own period and filter
and says when they were worked out."""

from django.db import models


class AssetEvidence(models.Model):
    """One asset's effect over the last `days` days as of `computed_at`.

    `rank` is the dashboard's evidence order (best evidence first), so the page
    sorts with an index instead of judging every asset. `version` identifies
    the period's closed deals when it was worked out: when it differs from
    today's, the page says the figures are older than the latest deals.
    """

    days = models.PositiveSmallIntegerField()
    # The dashboard filter the row answers: "" for none, "stage:<id>" or
    # "competitor:<name>" (one at a time: both at once are judged on the page).
    scope = models.CharField(max_length=140, blank=True, default="")
    asset = models.ForeignKey(
        "content.Asset", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    rank = models.PositiveIntegerField()
    verdict = models.CharField(max_length=20)
    difference = models.FloatField(null=True)
    low = models.FloatField(null=True)
    high = models.FloatField(null=True)
    level = models.FloatField()
    adjusted = models.BooleanField(default=False)
    used_won = models.PositiveIntegerField()
    used_closed = models.PositiveIntegerField()
    others_won = models.PositiveIntegerField()
    others_closed = models.PositiveIntegerField()
    # The page's deal columns for the same period and deals (win rate when
    # used, influenced revenue): summing them for the busiest assets reads
    # every one of their uses, the slowest part of a cold page at full size.
    deals_closed = models.PositiveIntegerField(default=0)
    deals_won = models.PositiveIntegerField(default=0)
    revenue = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    # The same for every row of one `days` and `scope`: the build and the
    # filtered set of assets they come from.
    period_end = models.DateField()
    computed_at = models.DateTimeField()
    version = models.CharField(max_length=100)
    assets_key = models.CharField(max_length=64)

    class Meta:
        verbose_name_plural = "asset evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["days", "scope", "asset"], name="evidence_one_row_per_scope"
            )
        ]
        indexes = [models.Index(fields=["days", "scope", "rank"])]

    def __str__(self) -> str:
        return f"{self.asset_id} over {self.days} days: {self.verdict}"

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    REP = "rep", "Sales rep"
    PARTNER = "partner", "Channel partner"
    MARKETER = "marketer", "Marketer"
    ADMIN = "admin", "Admin"


class User(AbstractUser):
    """A Wingman user; what they may do follows from `role` (see accounts.roles)."""

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.REP)
    title = models.CharField(max_length=120, blank=True)
    # When the user last opened "What's new"; newer publications are news to them.
    last_seen_news_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["username"]
        indexes = [models.Index(fields=["role"])]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

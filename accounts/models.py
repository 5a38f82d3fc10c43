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


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal API key. Only its SHA-256 is stored: the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=80)
    # The first characters of the key, so its owner can tell keys apart.
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

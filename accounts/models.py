from django.contrib.auth.models import AbstractUser
from django.db import models
from django_scim.models import AbstractSCIMGroupMixin, AbstractSCIMUserMixin


class Role(models.TextChoices):
    REP = "rep", "Sales rep"
    PARTNER = "partner", "Channel partner"
    MARKETER = "marketer", "Marketer"
    ADMIN = "admin", "Admin"


class User(AbstractSCIMUserMixin, AbstractUser):
    """A Wingman user; what they may do follows from `role` (see accounts.roles).

    The scim_* fields (django-scim2) identify the user to the provisioning
    client; a user an IdP deleted keeps their history but loses their scim_id.
    """

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

    @property
    def scim_groups(self):
        # django-scim2 lists a user's groups through this name.
        return self.scim_group_memberships


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


class ScimGroup(AbstractSCIMGroupMixin):
    """A group the identity provider pushes over SCIM. Its display name is looked
    up in WINGMAN_SSO_ROLE_MAP to give its members their role."""

    name = models.CharField(max_length=200)
    # Named so because django-scim2's group adapter reads and writes `user_set`.
    user_set = models.ManyToManyField(
        User, related_name="scim_group_memberships", blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScimToken(models.Model):
    """The bearer token of a provisioning client (e.g. Okta). Not a personal API
    token: it acts for no user and is good only on /scim/v2/. Only its SHA-256 is
    stored; the secret is shown once to the admin who created it."""

    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="scim_tokens_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "SCIM token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

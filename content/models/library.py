"""The library: sales-cycle stages, assets, their file versions and history."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.urls import reverse
from taggit.managers import TaggableManager

from content.models.base import TimeStampedModel


class Stage(TimeStampedModel):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(default=0, db_index=True)
    description = models.TextField(blank=True)
    exit_goal = models.TextField(
        blank=True, help_text="What the rep must reach to move the deal on."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("content:stage", kwargs={"slug": self.slug})


class AssetKind(models.TextChoices):
    BATTLE_CARD = "battle_card", "Battle card"
    OBJECTION_HANDLER = "objection_handler", "Objection handler"
    DECK = "deck", "Deck"
    CASE_STUDY = "case_study", "Case study"
    ONE_PAGER = "one_pager", "One-pager"
    EMAIL_TEMPLATE = "email_template", "Email template"
    CALL_SCRIPT = "call_script", "Call script"
    COMPETITIVE_BRIEF = "competitive_brief", "Competitive brief"
    VIDEO = "video", "Demo video"


class Audience(models.TextChoices):
    INTERNAL = "internal", "Internal only"
    PARTNERS = "partners", "Internal and partners"


class AssetStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class AssetQuerySet(models.QuerySet):
    def published(self) -> "AssetQuerySet":
        return self.filter(status=AssetStatus.PUBLISHED)

    def visible_to(self, user) -> "AssetQuerySet":
        """What `user` may open: managers everything, others published only.

        Partners see only assets whose audience includes partners.
        """
        from accounts import roles

        # The same rule names the audience class of every cache key
        # (content.caching), so a cached list and this filter never disagree.
        audience = roles.audience_class(user)
        if audience == roles.AUDIENCE_ALL:
            return self
        if audience == roles.AUDIENCE_NONE:
            return self.none()
        qs = self.published()
        if audience == roles.AUDIENCE_PARTNER:
            qs = qs.filter(audience=Audience.PARTNERS)
        return qs


class Asset(TimeStampedModel):
    kind = models.CharField(max_length=32, choices=AssetKind.choices, db_index=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    stages = models.ManyToManyField(Stage, related_name="assets")
    tags = TaggableManager(blank=True)
    audience = models.CharField(
        max_length=16, choices=Audience.choices, default=Audience.INTERNAL
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_assets"
    )
    status = models.CharField(
        max_length=16, choices=AssetStatus.choices, default=AssetStatus.DRAFT
    )
    review_by = models.DateField(null=True, blank=True, db_index=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_reason = models.TextField(blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
    )
    current_version = models.ForeignKey(
        "content.Version",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Structured battle card fields.
    competitor = models.CharField(max_length=120, blank=True, db_index=True)
    their_strengths = models.TextField(blank=True)
    their_weaknesses = models.TextField(blank=True)
    landmines = models.TextField(blank=True, help_text="Landmines and trap questions.")
    how_we_win = models.TextField(blank=True)
    proof_points = models.TextField(blank=True)
    # Structured objection handler fields.
    objection = models.TextField(blank=True)
    response = models.TextField(blank=True)
    when_to_use = models.TextField(blank=True)
    # Everything a rep can search for, kept current by the services.
    search_text = models.TextField(blank=True)
    # Counters kept by the services so list pages never aggregate big tables.
    rating_count = models.PositiveIntegerField(default=0)
    rating_total = models.PositiveIntegerField(default=0)
    usage_count = models.PositiveIntegerField(default=0)
    deal_count = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)
    download_count = models.PositiveIntegerField(default=0)
    # The Bayesian average rating (C*m + rating_total) / (C + rating_count), kept
    # by rating_set and refresh_rating_scores so "top rated" lists walk an index
    # instead of computing and sorting every row. Default: the prior mean.
    rating_score = models.FloatField(default=3.0)

    objects = AssetQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["status", "audience"]),
            models.Index(fields=["status", "kind"]),
            models.Index(fields=["owner", "status"]),
            # Top rated first, one page at a time: search and related assets
            # walk the first, the stage page (grouped by kind) the second.
            models.Index(fields=["status", "-rating_score", "-id"]),
            models.Index(fields=["status", "kind", "-rating_score", "-id"]),
            # Review queue, stale/expiring lists and low-rated analytics.
            models.Index(fields=["status", "review_by"]),
            models.Index(fields=["status", "rating_count", "rating_total"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:asset", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == AssetStatus.PUBLISHED

    @property
    def is_retired(self) -> bool:
        return self.status == AssetStatus.RETIRED

    @property
    def is_card(self) -> bool:
        return self.kind in (AssetKind.BATTLE_CARD, AssetKind.OBJECTION_HANDLER)

    @property
    def average_rating(self) -> float | None:
        if not self.rating_count:
            return None
        return self.rating_total / self.rating_count


def version_upload_to(instance: "Version", filename: str) -> str:
    """A uuid name: the uploader's file name never reaches the storage path."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"assets/{uuid.uuid4().hex}{suffix}"


def thumbnail_upload_to(instance: "Version", filename: str) -> str:
    return f"thumbnails/{uuid.uuid4().hex}.png"


class PreviewStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    READY = "ready", "Ready"
    ICON = "icon", "Kind icon"
    FAILED = "failed", "Failed"


class Version(TimeStampedModel):
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=version_upload_to, max_length=255)
    original_name = models.CharField(max_length=255)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=120)
    thumbnail = models.ImageField(
        upload_to=thumbnail_upload_to, max_length=255, blank=True
    )
    preview_status = models.CharField(
        max_length=16, choices=PreviewStatus.choices, default=PreviewStatus.PENDING
    )
    preview_error = models.TextField(blank=True)
    # Why there is no preview, in words for the page ("no preview: the file is
    # too complex to preview safely"); preview_error keeps the technical detail.
    # Database defaults too: bulk loaders (content/scale) name their columns.
    preview_note = models.CharField(max_length=200, blank=True, db_default="")
    # Tries of the preview task (bounded by WINGMAN_JOB_MAX_ATTEMPTS).
    preview_attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    preview_finished_at = models.DateTimeField(null=True, blank=True)
    # How many page images (content.models.pages.VersionPage) the job stored.
    page_count = models.PositiveSmallIntegerField(default=0, db_default=0)
    extracted_text = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    change_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["asset", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "number"], name="version_unique_number"
            ),
        ]
        indexes = [
            # The recovery sweep looks for previews left pending (enqueue_previews).
            models.Index(fields=["preview_status", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.asset} v{self.number}"

    @property
    def extension(self) -> str:
        return PurePosixPath(self.original_name).suffix.lower().lstrip(".")

    @property
    def file_type(self):
        """The accepted file type this version was sniffed as, or None."""
        from content.files import TYPES_BY_CONTENT_TYPE

        return TYPES_BY_CONTENT_TYPE.get(self.content_type)

    @property
    def is_previewable(self) -> bool:
        """PDFs and images may open in the browser; everything else downloads."""
        file_type = self.file_type
        return bool(file_type and file_type.inline)

    @property
    def preview_pending(self) -> bool:
        return self.preview_status == PreviewStatus.PENDING

    @property
    def type_label(self) -> str:
        file_type = self.file_type
        return file_type.label if file_type else "File"


class ActivityVerb(models.TextChoices):
    CREATED = "created", "created"
    EDITED = "edited", "edited"
    VERSION_UPLOADED = "version_uploaded", "uploaded a new version of"
    PUBLISHED = "published", "published"
    RETIRED = "retired", "retired"
    RESTORED = "restored", "restored"
    VERIFIED = "verified", "verified as current"


class AssetActivity(models.Model):
    """Who did what to an asset, and when. Never edited, never deleted."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="activity")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    verb = models.CharField(max_length=32, choices=ActivityVerb.choices)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "asset activity"

    def __str__(self) -> str:
        return f"{self.actor} {self.get_verb_display()} {self.asset}"

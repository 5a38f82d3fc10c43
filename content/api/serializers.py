"""What the API reads and writes. Writes are validated here for shape only; the
services (content.services.*) enforce every rule, as they do for the site."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from content.models import (
    Asset,
    AssetKind,
    Audience,
    Deal,
    DealOutcome,
    Rating,
    Stage,
    Usage,
    Version,
)
from content.selectors.analytics import DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS
from content.selectors.search import SORTS

MAX_QUERY = 200


class MeSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "role"]
        read_only_fields = fields


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["id", "slug", "name", "order", "description", "exit_goal"]
        read_only_fields = fields


class VersionSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="Fetch the file with the same credentials."
    )

    class Meta:
        model = Version
        fields = [
            "id",
            "number",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "change_note",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, version: Version) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:version-download", kwargs={"pk": version.pk})
        )


def _absolute(serializer: serializers.Serializer, path: str) -> str:
    return serializer.context["request"].build_absolute_uri(path)


class AssetSerializer(serializers.ModelSerializer):
    """An asset as lists show it."""

    stages = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    tags = serializers.SerializerMethodField()
    average_rating = serializers.FloatField(read_only=True, allow_null=True)
    current_version = VersionSerializer(read_only=True, allow_null=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Asset
        fields = [
            "id",
            "title",
            "kind",
            "summary",
            "status",
            "audience",
            "stages",
            "tags",
            "competitor",
            "average_rating",
            "rating_count",
            "usage_count",
            "deal_count",
            "published_at",
            "updated_at",
            "current_version",
            "web_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, asset: Asset) -> list[str]:
        return sorted(tag.name for tag in asset.tags.all())

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, asset: Asset) -> str:
        return _absolute(self, asset.get_absolute_url())


class AssetDetailSerializer(AssetSerializer):
    """One asset with its structured card fields and the versions the user may fetch."""

    versions = serializers.SerializerMethodField()
    replaced_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta(AssetSerializer.Meta):
        fields = AssetSerializer.Meta.fields + [
            "review_by",
            "retired_at",
            "retired_reason",
            "replaced_by",
            "their_strengths",
            "their_weaknesses",
            "landmines",
            "how_we_win",
            "proof_points",
            "objection",
            "response",
            "when_to_use",
            "versions",
        ]
        read_only_fields = fields

    @extend_schema_field(VersionSerializer(many=True))
    def get_versions(self, asset: Asset) -> list[dict]:
        versions = self.context.get("versions", [])
        return VersionSerializer(versions, many=True, context=self.context).data


class AssetSearchParams(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_QUERY,
        help_text='Words to find; "quoted phrase" and -excluded words work too.',
    )
    stage = serializers.CharField(
        required=False, allow_blank=True, max_length=80, help_text="Stage slug or id."
    )
    # Blank query parameters mean "any", as in the site's filter forms.
    kind = serializers.ChoiceField(
        choices=AssetKind.choices, required=False, allow_blank=True
    )
    tag = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Tag name or slug."
    )
    competitor = serializers.CharField(required=False, allow_blank=True, max_length=120)
    audience = serializers.ChoiceField(
        choices=Audience.choices, required=False, allow_blank=True
    )
    ordering = serializers.ChoiceField(
        choices=list(SORTS.items()),
        required=False,
        allow_blank=True,
        help_text="Default: relevance.",
    )


class DealSerializer(serializers.ModelSerializer):
    stage = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Deal
        fields = [
            "id",
            "name",
            "account",
            "crm_id",
            "amount",
            "stage",
            "outcome",
            "closed_at",
            "created_at",
            "updated_at",
            "web_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, deal: Deal) -> str:
        return _absolute(self, deal.get_absolute_url())


def _active_stages():
    return Stage.objects.filter(is_active=True)


class DealWriteSerializer(serializers.Serializer):
    """Create (POST, or PUT by CRM id) and update (PATCH) a deal."""

    name = serializers.CharField(max_length=200)
    account = serializers.CharField(max_length=200)
    crm_id = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="Your CRM's id."
    )
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    stage = serializers.SlugRelatedField(
        slug_field="slug", queryset=_active_stages(), help_text="Stage slug."
    )


class DealOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DealOutcome.choices)
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="The final amount, if it changed.",
    )


class DealListParams(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=DealOutcome.choices, required=False, allow_blank=True
    )
    crm_id = serializers.CharField(required=False, allow_blank=True, max_length=64)
    stage = serializers.CharField(required=False, allow_blank=True, max_length=80)
    ordering = serializers.ChoiceField(
        choices=[
            "created_at",
            "-created_at",
            "updated_at",
            "-updated_at",
            "name",
            "-name",
            "amount",
            "-amount",
        ],
        required=False,
        allow_blank=True,
        help_text="Default: -created_at (newest first).",
    )


class UsageSerializer(serializers.ModelSerializer):
    stage = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    version = serializers.SerializerMethodField(
        help_text="The number of the asset's version that was used, if it had a file."
    )

    class Meta:
        model = Usage
        fields = ["id", "deal", "asset", "version", "stage", "note", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_version(self, usage: Usage) -> int | None:
        return usage.version.number if usage.version_id else None


class UsageWriteSerializer(serializers.Serializer):
    """`deal` (Wingman id) or `deal_crm_id` (your CRM's id) names the deal."""

    deal = serializers.IntegerField(required=False, min_value=1)
    deal_crm_id = serializers.CharField(required=False, max_length=64)
    asset = serializers.IntegerField(min_value=1)
    stage = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=_active_stages(),
        required=False,
        help_text="Stage slug; the deal's current stage if omitted.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate(self, attrs):
        if ("deal" in attrs) == ("deal_crm_id" in attrs):
            raise serializers.ValidationError(
                "Give exactly one of deal (Wingman id) or deal_crm_id."
            )
        return attrs


class UsageListParams(serializers.Serializer):
    deal = serializers.IntegerField(required=False, min_value=1)
    asset = serializers.IntegerField(required=False, min_value=1)


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["asset", "stars", "comment", "created_at", "updated_at"]
        read_only_fields = ["asset", "created_at", "updated_at"]
        extra_kwargs = {"stars": {"min_value": 1, "max_value": 5}}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class FiguresParams(serializers.Serializer):
    days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PERIOD_DAYS,
        help_text=f"The period: the last N days, today included. "
        f"Default {DEFAULT_PERIOD_DAYS}.",
    )


class WeekFiguresSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="The Monday the week starts on.")
    views = serializers.IntegerField(help_text="Views, prospects' included.")
    downloads = serializers.IntegerField()
    usages = serializers.IntegerField()


class AssetFiguresSerializer(serializers.Serializer):
    """The analytics dashboard's figures for one asset (see its definitions)."""

    asset = serializers.IntegerField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    views = serializers.IntegerField(help_text="Views by colleagues.")
    prospect_views = serializers.IntegerField(help_text="Views through share links.")
    downloads = serializers.IntegerField()
    unique_viewers = serializers.IntegerField()
    usages = serializers.IntegerField()
    deals = serializers.IntegerField(help_text="Distinct deals it was used in.")
    closed_deals = serializers.IntegerField(
        help_text="n: deals closed in the period that used it."
    )
    won_deals = serializers.IntegerField()
    win_rate = serializers.FloatField(
        allow_null=True, help_text="Won ÷ closed; null below min_closed_deals."
    )
    overall_win_rate = serializers.FloatField(allow_null=True)
    lift = serializers.FloatField(
        allow_null=True, help_text="Percentage points over the overall win rate."
    )
    influenced_revenue = serializers.DecimalField(max_digits=16, decimal_places=2)
    rating = serializers.FloatField(allow_null=True)
    rating_count = serializers.IntegerField()
    bayesian_rating = serializers.FloatField(allow_null=True)
    stars = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="How many ratings gave 1, 2, 3, 4 and 5 stars.",
    )
    weeks = WeekFiguresSerializer(many=True)
    min_closed_deals = serializers.IntegerField()

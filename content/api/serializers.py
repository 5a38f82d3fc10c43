"""What the API reads and writes. Writes are validated here for shape only; the
services (content.services.*) enforce every rule, as they do for the site."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from accounts.models import User
from content.models import (
    Asset,
    AssetKind,
    Audience,
    Deal,
    DealOutcome,
    Industry,
    Rating,
    Stage,
    Usage,
    Version,
)
from content.segments import segment_for
from content.selectors.analytics import DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS
from content.selectors.search import SORTS

MAX_QUERY = 200
# The largest id the databases store (a signed 64-bit integer): larger numbers
# are refused as input rather than overflowing the database driver.
MAX_ID = 2**63 - 1
# A non-negative amount with at most 12 digits before the point and 2 after.
AMOUNT_PATTERN = r"^\d{1,12}(?:\.\d{1,2})?$"


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "pattern": AMOUNT_PATTERN,
        "examples": ["12500.00"],
    }
)
class AmountField(serializers.DecimalField):
    """A deal amount: never negative, so the schema's pattern has no minus sign."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_digits=14, decimal_places=2, min_value=0, **kwargs)


def stage_by_slug_or_id(value: str) -> Stage | None:
    """The active stage a filter names, by slug or id; None if there is none."""
    stages = Stage.objects.filter(is_active=True)
    if value.isdigit():
        return stages.filter(pk=int(value)).first() if int(value) <= MAX_ID else None
    return stages.filter(slug=value).first()


class StageFilterField(serializers.CharField):
    """A stage filter: an unknown stage is a 400 naming it, never an empty page
    that looks like "nothing matches"."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("help_text", "Stage slug or id (see /api/v1/stages/).")
        super().__init__(required=False, allow_blank=True, max_length=80, **kwargs)

    def run_validation(self, data=serializers.empty) -> Stage | str:
        value = super().run_validation(data).strip()
        if not value:
            return ""
        stage = stage_by_slug_or_id(value)
        if stage is None:
            raise serializers.ValidationError(
                f"There is no stage {value!r}. Use a slug or id from /api/v1/stages/."
            )
        return stage


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
    stage = StageFilterField()
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
    amount = AmountField(read_only=True, allow_null=True)
    industry = serializers.SlugRelatedField(
        slug_field="name", read_only=True, allow_null=True
    )
    segment = serializers.SerializerMethodField(
        help_text="From the amount, by the bands in WINGMAN_DEAL_SEGMENTS."
    )
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
            "competitor",
            "industry",
            "segment",
            "created_at",
            "updated_at",
            "web_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, deal: Deal) -> str:
        return _absolute(self, deal.get_absolute_url())

    @extend_schema_field({"type": ["string", "null"]})
    def get_segment(self, deal: Deal) -> str | None:
        segment = segment_for(deal.amount)
        return segment.name if segment else None


def _active_stages():
    return Stage.objects.filter(is_active=True)


STAGE_ERRORS = {
    "does_not_exist": "There is no stage '{value}'. Use a slug from /api/v1/stages/."
}


class DealWriteSerializer(serializers.Serializer):
    """Create (POST, or PUT by CRM id) and update (PATCH) a deal."""

    name = serializers.CharField(max_length=200)
    account = serializers.CharField(max_length=200)
    crm_id = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="Your CRM's id."
    )
    amount = AmountField(required=False, allow_null=True)
    stage = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=_active_stages(),
        help_text="Stage slug. A change is kept in the deal's stage history.",
        error_messages=STAGE_ERRORS,
    )
    competitor = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        help_text="A competitor named by the library's battle cards, or empty.",
    )
    industry = serializers.SlugRelatedField(
        slug_field="name",
        queryset=Industry.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="An industry from the list marketing keeps, by name.",
    )

    def validate_competitor(self, value: str) -> str:
        value = value.strip()
        known = (
            Asset.objects.published()
            .filter(competitor=value)
            .exclude(competitor="")
            .exists()
        )
        if value and not known:
            raise serializers.ValidationError(
                f"No battle card names the competitor {value!r}."
            )
        return value


class DealOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DealOutcome.choices)
    amount = AmountField(
        required=False, allow_null=True, help_text="The final amount, if it changed."
    )


class DealListParams(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=DealOutcome.choices, required=False, allow_blank=True
    )
    crm_id = serializers.CharField(required=False, allow_blank=True, max_length=64)
    stage = StageFilterField()
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
        help_text="The version's *number* (1, 2, ...) within its asset, if it had "
        "a file. To download it, use `version_id`."
    )
    version_id = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="The version's id, as in /api/v1/versions/{id}/download/.",
    )

    class Meta:
        model = Usage
        fields = [
            "id",
            "deal",
            "asset",
            "version",
            "version_id",
            "stage",
            "note",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_version(self, usage: Usage) -> int | None:
        return usage.version.number if usage.version_id else None


class UsageWriteSerializer(serializers.Serializer):
    """`deal` (Wingman id) or `deal_crm_id` (your CRM's id) names the deal."""

    deal = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Wingman's deal id."
    )
    deal_crm_id = serializers.CharField(
        required=False, max_length=64, help_text="Your CRM's id of the deal."
    )
    asset = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    stage = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=_active_stages(),
        required=False,
        help_text="Stage slug; the deal's current stage if omitted.",
        error_messages=STAGE_ERRORS,
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate(self, attrs):
        if ("deal" in attrs) == ("deal_crm_id" in attrs):
            raise serializers.ValidationError(
                "Give exactly one of deal (Wingman id) or deal_crm_id."
            )
        return attrs


class _UsageSchemaBase(serializers.Serializer):
    asset = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    stage = serializers.CharField(
        required=False, help_text="Stage slug; the deal's current stage if omitted."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class UsageByDealSerializer(_UsageSchemaBase):
    """A usage in the deal with this Wingman id (schema only)."""

    deal = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Wingman's deal id."
    )


class UsageByCrmIdSerializer(_UsageSchemaBase):
    """A usage in the deal with this CRM id (schema only)."""

    deal_crm_id = serializers.CharField(
        max_length=64, help_text="Your CRM's id of the deal."
    )


# What a client may send: exactly one of the two shapes. An object naming both
# deal and deal_crm_id matches both, which `oneOf` forbids, as the server does.
USAGE_WRITE_SCHEMA = PolymorphicProxySerializer(
    component_name="UsageWrite",
    serializers=[UsageByDealSerializer, UsageByCrmIdSerializer],
    resource_type_field_name=None,
)


class UsageListParams(serializers.Serializer):
    deal = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    asset = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rating
        fields = ["asset", "stars", "comment", "created_at", "updated_at"]
        read_only_fields = ["asset", "created_at", "updated_at"]
        extra_kwargs = {"stars": {"min_value": 1, "max_value": 5}}


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


VERDICTS = ["helps", "no clear effect", "hurts", "too few deals"]


class EvidenceFields(serializers.Serializer):
    """An effect on winning: deals that used the asset against deals that
    reached the same stage without it (see the dashboard's definitions)."""

    verdict = serializers.ChoiceField(choices=VERDICTS)
    effect = serializers.FloatField(
        allow_null=True,
        help_text="Win-rate difference (0.12 = 12 points); null with too few deals.",
    )
    effect_low = serializers.FloatField(allow_null=True)
    effect_high = serializers.FloatField(allow_null=True)
    evidence_deals = serializers.IntegerField(help_text="Closed deals that used it.")
    evidence_won = serializers.IntegerField()
    comparison_deals = serializers.IntegerField(
        help_text="Closed deals that reached the stage without it."
    )
    comparison_won = serializers.IntegerField()


class StageEvidenceSerializer(EvidenceFields):
    stage = serializers.SlugField()


class AssetFiguresSerializer(EvidenceFields):
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
    interval_level = serializers.FloatField(help_text="0.9: a 90% interval.")
    stages = StageEvidenceSerializer(
        many=True, help_text="The effect at each stage it serves or was used at."
    )

"""API for the deal workspace: the play and what to send next, by CRM id."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from content.api import responses as r
from content.api import serializers as s
from content.api.permissions import CanUseLibrary
from content.api.views.common import CRM_ID_PARAM
from content.api.views.deals import _deal_by_crm_id
from content.models import Asset
from content.selectors.recommendations import deal_workspace


class WorkspaceAssetSerializer(serializers.ModelSerializer):
    """An asset as the workspace names it: enough to open or send it."""

    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Asset
        fields = ["id", "title", "kind", "summary", "competitor", "web_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_web_url(self, asset: Asset) -> str:
        return self.context["request"].build_absolute_uri(asset.get_absolute_url())


class PlayItemOutSerializer(serializers.Serializer):
    asset = WorkspaceAssetSerializer()
    when_to_use = serializers.CharField()
    talk_track = serializers.CharField()
    used = serializers.BooleanField(help_text="Already used in this deal.")


class PlayOutSerializer(serializers.Serializer):
    stage = serializers.CharField(help_text="The deal's current stage (slug).")
    key_questions = serializers.ListField(child=serializers.CharField())
    items = PlayItemOutSerializer(many=True)


class RecommendationOutSerializer(serializers.Serializer):
    asset = WorkspaceAssetSerializer()
    in_play = serializers.BooleanField()
    reasons = serializers.ListField(
        child=serializers.CharField(),
        help_text='Why, in words: "in the play", "won 7 of 9 deals against '
        'Rivalry Inc at this stage", "used in 12 similar deals this quarter", '
        '"new since you last looked".',
    )


class DealRecommendationsSerializer(serializers.Serializer):
    deal = s.DealSerializer()
    play = PlayOutSerializer()
    recommendations = RecommendationOutSerializer(many=True)


class DealRecommendationsByCrmIdView(APIView):
    permission_classes = [CanUseLibrary]

    @extend_schema(
        summary="The play and what to send next in one of your deals, by CRM id",
        description="Up to 5 assets you may open and have not used in this deal, "
        "with the reasons. Evidence is aggregate counts only; no other deal is "
        "named.",
        parameters=[CRM_ID_PARAM],
        responses={
            200: DealRecommendationsSerializer,
            **r.errors(401, 403, 404, 429),
        },
        tags=["deals"],
    )
    def get(self, request, crm_id: str):
        deal = _deal_by_crm_id(request, crm_id)
        workspace = deal_workspace(user=request.user, deal=deal)
        data = {
            "deal": deal,
            "play": {
                "stage": deal.stage.slug,
                "key_questions": workspace.play.questions,
                "items": [
                    {
                        "asset": item.asset,
                        "when_to_use": item.when_to_use,
                        "talk_track": item.talk_track,
                        "used": used,
                    }
                    for item, used in workspace.play_rows
                ],
            },
            "recommendations": [
                {"asset": rec.asset, "in_play": rec.in_play, "reasons": rec.reasons}
                for rec in workspace.recommendations
            ],
        }
        return Response(
            DealRecommendationsSerializer(data, context={"request": request}).data
        )

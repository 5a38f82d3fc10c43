"""API views for the library: who I am, stages, assets, their figures and files.
Each view checks the role (content.api.permissions), reads through the site's
selectors and writes through the site's services."""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, renderers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from content.api import responses as r
from content.api import serializers as s
from content.api.permissions import CanUseLibrary, CanViewAnalytics
from content.api.views.common import ID_PARAM, int_or_404, query_params
from content.models import Asset, Stage
from content.selectors import analytics
from content.selectors.analytics import evidence
from content.selectors.analytics.evidence import evidence_fields
from content.selectors.analytics.ranking import evidence_effects
from content.selectors.library import asset_for_page, asset_versions, version_for_file
from content.selectors.search import search_assets
from content.services.feedback import rating_set
from content.serving import served_content_types, version_file_response

_errors = r.errors


class MeView(APIView):
    permission_classes = [CanUseLibrary]

    @extend_schema(
        summary="Who the token belongs to",
        responses={200: s.MeSerializer, **_errors(401, 403, 429)},
        tags=["account"],
    )
    def get(self, request):
        return Response(s.MeSerializer(request.user).data)


@extend_schema_view(
    list=extend_schema(
        summary="The sales-cycle stages, in order",
        responses={200: s.StageSerializer(many=True), **_errors(401, 403, 429)},
    )
)
class StageViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [CanUseLibrary]
    serializer_class = s.StageSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Stage]:
        return Stage.objects.filter(is_active=True).order_by("order", "name")


@extend_schema_view(
    list=extend_schema(
        summary="Find assets",
        description=(
            "Published assets you may see, with the library's filters and search. "
            "Partners only ever get assets cleared for partners."
        ),
        parameters=[s.AssetSearchParams],
        responses={
            200: s.AssetSerializer(many=True),
            **r.list_errors(s.AssetSearchParams, "AssetSearch"),
        },
    ),
    retrieve=extend_schema(
        summary="One asset with its versions and download links",
        parameters=[ID_PARAM],
        responses={200: s.AssetDetailSerializer, **_errors(401, 403, 404, 429)},
    ),
)
class AssetViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [CanUseLibrary]
    serializer_class = s.AssetSerializer
    lookup_value_regex = "[0-9]+"
    queryset = Asset.objects.none()  # for the schema; get_queryset does the work

    def get_queryset(self) -> QuerySet[Asset]:
        params = query_params(s.AssetSearchParams, self.request)
        return search_assets(
            user=self.request.user,
            query=params.get("q", ""),
            stage=params.get("stage") or None,
            kind=params.get("kind") or None,
            tag=params.get("tag") or None,
            competitor=params.get("competitor") or None,
            audience=params.get("audience") or None,
            sort=params.get("ordering") or "relevance",
        ).prefetch_related("tags", "stages")

    def retrieve(self, request, pk=None):
        asset = asset_for_page(user=request.user, pk=int_or_404(pk))
        versions = asset_versions(user=request.user, asset=asset)
        serializer = s.AssetDetailSerializer(
            asset, context={**self.get_serializer_context(), "versions": versions}
        )
        return Response(serializer.data)

    @extend_schema(
        summary="Rate an asset (1 to 5 stars); rating again changes your rating",
        parameters=[ID_PARAM],
        request=s.RatingSerializer,
        responses={
            200: s.RatingSerializer,
            400: r.bad_request(r.validation_error("Rating", s.RatingSerializer)),
            **_errors(401, 403, 404, 429),
        },
    )
    @action(detail=True, methods=["put"], url_path="rating")
    def rating(self, request, pk=None):
        asset = asset_for_page(user=request.user, pk=int_or_404(pk))
        data = s.RatingSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rating = rating_set(
            user=request.user,
            asset=asset,
            stars=data.validated_data["stars"],
            comment=data.validated_data.get("comment", ""),
        )
        return Response(s.RatingSerializer(rating).data)

    @extend_schema(
        summary="An asset's figures (marketers and admins)",
        description="Views, downloads, usage, deals, win rate and lift, influenced "
        "revenue and rating over a period: the analytics dashboard's figures, "
        "from the same code.",
        parameters=[ID_PARAM, s.FiguresParams],
        responses={
            200: s.AssetFiguresSerializer,
            400: r.bad_request(r.validation_error("Figures", s.FiguresParams)),
            **_errors(401, 403, 404, 429),
        },
    )
    @action(detail=True, methods=["get"], permission_classes=[CanViewAnalytics])
    def figures(self, request, pk=None):
        params = query_params(s.FiguresParams, request)
        # The asset report page's selectors, so both always show the same numbers.
        asset = analytics.asset_for_report(user=request.user, pk=int_or_404(pk))
        period = analytics.Period.last(
            params.get("days") or analytics.DEFAULT_PERIOD_DAYS
        )
        report = analytics.asset_report(user=request.user, asset=asset, period=period)
        figures, overall = report.figures, report.overall
        scope = evidence.EvidenceScope(period=period)
        # The dashboard's verdict: judged among every asset the user analyses.
        overall_effect = (
            evidence_effects(
                assets=analytics.analytics_assets(user=request.user),
                scope=scope,
                version=overall.version,
            ).get(asset.pk)
            or evidence.no_deals()
        )
        stage_effects = evidence.asset_stage_effects(asset=asset, scope=scope)
        rate = figures.deal_rate
        data = {
            "asset": asset.pk,
            "period_start": period.start,
            "period_end": period.end,
            "views": figures.views,
            "prospect_views": figures.prospect_views,
            "downloads": figures.downloads,
            "unique_viewers": figures.unique_viewers,
            "usages": figures.usages,
            "deals": figures.deals,
            "closed_deals": rate.closed,
            "won_deals": rate.won,
            # Hidden below the minimum n, as on the dashboard.
            "win_rate": rate.rate if rate.enough else None,
            "overall_win_rate": overall.rate if overall.enough else None,
            "lift": figures.lift,
            "influenced_revenue": figures.revenue,
            "rating": figures.rating,
            "rating_count": figures.rating_count,
            "bayesian_rating": figures.bayesian,
            "stars": report.stars,
            "weeks": [
                {
                    "start": week.start,
                    "views": week.views,
                    "downloads": week.downloads,
                    "usages": week.usages,
                }
                for week in report.weeks
            ],
            "min_closed_deals": analytics.min_closed_deals(),
            **evidence_fields(overall_effect),
            "interval_level": overall_effect.level,
            "stages": [
                {"stage": row.stage.slug, **evidence_fields(row.effect)}
                for row in stage_effects
            ],
        }
        return Response(s.AssetFiguresSerializer(data).data)


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Unknown API paths answer JSON, like the rest of the API."""

    permission_classes = []

    def get(self, request, *args, **kwargs):
        raise NotFound("No such API endpoint. See /api/docs/.")

    post = put = patch = delete = get


class JsonOnlyNegotiation(BaseContentNegotiation):
    """The download's own answers are files; everything else it says (errors)
    is JSON, whatever the client's Accept header asked for."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


IF_NONE_MATCH = OpenApiParameter(
    name="If-None-Match",
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="The ETag of the copy you have: 304 and no body if it is current.",
)


def _file_responses() -> dict:
    # Declared per content type so generated clients accept the real one.
    binary = OpenApiResponse(
        OpenApiTypes.BINARY,
        description="The file, with the type it was uploaded as. Its name is in "
        "Content-Disposition (and the version's `original_name`).",
    )
    return {(200, media): binary for media in served_content_types()}


class VersionDownloadView(APIView):
    permission_classes = [CanUseLibrary]
    renderer_classes = [renderers.JSONRenderer]
    content_negotiation_class = JsonOnlyNegotiation

    @extend_schema(
        summary="Download a version's file",
        description="The site's file serving: the same permission check, and the "
        "download counts in the analytics. On S3, a redirect to a short-lived "
        "signed URL.",
        operation_id="versions_download_retrieve",
        parameters=[
            OpenApiParameter(
                "id",
                {"type": "integer", "minimum": 1, "maximum": s.MAX_ID},
                OpenApiParameter.PATH,
                description="The version's id: `current_version.id`, a "
                "`versions[].id` or a usage's `version_id`.",
            ),
            IF_NONE_MATCH,
            r.ETAG,
            r.LAST_MODIFIED,
            r.CONTENT_DISPOSITION,
            r.LOCATION,
        ],
        responses={
            **_file_responses(),
            302: OpenApiResponse(description="Redirect to a signed URL (S3)."),
            304: OpenApiResponse(description="Not modified: your copy is current."),
            **_errors(401, 403, 404, 429),
        },
        tags=["assets"],
    )
    def get(self, request, pk: int):
        version = version_for_file(user=request.user, pk=int_or_404(pk))
        # DRF has put the token's user on the underlying Django request too.
        return version_file_response(request._request, version=version, inline=False)

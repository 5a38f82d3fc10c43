"""API views: each one checks the role (content.api.permissions), reads through the
site's selectors and writes through the site's services."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from content.api import serializers as s
from content.api.permissions import CanUseLibrary, CanViewAnalytics
from content.models import Asset, Deal, Stage, Usage
from content.selectors import analytics
from content.selectors.library import asset_for_page, asset_versions
from content.selectors.playbook import deals_for_owner
from content.selectors.search import search_assets
from content.services.deals import (
    deal_create,
    deal_set_outcome,
    deal_update,
    usage_record,
)
from content.services.feedback import rating_set
from content.views import files as file_views

IDEMPOTENCY_HEADER = OpenApiParameter(
    name="Idempotency-Key",
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any string up to 80 characters, unique per usage. Retrying with the same "
        "key returns the usage recorded the first time (200) instead of a second "
        "one (201)."
    ),
)
ERRORS = {
    400: OpenApiResponse(description="Invalid input; the body names each problem."),
    401: OpenApiResponse(s.ErrorSerializer, description="Missing or invalid token."),
    403: OpenApiResponse(s.ErrorSerializer, description="Your role may not do this."),
    404: OpenApiResponse(s.ErrorSerializer, description="Not found, or not yours."),
    "page": OpenApiResponse(s.ErrorSerializer, description="No such page."),
    429: OpenApiResponse(s.ErrorSerializer, description="Rate limit exceeded."),
}


def _errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


# List endpoints: a page past the end is a 404, like DRF's paginator says.
LIST_ERRORS = {**_errors(400, 401, 403, 429), 404: ERRORS["page"]}


def _params(serializer_class, request) -> dict:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


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
        responses={200: s.AssetSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One asset with its versions and download links",
        responses={200: s.AssetDetailSerializer, **_errors(401, 403, 404, 429)},
    ),
)
class AssetViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [CanUseLibrary]
    serializer_class = s.AssetSerializer
    lookup_value_regex = "[0-9]+"
    queryset = Asset.objects.none()  # for the schema; get_queryset does the work

    def get_queryset(self) -> QuerySet[Asset]:
        params = _params(s.AssetSearchParams, self.request)
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
        asset = asset_for_page(user=request.user, pk=_int_or_404(pk))
        versions = asset_versions(user=request.user, asset=asset)
        serializer = s.AssetDetailSerializer(
            asset, context={**self.get_serializer_context(), "versions": versions}
        )
        return Response(serializer.data)

    @extend_schema(
        summary="Rate an asset (1 to 5 stars); rating again changes your rating",
        request=s.RatingSerializer,
        responses={200: s.RatingSerializer, **_errors(400, 401, 403, 404, 429)},
    )
    @action(detail=True, methods=["put"], url_path="rating")
    def rating(self, request, pk=None):
        asset = asset_for_page(user=request.user, pk=_int_or_404(pk))
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
        parameters=[s.FiguresParams],
        responses={200: s.AssetFiguresSerializer, **_errors(400, 401, 403, 404, 429)},
    )
    @action(detail=True, methods=["get"], permission_classes=[CanViewAnalytics])
    def figures(self, request, pk=None):
        params = _params(s.FiguresParams, request)
        # The asset report page's selectors, so both always show the same numbers.
        asset = analytics.asset_for_report(user=request.user, pk=_int_or_404(pk))
        period = analytics.Period.last(
            params.get("days") or analytics.DEFAULT_PERIOD_DAYS
        )
        report = analytics.asset_report(user=request.user, asset=asset, period=period)
        figures, overall = report.figures, report.overall
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
        }
        return Response(s.AssetFiguresSerializer(data).data)


def _int_or_404(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound("No such object.") from None
    if not 0 < number < 2**63:
        raise NotFound("No such object.")
    return number


CRM_ID_PARAM = OpenApiParameter(
    name="crm_id",
    type=str,
    location=OpenApiParameter.PATH,
    description="Your CRM's id: up to 64 printable characters (others get 404).",
)


@extend_schema_view(
    list=extend_schema(
        summary="Your deals",
        parameters=[s.DealListParams],
        responses={200: s.DealSerializer(many=True), **LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="One of your deals",
        responses={200: s.DealSerializer, **_errors(401, 403, 404, 429)},
    ),
    create=extend_schema(
        summary="Create a deal",
        request=s.DealWriteSerializer,
        responses={201: s.DealSerializer, **_errors(400, 401, 403, 429)},
    ),
    partial_update=extend_schema(
        summary="Change a deal's name, account, CRM id, amount or stage",
        request=s.DealWriteSerializer,
        responses={200: s.DealSerializer, **_errors(400, 401, 403, 404, 429)},
    ),
)
class DealViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A rep's own deals; nobody, whatever their role, gets someone else's."""

    permission_classes = [CanUseLibrary]
    serializer_class = s.DealSerializer
    lookup_value_regex = "[0-9]+"
    queryset = Deal.objects.none()
    # PUT is by CRM id only (create or replace); by Wingman id, PATCH.
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Deal]:
        qs = deals_for_owner(user=self.request.user)
        if self.action != "list":
            return qs
        params = _params(s.DealListParams, self.request)
        if params.get("outcome"):
            qs = qs.filter(outcome=params["outcome"])
        if params.get("crm_id"):
            qs = qs.filter(crm_id=params["crm_id"])
        if params.get("stage"):
            qs = qs.filter(stage__slug=params["stage"])
        return qs.order_by(params.get("ordering") or "-created_at", "-pk")

    def get_object(self) -> Deal:
        return get_object_or_404(self.get_queryset(), pk=_int_or_404(self.kwargs["pk"]))

    def create(self, request):
        data = s.DealWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deal = deal_create(user=request.user, **data.validated_data)
        return Response(
            s.DealSerializer(deal, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def update(self, request, pk=None, partial=False):
        deal = self.get_object()
        data = s.DealWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        deal = deal_update(user=request.user, deal=deal, **data.validated_data)
        return Response(
            s.DealSerializer(deal, context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary="Close a deal as won or lost, or reopen it",
        request=s.DealOutcomeSerializer,
        responses={200: s.DealSerializer, **_errors(400, 401, 403, 404, 429)},
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        deal = self.get_object()
        data = s.DealOutcomeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deal = deal_set_outcome(user=request.user, deal=deal, **data.validated_data)
        return Response(
            s.DealSerializer(deal, context=self.get_serializer_context()).data
        )


class DealByCrmIdView(APIView):
    """The CRM's view of a deal: addressed by the CRM's own id."""

    permission_classes = [CanUseLibrary]

    def _deal(self, request, crm_id: str) -> Deal | None:
        return deals_for_owner(user=request.user).filter(crm_id=crm_id).first()

    @extend_schema(
        summary="One of your deals, by CRM id",
        parameters=[CRM_ID_PARAM],
        responses={200: s.DealSerializer, **_errors(401, 403, 404, 429)},
        tags=["deals"],
    )
    def get(self, request, crm_id: str):
        deal = self._deal(request, crm_id)
        if deal is None:
            raise NotFound("You have no deal with this CRM id.")
        return Response(s.DealSerializer(deal, context={"request": request}).data)

    @extend_schema(
        summary="Create or replace a deal by CRM id",
        description="Creates the deal (201) if you have none with this CRM id, "
        "otherwise updates it (200). Safe to repeat.",
        parameters=[CRM_ID_PARAM],
        request=s.DealWriteSerializer,
        responses={
            200: s.DealSerializer,
            201: s.DealSerializer,
            # 404: a CRM id with control characters or over 64 characters.
            **_errors(400, 401, 403, 404, 429),
        },
        tags=["deals"],
    )
    def put(self, request, crm_id: str):
        data = s.DealWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = {**data.validated_data, "crm_id": crm_id}
        fields.setdefault("amount", None)
        deal = self._deal(request, crm_id)
        if deal is None:
            deal = deal_create(user=request.user, **fields)
            code = status.HTTP_201_CREATED
        else:
            deal = deal_update(user=request.user, deal=deal, **fields)
            code = status.HTTP_200_OK
        return Response(
            s.DealSerializer(deal, context={"request": request}).data, status=code
        )

    @extend_schema(
        summary="Change a deal by CRM id",
        parameters=[CRM_ID_PARAM],
        request=s.DealWriteSerializer,
        responses={200: s.DealSerializer, **_errors(400, 401, 403, 404, 429)},
        tags=["deals"],
    )
    def patch(self, request, crm_id: str):
        deal = self._deal(request, crm_id)
        if deal is None:
            raise NotFound("You have no deal with this CRM id.")
        data = s.DealWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        deal = deal_update(user=request.user, deal=deal, **data.validated_data)
        return Response(s.DealSerializer(deal, context={"request": request}).data)


@extend_schema_view(
    list=extend_schema(
        summary="Usage you recorded",
        parameters=[s.UsageListParams],
        responses={200: s.UsageSerializer(many=True), **LIST_ERRORS},
    ),
    create=extend_schema(
        summary="Record that you used an asset in one of your deals",
        parameters=[IDEMPOTENCY_HEADER],
        request=s.UsageWriteSerializer,
        responses={
            201: s.UsageSerializer,
            200: OpenApiResponse(
                s.UsageSerializer, description="Replayed: recorded before, same key."
            ),
            **_errors(400, 401, 403, 404, 429),
        },
    ),
)
class UsageViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [CanUseLibrary]
    serializer_class = s.UsageSerializer
    queryset = Usage.objects.none()

    def get_queryset(self) -> QuerySet[Usage]:
        params = _params(s.UsageListParams, self.request)
        qs = Usage.objects.filter(user=self.request.user, deal__owner=self.request.user)
        if params.get("deal"):
            qs = qs.filter(deal_id=params["deal"])
        if params.get("asset"):
            qs = qs.filter(asset_id=params["asset"])
        return qs.select_related("stage", "version").order_by("-created_at", "-pk")

    def create(self, request):
        data = s.UsageWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        deals = deals_for_owner(user=request.user)
        if "deal" in values:
            deal = deals.filter(pk=values["deal"]).first()
        else:
            deal = deals.filter(crm_id=values["deal_crm_id"]).first()
        if deal is None:
            raise ValidationError({"deal": ["You have no such deal."]})
        asset = (
            Asset.objects.visible_to(request.user).filter(pk=values["asset"]).first()
        )
        if asset is None:
            raise ValidationError({"asset": ["No such asset."]})
        started = timezone.now()
        usage = usage_record(
            user=request.user,
            deal=deal,
            asset=asset,
            stage=values.get("stage") or deal.stage,
            note=values.get("note", ""),
            idempotency_key=request.headers.get("Idempotency-Key"),
        )
        replayed = usage.created_at < started
        return Response(
            s.UsageSerializer(usage).data,
            status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED,
            headers={"Idempotent-Replayed": "true"} if replayed else None,
        )


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Unknown API paths answer JSON, like the rest of the API."""

    permission_classes = []

    def get(self, request, *args, **kwargs):
        raise NotFound("No such API endpoint. See /api/docs/.")

    post = put = patch = delete = get


class AnyMediaRenderer(renderers.JSONRenderer):
    """Lets a client that asks for the file's own type reach the download view."""

    media_type = "*/*"
    format = "file"


class VersionDownloadView(APIView):
    permission_classes = [CanUseLibrary]
    renderer_classes = [renderers.JSONRenderer, AnyMediaRenderer]

    @extend_schema(
        summary="Download a version's file",
        description="The site's own file view: the same permission check, and the "
        "download counts in the analytics. On S3, a redirect to a short-lived "
        "signed URL.",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file."
            ),
            302: OpenApiResponse(description="Redirect to a signed URL (S3)."),
            **_errors(401, 403, 404, 429),
        },
        tags=["assets"],
    )
    def get(self, request, pk: int):
        # DRF has put the token's user on the underlying Django request too.
        return file_views.download(request._request, pk=pk)

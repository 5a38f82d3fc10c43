"""API views for deals and usage: a rep's own deals, by Wingman id or CRM id."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed, NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from content.api import responses as r
from content.api import serializers as s
from content.api.permissions import CanUseLibrary
from content.api.views.common import (
    CRM_ID_PARAM,
    ID_PARAM,
    IDEMPOTENCY_HEADER,
    int_or_404,
    query_params,
)
from content.models import Asset, Deal, Usage
from content.selectors.deals import deals_for_owner
from content.services.deals import (
    deal_create,
    deal_set_outcome,
    deal_update,
    usage_record,
)

_errors = r.errors
DEAL_ERRORS = r.bad_request(r.validation_error("DealWrite", s.DealWriteSerializer))
OUTCOME_ERRORS = r.bad_request(
    r.validation_error("DealOutcome", s.DealOutcomeSerializer)
)


@extend_schema_view(
    list=extend_schema(
        summary="Your deals",
        parameters=[s.DealListParams],
        responses={
            200: s.DealSerializer(many=True),
            **r.list_errors(s.DealListParams, "DealList"),
        },
    ),
    retrieve=extend_schema(
        summary="One of your deals",
        parameters=[ID_PARAM],
        responses={200: s.DealSerializer, **_errors(401, 403, 404, 429)},
    ),
    create=extend_schema(
        summary="Create a deal",
        request=s.DealWriteSerializer,
        responses={
            201: s.DealSerializer,
            400: DEAL_ERRORS,
            **_errors(401, 403, 429),
        },
    ),
    partial_update=extend_schema(
        summary="Change a deal's name, account, CRM id, amount or stage",
        parameters=[ID_PARAM],
        request=s.DealWriteSerializer,
        responses={
            200: s.DealSerializer,
            400: DEAL_ERRORS,
            **_errors(401, 403, 404, 429),
        },
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
        params = query_params(s.DealListParams, self.request)
        if params.get("outcome"):
            qs = qs.filter(outcome=params["outcome"])
        if params.get("crm_id"):
            qs = qs.filter(crm_id=params["crm_id"])
        if params.get("stage"):
            qs = qs.filter(stage=params["stage"])
        return qs.order_by(params.get("ordering") or "-created_at", "-pk")

    def get_object(self) -> Deal:
        return get_object_or_404(self.get_queryset(), pk=int_or_404(self.kwargs["pk"]))

    def create(self, request):
        data = s.DealWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deal = deal_create(user=request.user, source="api", **data.validated_data)
        return Response(
            s.DealSerializer(deal, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def update(self, request, pk=None, partial=False):
        deal = self.get_object()
        data = s.DealWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        deal = deal_update(
            user=request.user, deal=deal, source="api", **data.validated_data
        )
        return Response(
            s.DealSerializer(deal, context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary="Close a deal as won or lost, or reopen it",
        parameters=[ID_PARAM],
        request=s.DealOutcomeSerializer,
        responses={
            200: s.DealSerializer,
            400: OUTCOME_ERRORS,
            **_errors(401, 403, 404, 429),
        },
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


def _deal_by_crm_id(request, crm_id: str) -> Deal:
    deal = deals_for_owner(user=request.user).filter(crm_id=crm_id).first()
    if deal is None:
        raise NotFound("You have no deal with this CRM id.")
    return deal


class DealByCrmIdView(APIView):
    """The CRM's view of a deal: addressed by the CRM's own id."""

    permission_classes = [CanUseLibrary]

    @extend_schema(
        summary="One of your deals, by CRM id",
        parameters=[CRM_ID_PARAM],
        responses={200: s.DealSerializer, **_errors(401, 403, 404, 429)},
        tags=["deals"],
    )
    def get(self, request, crm_id: str):
        deal = _deal_by_crm_id(request, crm_id)
        return Response(s.DealSerializer(deal, context={"request": request}).data)

    @extend_schema(
        summary="Create or replace a deal by CRM id",
        description="Creates the deal (201) if you have none with this CRM id, "
        "otherwise updates it (200). Safe to repeat. The CRM id is the one in the "
        "path: a different `crm_id` in the body is refused (400); to change a "
        "deal's CRM id, PATCH it.",
        parameters=[CRM_ID_PARAM],
        request=s.DealWriteSerializer,
        responses={
            200: s.DealSerializer,
            201: s.DealSerializer,
            400: DEAL_ERRORS,
            # 404: a CRM id with control characters or over 64 characters.
            **_errors(401, 403, 404, 429),
        },
        tags=["deals"],
    )
    def put(self, request, crm_id: str):
        data = s.DealWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "crm_id" in fields and fields["crm_id"].strip() != crm_id.strip():
            # Silently keeping the path's id would lose what the client meant.
            raise ValidationError(
                {
                    "crm_id": [
                        f"The body's crm_id {fields['crm_id']!r} differs from the "
                        f"CRM id in the path {crm_id!r}. Leave it out of a PUT; to "
                        "change a deal's CRM id, PATCH it."
                    ]
                }
            )
        fields["crm_id"] = crm_id
        fields.setdefault("amount", None)
        deal = deals_for_owner(user=request.user).filter(crm_id=crm_id).first()
        if deal is None:
            deal = deal_create(user=request.user, source="api", **fields)
            code = status.HTTP_201_CREATED
        else:
            deal = deal_update(user=request.user, deal=deal, source="api", **fields)
            code = status.HTTP_200_OK
        return Response(
            s.DealSerializer(deal, context={"request": request}).data, status=code
        )

    @extend_schema(
        summary="Change a deal by CRM id",
        description="Any field, the CRM id included (a CRM that re-keys a deal).",
        parameters=[CRM_ID_PARAM],
        request=s.DealWriteSerializer,
        responses={
            200: s.DealSerializer,
            400: DEAL_ERRORS,
            **_errors(401, 403, 404, 429),
        },
        tags=["deals"],
    )
    def patch(self, request, crm_id: str):
        deal = _deal_by_crm_id(request, crm_id)
        data = s.DealWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        deal = deal_update(
            user=request.user, deal=deal, source="api", **data.validated_data
        )
        return Response(s.DealSerializer(deal, context={"request": request}).data)


class DealOutcomeByCrmIdView(APIView):
    """Closing a deal the way a CRM knows it: by the CRM's own id.

    A CRM id may contain "/", so this path also matches a deal whose CRM id
    ends in "/outcome": reading and writing that deal still works (below).
    """

    permission_classes = [CanUseLibrary]

    @property
    def allowed_methods(self) -> list[str]:
        # What the Allow header (OPTIONS, 405) declares: the outcome is POSTed.
        return ["POST", "OPTIONS"]

    def _deal_view(self, request, crm_id: str):
        """The deal whose CRM id ends in "/outcome", if the user has one; any
        other method than POST here is otherwise not allowed."""
        full = f"{crm_id}/outcome"
        if not deals_for_owner(user=request.user).filter(crm_id=full).exists():
            raise MethodNotAllowed(request.method)
        return DealByCrmIdView(), full

    @extend_schema(exclude=True)
    def get(self, request, crm_id: str):
        view, full = self._deal_view(request, crm_id)
        return view.get(request, full)

    @extend_schema(exclude=True)
    def put(self, request, crm_id: str):
        view, full = self._deal_view(request, crm_id)
        return view.put(request, full)

    @extend_schema(exclude=True)
    def patch(self, request, crm_id: str):
        view, full = self._deal_view(request, crm_id)
        return view.patch(request, full)

    @extend_schema(
        summary="Close a deal as won or lost, or reopen it, by CRM id",
        operation_id="deals_crm_outcome_create",
        parameters=[CRM_ID_PARAM],
        request=s.DealOutcomeSerializer,
        responses={
            200: s.DealSerializer,
            400: OUTCOME_ERRORS,
            **_errors(401, 403, 404, 429),
        },
        tags=["deals"],
    )
    def post(self, request, crm_id: str):
        deal = _deal_by_crm_id(request, crm_id)
        data = s.DealOutcomeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deal = deal_set_outcome(user=request.user, deal=deal, **data.validated_data)
        return Response(s.DealSerializer(deal, context={"request": request}).data)


USAGE_ERRORS = r.bad_request(
    r.validation_error("UsageWrite", s.UsageWriteSerializer, extra=("idempotency_key",))
)


@extend_schema_view(
    list=extend_schema(
        summary="Usage you recorded",
        parameters=[s.UsageListParams],
        responses={
            200: s.UsageSerializer(many=True),
            **r.list_errors(s.UsageListParams, "UsageList"),
        },
    ),
    create=extend_schema(
        summary="Record that you used an asset in one of your deals",
        parameters=[IDEMPOTENCY_HEADER, r.IDEMPOTENT_REPLAYED],
        request=s.USAGE_WRITE_SCHEMA,
        responses={
            201: s.UsageSerializer,
            200: OpenApiResponse(
                s.UsageSerializer, description="Replayed: recorded before, same key."
            ),
            400: USAGE_ERRORS,
            **_errors(401, 403, 404, 429),
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
        params = query_params(s.UsageListParams, self.request)
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

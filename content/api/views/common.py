"""What every API view shares: path parameters, query validation, ids."""

from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import NotFound

from content.api import serializers as s

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
ID_PARAM = OpenApiParameter(
    name="id",
    type={"type": "integer", "minimum": 1, "maximum": s.MAX_ID},
    location=OpenApiParameter.PATH,
    description="Wingman's id (the `id` field of the object).",
)
CRM_ID_PARAM = OpenApiParameter(
    name="crm_id",
    type={"type": "string", "minLength": 1, "maxLength": 64},
    location=OpenApiParameter.PATH,
    description="Your CRM's id, percent-encoded (`/` as `%2F`): up to 64 "
    "characters; control characters never match a deal (404).",
)


def query_params(serializer_class, request) -> dict:
    params = serializer_class(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data


def int_or_404(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound("No such object.") from None
    if not 0 < number < 2**63:
        raise NotFound("No such object.")
    return number

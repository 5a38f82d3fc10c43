"""What the API declares it answers besides success: typed error bodies and the
headers clients act on. One home for both, so every operation declares them alike."""

from collections.abc import Iterable

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

MESSAGES_HELP = "What is wrong with this field, in words a person can act on."


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


def _messages(help_text: str = MESSAGES_HELP) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(), required=False, help_text=help_text
    )


_validation_errors: dict[str, type[serializers.Serializer]] = {}


def validation_error(
    name: str,
    *sources: type[serializers.Serializer],
    extra: Iterable[str] = (),
) -> type[serializers.Serializer]:
    """The 400 body of an operation whose input is `sources`' fields: each field
    that was refused, with its messages. Becomes the `<name>ValidationError`
    component, so a generated client reads `error.stage` with its type."""
    if name in _validation_errors:
        return _validation_errors[name]
    fields: dict[str, serializers.Field] = {}
    for source in sources:
        for field_name in source().fields:
            fields[field_name] = _messages()
    for field_name in extra:
        fields[field_name] = _messages()
    fields["non_field_errors"] = _messages(
        "Problems with the request as a whole, such as two fields that exclude "
        "each other."
    )
    fields["detail"] = serializers.CharField(
        required=False, help_text="A body that could not be read at all (not JSON)."
    )
    serializer = type(
        f"{name}ValidationErrorSerializer",
        (serializers.Serializer,),
        {
            **fields,
            "__doc__": "400: the request was refused and nothing changed. Each key "
            "names a field (or `non_field_errors`) with its messages.",
            "__module__": __name__,
        },
    )
    _validation_errors[name] = serializer
    return serializer


def bad_request(serializer: type[serializers.Serializer]) -> OpenApiResponse:
    return OpenApiResponse(
        serializer,
        description="Invalid input: nothing changed; the body names each "
        "problem by field.",
    )


ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="Missing or invalid token."),
    403: OpenApiResponse(ErrorSerializer, description="Your role may not do this."),
    404: OpenApiResponse(ErrorSerializer, description="Not found, or not yours."),
    "page": OpenApiResponse(ErrorSerializer, description="No such page."),
    429: OpenApiResponse(
        ErrorSerializer,
        description="Rate limit exceeded: wait the seconds in Retry-After.",
    ),
}


def errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in codes}


def list_errors(params: type[serializers.Serializer], name: str) -> dict:
    """List endpoints: a bad filter or page size is a 400; a page past the end a
    404, as DRF's paginator says."""
    return {
        400: bad_request(validation_error(name, params, extra=("page_size",))),
        **errors(401, 403, 429),
        404: ERRORS["page"],
    }


# Response headers (drf-spectacular declares an OpenApiParameter with `response`
# as a header of those responses).
IDEMPOTENT_REPLAYED = OpenApiParameter(
    name="Idempotent-Replayed",
    type={"type": "string", "enum": ["true"]},
    location=OpenApiParameter.HEADER,
    response=[200],
    description="`true` when this usage was recorded before with the same "
    "Idempotency-Key: the first recording is returned, nothing new was stored.",
)
ETAG = OpenApiParameter(
    name="ETag",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200, 304],
    description="The file's SHA-256 in quotes; send it back in If-None-Match.",
)
LAST_MODIFIED = OpenApiParameter(
    name="Last-Modified",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200, 304],
    description="When the version was uploaded (HTTP date).",
)
CONTENT_DISPOSITION = OpenApiParameter(
    name="Content-Disposition",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200],
    description='`attachment; filename="<original_name>"`: the name the file was '
    "uploaded with, also in the version's `original_name`.",
)
LOCATION = OpenApiParameter(
    name="Location",
    type=OpenApiTypes.URI,
    location=OpenApiParameter.HEADER,
    response=[302],
    description="A signed URL, valid for a few minutes.",
)

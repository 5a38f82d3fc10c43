"""Errors as JSON with clear messages, whatever layer raised them."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from enablement.errors import RETRY_AFTER_SECONDS, unavailable_reason

logger = logging.getLogger("django.request")


def api_exception_handler(exc, context):
    # Services validate with full_clean() and raise Django's ValidationError; the
    # API answers those like its own validation errors (400 with field messages).
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    response = exception_handler(exc, context)
    if response is None:
        return _server_error(exc, context)
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, list):
        # A message without a field (a serializer's own rule): still an object,
        # as the schema's ValidationError components declare.
        response.data = {"non_field_errors": response.data}
    return response


def _server_error(exc, context) -> Response | None:
    """Anything unexpected: JSON too (an API client cannot read an HTML page),
    logged with its traceback as Django logs a 500. Outages are a 503 that says
    to retry, as on the site."""
    if settings.DEBUG:
        return None  # Django's debug page, with the traceback
    request = context.get("request")
    set_rollback()
    reason = unavailable_reason(exc)
    if reason is not None:
        logger.warning("503 on %s: %s unavailable", request and request.path, reason)
        return Response(
            {"detail": "Wingman is briefly unavailable; nothing was saved. Retry."},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    logger.error(
        "Internal Server Error: %s",
        request and request.path,
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={"status_code": 500, "request": request and request._request},
    )
    return Response(
        {
            "detail": "Something went wrong on our side. Retry; if it persists, "
            "tell your admin."
        },
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )

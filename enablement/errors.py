"""Error pages. A database or file store that cannot be reached is an outage,
not a bug: the visitor gets a 503 page that says what happened, that nothing was
half-saved, and to try again (the site recovers by itself when the fault goes)."""

import errno
import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

# OSErrors that mean the disk or network file store failed, not that our code did.
STORAGE_DOWN_ERRNOS = frozenset(
    {
        errno.EIO,
        errno.ENOTCONN,
        errno.ETIMEDOUT,
        errno.ECONNREFUSED,
        errno.ECONNRESET,
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
        errno.ESTALE,
    }
)
STORAGE_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
RETRY_AFTER_SECONDS = 30


def unavailable_reason(exc: BaseException | None) -> str | None:
    """'database', 'storage' or 'storage_full' when `exc` (or what caused it) is
    an outage of a service Wingman depends on; None for anything else."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OperationalError | InterfaceError):
            return "database"
        if isinstance(exc, OSError) and exc.errno in STORAGE_FULL_ERRNOS:
            return "storage_full"
        if isinstance(exc, OSError) and exc.errno in STORAGE_DOWN_ERRNOS:
            return "storage"
        if _is_s3_outage(exc):
            return "storage"
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def _is_s3_outage(exc: BaseException) -> bool:
    try:
        from botocore.exceptions import ClientError, HTTPClientError
    except ImportError:  # pragma: no cover - botocore comes with django-storages[s3]
        return False
    if isinstance(exc, HTTPClientError):  # refused, reset, timed out, ...
        return True
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return status >= 500
    return False


def service_unavailable(reason: str) -> HttpResponse:
    # Rendered without the request: context processors could query the database
    # that is down.
    context = {"reason": reason, "site_name": settings.WINGMAN_SITE_NAME}
    html = loader.get_template("503.html").render(context)
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: outages become a 503 page; anything else is a plain 500 page."""
    reason = unavailable_reason(sys.exc_info()[1])
    if reason is not None:
        logger.warning("503 on %s: %s unavailable", request.path, reason)
        return service_unavailable(reason)
    context = {"site_name": settings.WINGMAN_SITE_NAME}
    return HttpResponse(loader.get_template("500.html").render(context), status=500)

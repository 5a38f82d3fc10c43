"""Response headers that every page gets, and limits on what a request may carry."""

from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.template import loader

# No inline scripts or styles anywhere: every script is a static file.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # style attributes only; no inline script
        "img-src 'self' data: blob: https:",
        "media-src 'self' blob: https:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


# The CRM panel ------------------------------------------------------------------

EMBED_PREFIX = "/embed/"


def embed_content_security_policy(origins: list[str]) -> str:
    """The site's policy, with frame-ancestors naming the CRM origins allowed."""
    ancestors = " ".join(origins) if origins else "'none'"
    return CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'", f"frame-ancestors {ancestors}"
    )


class EmbedMiddleware:
    """Under /embed/ only: framing by WINGMAN_EMBED_FRAME_ORIGINS (CSP
    frame-ancestors, and no X-Frame-Options, which cannot name origins), and
    session and CSRF cookies a third-party frame can send back
    (SameSite=None needs Secure). Placed before the session and CSRF
    middleware, so that it sees the cookies they set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(EMBED_PREFIX):
            return response
        response.headers["Content-Security-Policy"] = embed_content_security_policy(
            settings.WINGMAN_EMBED_FRAME_ORIGINS
        )
        response.headers.pop("X-Frame-Options", None)
        response.xframe_options_exempt = True
        for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
            if name in response.cookies:
                # Partitioned (CHIPS): browsers that block third-party cookies
                # still keep these, for this CRM only. Python's Morsel knows
                # no Partitioned attribute before 3.14: it rides on SameSite.
                response.cookies[name]["samesite"] = "None; Partitioned"
                response.cookies[name]["secure"] = True
        return response


# Request bodies -----------------------------------------------------------------


def accepts_file_uploads(view_func: Callable) -> bool:
    """Whether a view takes file parts (and the larger body limit).

    A view opts in with `accepts_file_uploads = True`: on the function, or on
    the class of a class-based view (content.views.library.UploadLimitMixin).
    """
    view_class = getattr(view_func, "view_class", None)
    return bool(
        getattr(view_func, "accepts_file_uploads", False)
        or getattr(view_class, "accepts_file_uploads", False)
    )


def _mb(size: int) -> int:
    return max(1, round(size / (1024 * 1024)))


class RequestBodyLimitMiddleware:
    """Refuses a request body over its view's limit before anything reads it.

    Django reads the body on first access to `request.POST` (the CSRF check
    does so for every POST) and spools file parts to the temporary disk; an
    anonymous login POST could carry a gigabyte. This middleware's
    `process_view` runs before the CSRF check's and answers 413 when the
    declared Content-Length is over the limit: WINGMAN_MAX_REQUEST_MB for
    every view, WINGMAN_MAX_UPLOAD_REQUEST_MB for the views that take files.
    A body of unknown length (chunked) is refused with 411: Django would read
    it as empty, so nothing that works is lost.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args, view_kwargs
    ) -> HttpResponse | None:
        uploads = accepts_file_uploads(view_func)
        # Read by RefuseUnexpectedFilesHandler when the body is parsed.
        request.accepts_file_uploads = uploads
        limit = (
            settings.WINGMAN_MAX_UPLOAD_REQUEST_BYTES
            if uploads
            else settings.WINGMAN_MAX_REQUEST_BYTES
        )
        raw_length = request.META.get("CONTENT_LENGTH") or ""
        try:
            length = int(raw_length) if raw_length.strip() else None
        except ValueError:
            length = None
        if length is None:
            if request.META.get("HTTP_TRANSFER_ENCODING"):
                return self._refuse(limit, status=411)
            return None
        if length > limit:
            return self._refuse(limit, status=413)
        return None

    @staticmethod
    def _refuse(limit: int, *, status: int) -> HttpResponse:
        # Rendered without the request: nothing of the body is read, and the
        # page needs no session or database.
        html = loader.get_template("413.html").render(
            {
                "site_name": settings.WINGMAN_SITE_NAME,
                "limit_mb": _mb(limit),
                "upload_mb": settings.WINGMAN_MAX_UPLOAD_MB,
                "length_required": status == 411,
            }
        )
        response = HttpResponse(html, status=status)
        # No Connection header: WSGI leaves hop-by-hop headers to the server,
        # which closes the connection or discards the unread body (never to disk).
        response["Cache-Control"] = "no-store"
        return response


class RefuseUnexpectedFilesHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: a file part sent to a view that takes no
    files is skipped as it arrives (never kept in memory or written to disk).
    The form then sees no file, as if none had been sent."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if not getattr(self.request, "accepts_file_uploads", False):
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

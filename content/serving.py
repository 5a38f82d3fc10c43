"""Private file serving, shared by the site's views, share links and the API.

Files are never served from a public URL. On local storage a file streams from
`storage.open()`; on S3 the response redirects to a short-lived signed URL whose
response headers S3 sets from the signed parameters. Callers check permission
first.
"""

from __future__ import annotations

from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date

from content import files
from content.models import EventKind, Version
from content.services.events import event_record

# Text is served as plain text whatever its flavour: a browser never renders it.
_SERVED_TYPES = {
    files.MARKDOWN.content_type: "text/plain; charset=utf-8",
    files.TEXT.content_type: "text/plain; charset=utf-8",
}
FALLBACK_CONTENT_TYPE = "application/octet-stream"


def served_content_type(version: Version) -> str:
    """Only types we accepted at upload, never anything a browser would run."""
    file_type = version.file_type
    if file_type is None:
        return FALLBACK_CONTENT_TYPE
    return _SERVED_TYPES.get(file_type.content_type, file_type.content_type)


def served_content_types() -> list[str]:
    """Every Content-Type a version's file can be served with (for the schema)."""
    served = {
        _SERVED_TYPES.get(t.content_type, t.content_type) for t in files.FILE_TYPES
    }
    return sorted(served | {FALLBACK_CONTENT_TYPE})


def version_file_response(
    request: HttpRequest, *, version: Version, inline: bool
) -> HttpResponse:
    """A version's file, or 304 when the client's copy is current; a download the
    storage served is counted in the analytics."""
    etag = f'"{version.sha256}"'
    last_modified = version.created_at.timestamp()
    if not files.is_s3(version.file.storage):
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=int(last_modified)
        )
        if not_modified is not None:
            # A 304 repeats the validators (RFC 9110 15.4.5), so a client can
            # keep the ETag it revalidated with.
            not_modified["ETag"] = etag
            not_modified["Last-Modified"] = http_date(last_modified)
            not_modified["Cache-Control"] = "private, no-cache"
            return not_modified
    # Open the file (or sign its URL) first: a download the storage could not
    # serve is not counted.
    response = serve_file(
        request,
        field=version.file,
        content_type=served_content_type(version),
        filename=version.original_name,
        inline=inline,
        etag=etag,
        last_modified=last_modified,
        size=version.size,
        cache_control="private, no-cache",
    )
    event_record(
        asset=version.asset,
        kind=EventKind.DOWNLOAD,
        user=request.user,
        version=version,
    )
    return response


def serve_file(
    request: HttpRequest,
    *,
    field,
    content_type: str,
    filename: str,
    inline: bool,
    etag: str,
    last_modified: float,
    size: int | None,
    cache_control: str,
) -> HttpResponse:
    """Stream `field` from storage, or redirect to a signed URL on S3.

    Call only after the permission check.
    """
    storage = field.storage
    disposition = content_disposition_header(
        as_attachment=not inline, filename=filename
    )
    if files.is_s3(storage):
        url = storage.url(
            field.name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-cache",
            },
        )
        response = HttpResponseRedirect(url)
        # The signed URL expires: neither the browser nor a proxy may keep it.
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
    handle = storage.open(field.name, "rb")
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = disposition
    if size is not None:
        response["Content-Length"] = str(size)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response

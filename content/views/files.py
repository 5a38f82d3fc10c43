"""Private file serving: a permission check, then a stream or a signed URL.

Files are never served from a public URL. On local storage the view streams the
file from `storage.open()`; on S3 it redirects to a short-lived signed URL whose
response headers S3 sets from the signed parameters.
"""

from __future__ import annotations

from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_GET

from accounts import roles
from accounts.roles import role_required
from content import files
from content.models import EventKind, Version
from content.selectors.library import version_for_file
from content.services.events import event_record

# Text is served as plain text whatever its flavour: a browser never renders it.
_SERVED_TYPES = {
    files.MARKDOWN.content_type: "text/plain; charset=utf-8",
    files.TEXT.content_type: "text/plain; charset=utf-8",
}


def served_content_type(version: Version) -> str:
    """Only types we accepted at upload, never anything a browser would run."""
    file_type = version.file_type
    if file_type is None:
        return "application/octet-stream"
    return _SERVED_TYPES.get(file_type.content_type, file_type.content_type)


@require_GET
@role_required(roles.can_use_library)
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file of a version. `?inline=1` opens PDFs and images in the browser."""
    version = version_for_file(user=request.user, pk=pk)
    inline = request.GET.get("inline") == "1" and version.is_previewable
    etag = f'"{version.sha256}"'
    last_modified = version.created_at.timestamp()
    if not files.is_s3(version.file.storage):
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=int(last_modified)
        )
        if not_modified is not None:
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


@require_GET
@role_required(roles.can_use_library)
def thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    """The version's preview image, or its kind's icon when it has none."""
    version = version_for_file(user=request.user, pk=pk)
    if not version.thumbnail:
        response = HttpResponseRedirect(static(f"img/kinds/{version.asset.kind}.svg"))
        response["Cache-Control"] = "private, max-age=300"
        return response
    # Thumbnail names are uuids: a name never gets different bytes.
    etag = f'"{version.thumbnail.name.rsplit("/", 1)[-1]}"'
    last_modified = version.created_at.timestamp()
    if not files.is_s3(version.thumbnail.storage):
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=int(last_modified)
        )
        if not_modified is not None:
            return not_modified
    return serve_file(
        request,
        field=version.thumbnail,
        content_type="image/png",
        filename=f"{version.asset_id}-v{version.number}-preview.png",
        inline=True,
        etag=etag,
        last_modified=last_modified,
        size=None,
        cache_control="private, max-age=86400",
    )


# htmx asks for the preview this many times (every 3 s: two minutes), then the
# page says to reload later: a stuck job never polls forever.
PREVIEW_POLLS = 40


@require_GET
@role_required(roles.can_use_library)
def preview_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The asset page's preview partial, asked for while a preview is pending."""
    version = version_for_file(user=request.user, pk=pk)
    try:
        poll = max(0, min(int(request.GET.get("poll", "0")), PREVIEW_POLLS))
    except ValueError:
        poll = PREVIEW_POLLS
    response = render(
        request,
        "content/library/_preview.html",
        {
            "asset": version.asset,
            "version": version,
            "can_manage": roles.can_manage_content(request.user),
            "preview_poll": poll,
            "preview_poll_done": poll >= PREVIEW_POLLS,
        },
    )
    response["Cache-Control"] = "private, no-store"
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

    Call only after the permission check. Shared with the share-link views.
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


_serve = serve_file  # the name other areas first imported

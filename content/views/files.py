"""Private file serving: a permission check, then a stream or a signed URL.

Files are never served from a public URL; how they are served (a stream or a
signed URL) lives in content.serving, shared with share links and the API.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_GET

from accounts import roles
from accounts.roles import role_required
from content import files
from content.selectors.library import version_for_file
from content.selectors.pages import page_for_file, site_page_viewer
from content.services.pages import page_content_type
from content.serving import serve_file, version_file_response


@require_GET
@role_required(roles.can_use_library)
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file of a version. `?inline=1` opens PDFs and images in the browser."""
    version = version_for_file(user=request.user, pk=pk)
    inline = request.GET.get("inline") == "1" and version.is_previewable
    return version_file_response(request, version=version, inline=inline)


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


@require_GET
@role_required(roles.can_use_library)
def page(request: HttpRequest, pk: int, version_pk: int, number: int) -> HttpResponse:
    """One page image of a version, for the page viewer on the asset page."""
    page = page_for_file(
        user=request.user, asset_pk=pk, version_pk=version_pk, number=number
    )
    # Page names are uuids: a name never gets different bytes.
    etag = f'"{page.image.name.rsplit("/", 1)[-1]}"'
    last_modified = page.created_at.timestamp()
    if not files.is_s3(page.image.storage):
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=int(last_modified)
        )
        if not_modified is not None:
            return not_modified
    content_type = page_content_type(page)
    return serve_file(
        request,
        field=page.image,
        content_type=content_type,
        filename=f"{pk}-v{page.version.number}-page-{number}."
        + content_type.rsplit("/", 1)[-1],
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
            **site_page_viewer(version),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response

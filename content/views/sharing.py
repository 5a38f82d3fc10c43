"""Share links: the rep's side (create, list, revoke) and the prospect's page.

The prospect's page at /s/<token>/ is public by design (LoginRequiredMiddleware
lets /s/ through). It shows the shared assets' current files and nothing else of
the site: no names, no navigation, no link back in.
"""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.client_address import client_ip
from accounts.roles import can_share_externally, role_required
from content import files
from content.forms.errors import add_service_error
from content.forms.sharing import DealRoomForm, ShareForm
from content.models import Asset, ShareLink, ShareLinkItem, Version
from content.selectors.sharing import (
    public_share_items,
    share_by_token_hash,
    share_deal_choices,
    share_link_events,
    share_links_for,
    why_not_shareable,
)
from content.services import sharing as sharing_services
from content.serving import serve_file, served_content_type
from content.views.common import paginate
from content.views.redirects import safe_next

# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def _created_response(
    request: HttpRequest, share: ShareLink, raw_token: str
) -> HttpResponse:
    """The new link's page, with its URL, as the answer to the POST that made it.

    The URL is shown once and stored nowhere: not in the database (a hash only),
    not in the session (a redirect would have to park it there until the next
    page view, or for the session's life if that view never came).
    """
    url = request.build_absolute_uri(
        reverse("content:share_public", kwargs={"token": raw_token})
    )
    share = get_object_or_404(share_links_for(user=request.user), pk=share.pk)
    response = _detail_response(request, share, new_link=url, status=201)
    # The page holds a secret: no cache may keep it.
    response["Cache-Control"] = "private, no-store"
    return response


def _detail_response(
    request: HttpRequest, share: ShareLink, *, new_link: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "content/sharing/share_detail.html",
        {
            "share": share,
            "items": list(share.items.all()),
            "events": share_link_events(share=share),
            "new_link": new_link,
        },
        status=status,
    )


@role_required(can_share_externally)
@require_http_methods(["GET", "POST"])
def share_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Share one asset: the form sits on the asset page; errors render here."""
    asset = get_object_or_404(
        Asset.objects.visible_to(request.user).select_related("current_version"),
        pk=pk,
    )
    reason = why_not_shareable(asset)
    form = ShareForm(request.POST or None, user=request.user)
    if request.method == "POST" and not reason and form.is_valid():
        try:
            share, raw_token = sharing_services.share_create(
                user=request.user,
                assets=[asset],
                recipient=form.cleaned_data["recipient"],
                deal=form.cleaned_data["deal"],
                message=form.cleaned_data["message"],
                expires_at=form.cleaned_data["expires_on"],
            )
        except ValidationError as exc:
            add_service_error(form, exc, rename=form.service_fields)
        else:
            messages.success(request, f"Link for {share.recipient} created.")
            return _created_response(request, share, raw_token)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "content/sharing/share_add.html",
        {"asset": asset, "form": form, "not_shareable": reason},
        status=status,
    )


@role_required(can_share_externally)
@require_http_methods(["GET", "POST"])
def share_room_add(request: HttpRequest) -> HttpResponse:
    """A deal room: several assets for one deal, on one page for the prospect."""
    initial = {}
    deal_pk = request.GET.get("deal", "")
    if deal_pk.isdigit():
        initial["deal"] = (
            share_deal_choices(user=request.user).filter(pk=deal_pk).first()
        )
    form = DealRoomForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            share, raw_token = sharing_services.share_create(
                user=request.user,
                # Checkbox order is the library's order; the rep reorders afterwards.
                assets=list(form.cleaned_data["assets"]),
                recipient=form.cleaned_data["recipient"],
                deal=form.cleaned_data["deal"],
                message=form.cleaned_data["message"],
                expires_at=form.cleaned_data["expires_on"],
            )
        except ValidationError as exc:
            add_service_error(form, exc, rename=form.service_fields)
        else:
            messages.success(request, f"Deal room for {share.recipient} created.")
            return _created_response(request, share, raw_token)
    return render(
        request,
        "content/sharing/share_room_add.html",
        {
            "form": form,
            "has_deals": form.fields["deal"].queryset.exists(),
            "has_assets": form.fields["assets"].queryset.exists(),
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(can_share_externally)
@require_GET
def share_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, share_links_for(user=request.user), 20)
    return render(
        request,
        "content/sharing/share_list.html",
        {"page_obj": page, "links": page.object_list},
    )


@role_required(can_share_externally)
@require_GET
def share_detail(request: HttpRequest, pk: int) -> HttpResponse:
    share = get_object_or_404(share_links_for(user=request.user), pk=pk)
    return _detail_response(request, share)


@role_required(can_share_externally)
@require_POST
def share_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    share = get_object_or_404(ShareLink.objects.created_by(request.user), pk=pk)
    sharing_services.share_revoke(user=request.user, share=share)
    messages.success(
        request, f"The link for {share.recipient} is revoked: it no longer opens."
    )
    return redirect(safe_next(request, share.get_absolute_url()))


@role_required(can_share_externally)
@require_POST
def share_item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    share = get_object_or_404(ShareLink.objects.created_by(request.user), pk=pk)
    item = get_object_or_404(ShareLinkItem.objects.filter(share=share), pk=item_pk)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        messages.error(request, "Choose up or down.")
    else:
        sharing_services.share_item_move(
            user=request.user, share=share, item=item, offset=offset
        )
    return redirect(share)


# The prospect's side -----------------------------------------------------------


def _public_headers(response: HttpResponse) -> HttpResponse:
    # The token is the only key: keep it out of caches, search engines and
    # Referer headers.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _gone(request: HttpRequest, status: int, message: str) -> HttpResponse:
    response = render(
        request,
        "content/sharing/public_gone.html",
        {"message": message},
        status=status,
    )
    return _public_headers(response)


class _Unavailable(Exception):
    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self.message = message


def _open_share(token: str) -> tuple[ShareLink, list[ShareLinkItem]]:
    """The live share for `token` and the items it may still show, or _Unavailable."""
    if not TOKEN_RE.match(token):
        raise _Unavailable(404, "This link does not exist. Check that it is complete.")
    share = share_by_token_hash(token_hash=sharing_services.share_token_hash(token))
    if share is None:
        raise _Unavailable(404, "This link does not exist. Check that it is complete.")
    if share.is_revoked:
        raise _Unavailable(410, "This link has been withdrawn by its sender.")
    if share.is_expired:
        raise _Unavailable(
            410, "This link has expired. Ask the person who sent it for a new one."
        )
    if not share.created_by.is_active:
        raise _Unavailable(410, "This link is no longer available.")
    items = public_share_items(share=share)
    if not items:
        raise _Unavailable(410, "The content of this link is no longer available.")
    return share, items


def _visitor(request: HttpRequest) -> tuple[str, str]:
    # The same address rule as login lockouts: X-Forwarded-For counts only as far
    # as trusted proxies wrote it, so a prospect cannot pose as many visitors.
    ip = client_ip(request)
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    return sharing_services.visitor_hash_for(ip=ip, user_agent=agent), agent


def _counts_as_prospect(request: HttpRequest) -> bool:
    # People signed in to Wingman (the rep checking their own link) are not the
    # prospect; HEAD requests and prefetches are not reads.
    return request.method == "GET" and not request.user.is_authenticated


def _download_name(asset: Asset, version: Version) -> str:
    stem = slugify(asset.title)[:80] or "document"
    return files.sanitize_filename(
        f"{stem}.{version.extension}" if version.extension else stem
    )


@require_http_methods(["GET", "HEAD"])
def share_public(request: HttpRequest, token: str) -> HttpResponse:
    try:
        share, items = _open_share(token)
    except _Unavailable as gone:
        return _gone(request, gone.status, gone.message)
    if _counts_as_prospect(request):
        visitor_hash, agent = _visitor(request)
        sharing_services.share_open_record(
            share=share, items=items, visitor_hash=visitor_hash, user_agent=agent
        )
    response = render(
        request,
        "content/sharing/public.html",
        {
            "share": share,
            "entries": [_public_entry(item) for item in items],
            "token": token,
            "signed_in": request.user.is_authenticated,
        },
    )
    return _public_headers(response)


def _public_entry(item: ShareLinkItem) -> dict:
    version = item.asset.current_version
    return {
        "item": item,
        "asset": item.asset,
        "version": version,
        "has_preview": bool(version.thumbnail),
    }


def _public_item(token: str, item_pk: int) -> tuple[ShareLink, ShareLinkItem]:
    share, items = _open_share(token)
    for item in items:
        if item.pk == item_pk:
            return share, item
    raise _Unavailable(404, "This file is not part of the link.")


@require_http_methods(["GET", "HEAD"])
def share_public_file(request: HttpRequest, token: str, item_pk: int) -> HttpResponse:
    """The current version's file: `?view=1` opens PDFs and images in the browser."""
    try:
        share, item = _public_item(token, item_pk)
    except _Unavailable as gone:
        return _gone(request, gone.status, gone.message)
    version = item.asset.current_version
    # The library's file serving: stream locally, signed URL on S3. The file is
    # opened (or its URL signed) first: a download the store could not serve is
    # not counted, as on the site (views/files.py).
    response = serve_file(
        request,
        field=version.file,
        content_type=served_content_type(version),
        filename=_download_name(item.asset, version),
        inline=request.GET.get("view") == "1" and version.is_previewable,
        etag=f'"{version.sha256}"',
        last_modified=version.created_at.timestamp(),
        size=version.size,
        cache_control="private, no-store",
    )
    if _counts_as_prospect(request):
        visitor_hash, agent = _visitor(request)
        sharing_services.share_download_record(
            share=share, item=item, visitor_hash=visitor_hash, user_agent=agent
        )
    return _public_headers(response)


@require_http_methods(["GET", "HEAD"])
def share_public_thumbnail(
    request: HttpRequest, token: str, item_pk: int
) -> HttpResponse:
    try:
        _share, item = _public_item(token, item_pk)
    except _Unavailable as gone:
        return _gone(request, gone.status, gone.message)
    version = item.asset.current_version
    if not version.thumbnail:
        return _gone(request, 404, "This file has no preview.")
    response = serve_file(
        request,
        field=version.thumbnail,
        content_type="image/png",
        filename="preview.png",
        inline=True,
        etag=f'"{version.thumbnail.name.rsplit("/", 1)[-1]}"',
        last_modified=version.created_at.timestamp(),
        size=None,
        cache_control="private, no-store",
    )
    return _public_headers(response)

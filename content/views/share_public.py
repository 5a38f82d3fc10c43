"""The prospect's side of a share link: the page, its gate, files, page images
and the viewer's heartbeats.

Everything under /s/<token>/ is public by design (LoginRequiredMiddleware lets
/s/ through). It shows the shared assets and nothing else of the site: no
names, no navigation, no link back in. A link that asks for an email or a
passcode shows nothing (not even a title) until the gate is passed; the pass is
kept in the visitor's session, and every URL below the link asks for it.
"""

import json
import re

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.client_address import client_ip
from accounts.throttling import throttle_allow, throttle_key
from content import files
from content.models import Asset, ShareLink, ShareLinkItem, Version
from content.selectors.engagement import share_item_page, share_item_pages
from content.selectors.pages import page_entries, pages_simplified
from content.selectors.sharing import public_share_items, share_by_token_hash
from content.services import engagement as engagement_services
from content.services import sharing as sharing_services
from content.serving import serve_file, served_content_type
from content.watermark import watermark_png

# secrets.token_urlsafe(32): 43 characters of the URL-safe base64 alphabet.
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
# Wrong passcodes: per visitor and link, and per link from everyone.
PASSCODE_TRIES = 5
PASSCODE_LINK_TRIES = 30
PASSCODE_WINDOW_SECONDS = 15 * 60
# A heartbeat is a few dozen bytes; anything much larger is not ours.
BEACON_MAX_BYTES = 2048


def _public_headers(response: HttpResponse) -> HttpResponse:
    # The token is the only key: keep it out of caches, search engines and
    # Referer headers.
    response.setdefault("Cache-Control", "private, no-store")
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


# The gate ----------------------------------------------------------------------


def _session_key(share: ShareLink) -> str:
    return f"share-pass-{share.pk}"


def _gate_pass(request: HttpRequest, share: ShareLink) -> dict | None:
    """The visitor's pass for `share` ({"email": ...}), or None if the link asks
    for something they have not given. A link without controls passes all."""
    if not share.require_email and not share.has_passcode:
        return {"email": ""}
    granted = request.session.get(_session_key(share))
    if not isinstance(granted, dict):
        return None
    # A pass from before the rep changed the passcode no longer opens the link.
    if granted.get("code") != share.passcode_hash[-12:]:
        return None
    if share.require_email and not granted.get("email"):
        return None
    return granted


def _open_gated(
    request: HttpRequest, token: str
) -> tuple[ShareLink, list[ShareLinkItem], dict]:
    share, items = _open_share(token)
    granted = _gate_pass(request, share)
    if granted is None:
        raise _Unavailable(403, "Open the link first.")
    return share, items, granted


def _gate_response(
    request: HttpRequest, share: ShareLink, *, errors: dict, email: str, status: int
) -> HttpResponse:
    # Nothing of the link here: no title, no message, no sender.
    response = render(
        request,
        "content/sharing/public_gate.html",
        {
            "ask_email": share.require_email,
            "ask_passcode": share.has_passcode,
            "errors": errors,
            "email": email,
        },
        status=status,
    )
    return _public_headers(response)


def _gate_post(request: HttpRequest, share: ShareLink, token: str) -> HttpResponse:
    email = request.POST.get("email", "").strip()[:254]
    errors: dict[str, str] = {}
    if share.require_email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Enter your email address, like name@example.com."
    if share.has_passcode:
        visitor = _visitor(request)[0]
        allowed = throttle_allow(
            key=throttle_key("share-passcode", f"{share.pk}|{visitor}"),
            limit=PASSCODE_TRIES,
            window_seconds=PASSCODE_WINDOW_SECONDS,
        ) and throttle_allow(
            key=throttle_key("share-passcode-link", str(share.pk)),
            limit=PASSCODE_LINK_TRIES,
            window_seconds=PASSCODE_WINDOW_SECONDS,
        )
        if not allowed:
            errors["passcode"] = "Too many tries. Wait a quarter of an hour."
            return _gate_response(
                request, share, errors=errors, email=email, status=429
            )
        if not check_password(request.POST.get("passcode", ""), share.passcode_hash):
            errors["passcode"] = "That passcode is not right."
    if errors:
        status = 403 if "passcode" in errors else 400
        return _gate_response(request, share, errors=errors, email=email, status=status)
    request.session.cycle_key()
    request.session[_session_key(share)] = {
        "email": email.lower() if share.require_email else "",
        "code": share.passcode_hash[-12:],
    }
    return redirect(reverse("content:share_public", kwargs={"token": token}))


# The page ----------------------------------------------------------------------


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


@require_http_methods(["GET", "HEAD", "POST"])
def share_public(request: HttpRequest, token: str) -> HttpResponse:
    try:
        share, items = _open_share(token)
    except _Unavailable as gone:
        return _gone(request, gone.status, gone.message)
    if request.method == "POST":
        if not share.require_email and not share.has_passcode:
            return redirect(reverse("content:share_public", kwargs={"token": token}))
        return _gate_post(request, share, token)
    granted = _gate_pass(request, share)
    if granted is None:
        return _gate_response(request, share, errors={}, email="", status=200)
    visit_token = ""
    if _counts_as_prospect(request):
        visitor_hash, agent = _visitor(request)
        sharing_services.share_open_record(
            share=share, items=items, visitor_hash=visitor_hash, user_agent=agent
        )
        visit = engagement_services.visit_start(
            share=share,
            visitor_hash=visitor_hash,
            user_agent=agent,
            email=granted["email"],
        )
        if visit is not None:
            visit_token = engagement_services.visit_token(visit)
    pages = share_item_pages(items=items)
    response = render(
        request,
        "content/sharing/public.html",
        {
            "share": share,
            "entries": [_public_entry(token, item, pages[item.pk]) for item in items],
            "token": token,
            "signed_in": request.user.is_authenticated,
            "visit_token": visit_token,
            "beacon_url": reverse("content:share_beacon", kwargs={"token": token}),
            "heartbeat_seconds": engagement_services.heartbeat_seconds(),
        },
    )
    return _public_headers(response)


def _public_entry(token: str, item: ShareLinkItem, pages: list) -> dict:
    version = item.asset.current_version

    def page_url(page) -> str:
        return reverse(
            "content:share_public_page",
            kwargs={"token": token, "item_pk": item.pk, "number": page.number},
        )

    return {
        "item": item,
        "asset": item.asset,
        "version": version,
        "has_preview": bool(version.thumbnail),
        "pages": page_entries(pages, url=page_url),
        "simplified": pages_simplified(pages),
    }


def _public_item(
    request: HttpRequest, token: str, item_pk: int
) -> tuple[ShareLink, ShareLinkItem, dict]:
    share, items, granted = _open_gated(request, token)
    for item in items:
        if item.pk == item_pk:
            return share, item, granted
    raise _Unavailable(404, "This file is not part of the link.")


@require_http_methods(["GET", "HEAD"])
def share_public_file(request: HttpRequest, token: str, item_pk: int) -> HttpResponse:
    """The current version's file: `?view=1` opens PDFs and images in the browser.

    A link that forbids download serves no file at all (viewing a PDF in the
    browser is a download too): its pages are images only."""
    try:
        share, item, _granted = _public_item(request, token, item_pk)
    except _Unavailable as gone:
        return _gone(request, gone.status, gone.message)
    if not share.allow_download:
        return _gone(request, 403, "The sender did not allow downloads of this file.")
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
        _share, item, _granted = _public_item(request, token, item_pk)
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


@require_http_methods(["GET", "HEAD"])
def share_public_page(
    request: HttpRequest, token: str, item_pk: int, number: int
) -> HttpResponse:
    """One page image of an item's current version, through the share token.

    With a watermark, the viewer's email is drawn on the image as it is served;
    the result may be kept by this visitor's browser only (its email is in it).
    """
    try:
        share, item, granted = _public_item(request, token, item_pk)
    except _Unavailable as gone:
        return _gone(request, gone.status, gone.message)
    page = share_item_page(item=item, number=number)
    if page is None:
        return _gone(request, 404, "This page does not exist.")
    name = page.image.name.rsplit("/", 1)[-1]
    if share.watermark and granted.get("email"):
        etag = f'"{name}-{sharing_services.share_token_hash(granted["email"])[:16]}"'
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponse(status=304)
        else:
            with page.image.open("rb") as handle:
                data = watermark_png(handle.read(), granted["email"])
            response = HttpResponse(data, content_type="image/png")
        response["ETag"] = etag
        response["Cache-Control"] = "private, max-age=3600"
        return _public_headers(response)
    response = serve_file(
        request,
        field=page.image,
        content_type="image/png",
        filename=f"page-{number}.png",
        inline=True,
        etag=f'"{name}"',
        last_modified=page.created_at.timestamp(),
        size=None,
        cache_control="private, max-age=3600",
    )
    return _public_headers(response)


# Heartbeats --------------------------------------------------------------------


def _beacon_refusal(status: int, reason: str) -> HttpResponse:
    return _public_headers(JsonResponse({"error": reason}, status=status))


# No CSRF cookie: sendBeacon from a closing tab cannot add a header, and the
# endpoint needs none. A heartbeat is accepted only with a token signed for one
# visit of this very link (issued when the page was served), so a cross-site
# form can at most add bounded seconds to a visit its author was served
# themselves; it can neither read anything nor touch another link's figures.
@csrf_exempt
@require_POST
def share_beacon(request: HttpRequest, token: str) -> HttpResponse:
    if request.user.is_authenticated:
        return _public_headers(HttpResponse(status=204))
    if int(request.META.get("CONTENT_LENGTH") or 0) > BEACON_MAX_BYTES:
        return _beacon_refusal(413, "too large")
    try:
        share, items = _open_share(token)
    except _Unavailable as gone:
        return _beacon_refusal(gone.status, "link unavailable")
    try:
        body = json.loads(request.body[:BEACON_MAX_BYTES] or b"null")
        if not isinstance(body, dict) or not isinstance(body.get("t"), str):
            raise engagement_services.BeaconRefused(400, "token")
        entries = engagement_services.parse_beat_entries(body.get("p"))
        result = engagement_services.beat_record(
            share=share,
            token=body["t"][:300],
            entries=entries,
            page_counts={
                item.pk: item.asset.current_version.page_count for item in items
            },
        )
    except ValueError:
        return _beacon_refusal(400, "not json")
    except engagement_services.BeaconRefused as refused:
        return _beacon_refusal(refused.status, refused.reason)
    if result.new_token:
        return _public_headers(JsonResponse({"t": result.new_token}))
    return _public_headers(HttpResponse(status=204))
